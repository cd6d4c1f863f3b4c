package org.sentinelplaybooks.clients;

import java.time.Duration;
import java.util.List;
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

  public BlockSettings {
    nsgIds = List.copyOf(nsgIds);
    ipGroupIds = List.copyOf(ipGroupIds);
    never = List.copyOf(never);
  }

  /** True when at least one enforcement point is configured. */
  public boolean anyTarget() {
    return !nsgIds.isEmpty() || !ipGroupIds.isEmpty() || namedLocationId != null || mde;
  }
}
