package org.sentinelplaybooks.playbooks;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sentinelplaybooks.clients.defender.DefenderForEndpointClient;
import org.sentinelplaybooks.clients.defender.Indicator;
import org.sentinelplaybooks.clients.network.Cidr;

/**
 * Blocks as Defender for Endpoint indicators: one {@code IpAddress} Block indicator per single
 * address (the API takes no CIDR), expiring with the block, so lifting needs no call. An address
 * whose Block indicator already lasts as long is left alone.
 */
final class MdeBlocker implements Blocker {
  static final String TARGET = "mde:indicators";
  private static final Set<String> BLOCKING = Set.of("Block", "AlertAndBlock", "BlockAndRemediate");
  private static final Duration EXPIRY_SLACK = Duration.ofMinutes(1);
  private static final int CONCURRENCY = 4;

  private final DefenderForEndpointClient mde;

  MdeBlocker(DefenderForEndpointClient mde) {
    this.mde = mde;
  }

  @Override
  public String target() {
    return TARGET;
  }

  @Override
  public BlockOutcome block(Order order, boolean dryRun) {
    Map<Cidr, String> ranges = new LinkedHashMap<>();
    order.addresses().stream()
        .filter(a -> !a.isSingleAddress())
        .forEach(a -> ranges.put(a, "indicators take single addresses"));
    List<Cidr> singles = order.addresses().stream().filter(Cidr::isSingleAddress).toList();
    try {
      List<String> present = new ArrayList<>();
      List<Cidr> held =
          Parallel.map(singles, CONCURRENCY, a -> lastsLongEnough(a, order.expiries().get(a)))
              .stream()
              .filter(a -> a != null)
              .toList();
      held.forEach(a -> present.add(a.toString()));
      BlockMerge merge = BlockMerge.of(order.addresses(), present, ranges);
      if (!dryRun) {
        Parallel.map(
            merge.missing(),
            CONCURRENCY,
            a ->
                mde.blockIpAddress(
                    a.address(),
                    order.expiries().get(a).atOffset(ZoneOffset.UTC),
                    "Blocked by Sentinel playbook: " + a.address(),
                    order.reason()));
      }
      return new BlockOutcome(merge.action(target(), dryRun, ""), merge.enforced());
    } catch (RuntimeException e) {
      return BlockOutcome.failed(target(), e);
    }
  }

  /** The address when a blocking indicator for it lasts until {@code until}; null otherwise. */
  private Cidr lastsLongEnough(Cidr address, Instant until) {
    for (Indicator indicator : mde.findIndicators(address.address())) {
      boolean blocks =
          "IpAddress".equalsIgnoreCase(indicator.indicatorType())
              && BLOCKING.contains(indicator.action());
      boolean lasts =
          indicator.expirationTime() == null
              || !indicator.expirationTime().toInstant().plus(EXPIRY_SLACK).isBefore(until);
      if (blocks && lasts) {
        return address;
      }
    }
    return null;
  }

  /** Indicators expire by themselves at the block's expiry: nothing to call. */
  @Override
  public ActionResult unblock(List<Cidr> addresses, boolean dryRun) {
    return ActionResult.of(
        target(),
        "unblock",
        Outcome.SKIPPED,
        "indicators for " + BlockMerge.list(addresses) + " expire by themselves");
  }
}
