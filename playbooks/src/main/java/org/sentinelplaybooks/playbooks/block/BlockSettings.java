package org.sentinelplaybooks.playbooks.block;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.sentinelplaybooks.clients.SettingsReader;
import org.sentinelplaybooks.clients.network.Cidr;

/**
 * Where {@code block-ip} enforces blocks and its policy: NSGs and Azure Firewall IP Groups by ARM
 * id, an Entra ID IP named location by id, Defender for Endpoint indicators on or off, how long a
 * block lasts by default and at most, the ranges never blocked, and how many addresses one run may
 * block.
 */
public record BlockSettings(
    List<String> nsgIds,
    int nsgRulePriority,
    List<String> ipGroupIds,
    String namedLocationId,
    boolean mde,
    Duration ttl,
    Duration maxTtl,
    List<Cidr> never,
    int maxAddresses) {

  public static final String BLOCK_NSG_IDS = "BLOCK_NSG_IDS";
  public static final String BLOCK_NSG_RULE_PRIORITY = "BLOCK_NSG_RULE_PRIORITY";
  public static final String BLOCK_IP_GROUP_IDS = "BLOCK_IP_GROUP_IDS";
  public static final String BLOCK_NAMED_LOCATION_ID = "BLOCK_NAMED_LOCATION_ID";
  public static final String BLOCK_MDE = "BLOCK_MDE";
  public static final String BLOCK_TTL = "BLOCK_TTL";
  public static final String BLOCK_MAX_TTL = "BLOCK_MAX_TTL";
  public static final String BLOCK_NEVER = "BLOCK_NEVER";
  public static final String BLOCK_MAX_ADDRESSES = "BLOCK_MAX_ADDRESSES";

  /** The names of the settings read here. */
  public static final List<String> NAMES =
      List.of(
          BLOCK_NSG_IDS,
          BLOCK_NSG_RULE_PRIORITY,
          BLOCK_IP_GROUP_IDS,
          BLOCK_NAMED_LOCATION_ID,
          BLOCK_MDE,
          BLOCK_TTL,
          BLOCK_MAX_TTL,
          BLOCK_NEVER,
          BLOCK_MAX_ADDRESSES);

  public static final Duration DEFAULT_TTL = Duration.ofDays(7);
  public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(90);
  public static final int DEFAULT_NSG_RULE_PRIORITY = 100;
  public static final int DEFAULT_MAX_ADDRESSES = 50;

  /**
   * The most {@code BLOCK_MAX_ADDRESSES} may say: a run makes up to two Defender for Endpoint calls
   * an address (look up, submit) at 90 a minute, so 200 addresses take under five minutes, inside
   * the function's ten-minute timeout (host.json).
   */
  public static final int MOST_ADDRESSES = 200;

  private static final Pattern NSG_ID =
      Pattern.compile(
          "(?i)/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Network/networkSecurityGroups/[^/]+");
  private static final Pattern IP_GROUP_ID =
      Pattern.compile(
          "(?i)/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Network/ipGroups/[^/]+");

  public BlockSettings {
    nsgIds = List.copyOf(nsgIds);
    ipGroupIds = List.copyOf(ipGroupIds);
    never = List.copyOf(never);
  }

  /** True when at least one enforcement point is configured. */
  public boolean anyTarget() {
    return !nsgIds.isEmpty() || !ipGroupIds.isEmpty() || namedLocationId != null || mde;
  }

  /** The block settings, each problem recorded on the reader. */
  public static BlockSettings read(SettingsReader values) {
    List<String> nsgIds = armIds(values, BLOCK_NSG_IDS, NSG_ID, "an NSG");
    List<String> ipGroupIds = armIds(values, BLOCK_IP_GROUP_IDS, IP_GROUP_ID, "an IP Group");
    String namedLocation = values.text(BLOCK_NAMED_LOCATION_ID);
    if (namedLocation != null && !SettingsReader.isGuid(namedLocation)) {
      values.problem(
          BLOCK_NAMED_LOCATION_ID
              + ": '"
              + namedLocation
              + "' is not a named location id (a GUID)");
      namedLocation = null;
    }
    int priority = DEFAULT_NSG_RULE_PRIORITY;
    String priorityValue = values.text(BLOCK_NSG_RULE_PRIORITY);
    if (priorityValue != null) {
      if (priorityValue.matches("\\d{3,4}")
          && Integer.parseInt(priorityValue) >= 100
          && Integer.parseInt(priorityValue) <= 4096) {
        priority = Integer.parseInt(priorityValue);
      } else {
        values.problem(
            BLOCK_NSG_RULE_PRIORITY
                + ": '"
                + priorityValue
                + "' is not a priority from 100 to 4096");
      }
    }
    Duration ttl = values.duration(BLOCK_TTL, DEFAULT_TTL);
    Duration maxTtl = values.duration(BLOCK_MAX_TTL, DEFAULT_MAX_TTL);
    if (ttl.compareTo(maxTtl) > 0) {
      values.problem(
          BLOCK_TTL + ": " + ttl + " is longer than " + BLOCK_MAX_TTL + " (" + maxTtl + ")");
    }
    List<Cidr> never = new ArrayList<>();
    for (String item : values.list(BLOCK_NEVER)) {
      try {
        never.add(Cidr.parse(item));
      } catch (IllegalArgumentException e) {
        values.problem(BLOCK_NEVER + ": " + e.getMessage());
      }
    }
    int maxAddresses = DEFAULT_MAX_ADDRESSES;
    String maxAddressesValue = values.text(BLOCK_MAX_ADDRESSES);
    if (maxAddressesValue != null) {
      if (maxAddressesValue.matches("\\d{1,3}")
          && Integer.parseInt(maxAddressesValue) >= 1
          && Integer.parseInt(maxAddressesValue) <= MOST_ADDRESSES) {
        maxAddresses = Integer.parseInt(maxAddressesValue);
      } else {
        values.problem(
            BLOCK_MAX_ADDRESSES
                + ": '"
                + maxAddressesValue
                + "' is not a number of addresses from 1 to "
                + MOST_ADDRESSES);
      }
    }
    return new BlockSettings(
        nsgIds,
        priority,
        ipGroupIds,
        namedLocation,
        values.bool(BLOCK_MDE, false),
        ttl,
        maxTtl,
        never,
        maxAddresses);
  }

  private static List<String> armIds(
      SettingsReader values, String name, Pattern type, String what) {
    List<String> ids = new ArrayList<>();
    for (String id : values.list(name)) {
      String trimmed = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
      if (type.matcher(trimmed).matches()) {
        ids.add(trimmed);
      } else {
        values.problem(name + ": '" + id + "' is not the ARM id of " + what);
      }
    }
    return ids;
  }
}
