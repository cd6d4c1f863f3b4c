package org.sentinelplaybooks.playbooks.block;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sentinelplaybooks.clients.SettingsReader;
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.PlaybookOptions;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;

/**
 * The options of a block: the addresses to block instead of the incident's Ip entities (empty for
 * those), each one the address policy allows, and how long the block lasts (empty for {@code
 * BLOCK_TTL}, or as long as a block this incident already holds).
 */
public record BlockIpOptions(List<Cidr> ips, Optional<Duration> ttl) implements PlaybookOptions {
  static final String IPS = "ips";
  static final String TTL = "ttl";

  public BlockIpOptions {
    ips = List.copyOf(ips);
  }

  /** The options in a request body. */
  public static BlockIpOptions of(PlaybookRequest request, PlaybookSettings settings) {
    return new BlockIpOptions(ips(request.node(IPS), settings), ttl(request.text(TTL), settings));
  }

  /**
   * The options as given (the CLI's flags: {@code ips} null when none is named, {@code ttl} null
   * for the default); bad input names the body's field.
   */
  public static BlockIpOptions of(List<String> ips, String ttl, PlaybookSettings settings) {
    return new BlockIpOptions(
        ips == null ? List.of() : checked(ips, settings),
        ttl(PlaybookOptions.given(ttl), settings));
  }

  @Override
  public String playbook() {
    return BlockIpPlaybook.NAME;
  }

  private static List<Cidr> ips(JsonNode node, PlaybookSettings settings) {
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new BadInputException(IPS, "must be a non-empty list of IP addresses or CIDRs");
    }
    checkCount(node.size(), settings);
    List<String> given = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new BadInputException(IPS, item + " is not an address string");
      }
      given.add(item.asText());
    }
    return checked(given, settings);
  }

  /** The addresses, each parsed and allowed by the policy, once each. */
  private static List<Cidr> checked(List<String> given, PlaybookSettings settings) {
    checkCount(given.size(), settings);
    AddressPolicy policy = new AddressPolicy(settings.block().never());
    Set<Cidr> addresses = new LinkedHashSet<>();
    for (String item : given) {
      Cidr address;
      try {
        address = Cidr.parse(item);
      } catch (IllegalArgumentException e) {
        throw new BadInputException(IPS, e.getMessage());
      }
      Optional<String> refusal = policy.refusal(address);
      if (refusal.isPresent()) {
        String shown = item.trim();
        throw new BadInputException(
            IPS,
            (shown.equals(address.toString()) ? "" : "'" + shown + "': ")
                + refusal.get()
                + "; nothing was blocked");
      }
      addresses.add(address);
    }
    return List.copyOf(addresses);
  }

  private static void checkCount(int count, PlaybookSettings settings) {
    if (count == 0) {
      throw new BadInputException(IPS, "must be a non-empty list of IP addresses or CIDRs");
    }
    int most = settings.block().maxAddresses();
    if (count > most) {
      throw new BadInputException(
          IPS,
          "has "
              + count
              + " addresses; one run blocks at most "
              + most
              + " ("
              + BlockSettings.BLOCK_MAX_ADDRESSES
              + "); nothing was blocked");
    }
  }

  private static Optional<Duration> ttl(Optional<String> text, PlaybookSettings settings) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Duration ttl;
    try {
      ttl = SettingsReader.positiveDuration(text.get());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(TTL, e.getMessage());
    }
    BlockSettings block = settings.block();
    if (ttl.compareTo(block.maxTtl()) > 0) {
      throw new BadInputException(
          TTL,
          "'"
              + text.get()
              + "' is longer than "
              + BlockSettings.BLOCK_MAX_TTL
              + " ("
              + block.maxTtl()
              + ")");
    }
    return Optional.of(ttl);
  }
}
