package org.sentinelplaybooks.playbooks.block;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.sentinelplaybooks.clients.defender.DefenderForEndpointClient;
import org.sentinelplaybooks.clients.defender.Indicator;
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.Parallel;

/**
 * Blocks as Defender for Endpoint indicators: one {@code IpAddress} Block indicator per single
 * address (the API takes no CIDR), expiring with the block, so lifting needs no call. An address
 * whose Block indicator already lasts as long is left alone.
 */
public final class MdeBlocker implements Blocker {
  static final String TARGET = "mde:indicators";
  private static final Set<String> BLOCKING = Set.of("Block", "AlertAndBlock", "BlockAndRemediate");
  private static final Duration EXPIRY_SLACK = Duration.ofMinutes(1);
  private static final int CONCURRENCY = 4;

  private final DefenderForEndpointClient mde;
  private final Parallel parallel;

  public MdeBlocker(DefenderForEndpointClient mde, Parallel parallel) {
    this.mde = mde;
    this.parallel = parallel;
  }

  @Override
  public String target() {
    return TARGET;
  }

  /**
   * Looks each address up, then submits those without a lasting Block indicator. An address whose
   * look-up or submit the hour's call budget refuses is left {@code failed} with that reason: a run
   * never waits for the next hour, past its function's timeout.
   */
  @Override
  public BlockOutcome block(Order order, boolean dryRun) {
    Map<Cidr, String> ranges = new LinkedHashMap<>();
    order.addresses().stream()
        .filter(a -> !a.isSingleAddress())
        .forEach(a -> ranges.put(a, "indicators take single addresses"));
    List<Cidr> singles = order.addresses().stream().filter(Cidr::isSingleAddress).toList();
    Map<Cidr, String> spent = new ConcurrentHashMap<>();
    try {
      List<String> present = new ArrayList<>();
      List<Boolean> held =
          parallel.each(
              singles,
              CONCURRENCY,
              a -> withinBudget(a, spent, () -> lastsLongEnough(a, order.expiries().get(a))));
      for (int i = 0; i < singles.size(); i++) {
        if (Boolean.TRUE.equals(held.get(i))) {
          present.add(singles.get(i).toString());
        }
      }
      List<Cidr> looked = order.addresses().stream().filter(a -> !spent.containsKey(a)).toList();
      List<Cidr> missing = BlockMerge.of(looked, present, ranges).missing();
      if (!dryRun) {
        parallel.each(
            missing,
            CONCURRENCY,
            a ->
                withinBudget(
                    a,
                    spent,
                    () ->
                        mde.blockIpAddress(
                            a.address(),
                            order.expiries().get(a).atOffset(ZoneOffset.UTC),
                            "Blocked by Sentinel playbook: " + a.address(),
                            order.reason())));
      }
      List<Cidr> landed = looked.stream().filter(a -> !spent.containsKey(a)).toList();
      BlockMerge merge = BlockMerge.of(landed, present, ranges);
      if (spent.isEmpty()) {
        return new BlockOutcome(merge.action(target(), dryRun, ""), merge.enforced());
      }
      String done = landed.isEmpty() ? "" : merge.action(target(), dryRun, "").detail() + "; ";
      return new BlockOutcome(
          ActionResult.of(
              target(),
              "block",
              Outcome.FAILED,
              done
                  + "not blocked: "
                  + BlockMerge.list(order.addresses().stream().filter(spent::containsKey).toList())
                  + " ("
                  + spent.values().iterator().next()
                  + ")"),
          merge.enforced());
    } catch (RuntimeException e) {
      return BlockOutcome.failed(target(), e);
    }
  }

  /** The call's result, or null with the address noted in {@code spent} when the budget is. */
  private static <R> R withinBudget(Cidr address, Map<Cidr, String> spent, Supplier<R> call) {
    try {
      return call.get();
    } catch (DefenderForEndpointClient.CallBudgetSpentException e) {
      spent.put(address, e.getMessage());
      return null;
    }
  }

  /** Whether a blocking indicator for the address lasts until {@code until}. */
  private Boolean lastsLongEnough(Cidr address, Instant until) {
    for (Indicator indicator : mde.findIndicators(address.address())) {
      boolean blocks =
          "IpAddress".equalsIgnoreCase(indicator.indicatorType())
              && BLOCKING.contains(indicator.action());
      boolean lasts =
          indicator.expirationTime() == null
              || !indicator.expirationTime().toInstant().plus(EXPIRY_SLACK).isBefore(until);
      if (blocks && lasts) {
        return true;
      }
    }
    return false;
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
