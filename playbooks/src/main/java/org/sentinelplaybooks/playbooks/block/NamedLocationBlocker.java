package org.sentinelplaybooks.playbooks.block;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sentinelplaybooks.clients.graph.IdentityClient;
import org.sentinelplaybooks.clients.graph.NamedLocation;
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.Outcome;

/**
 * Blocks through an Entra ID Conditional Access IP named location (which a policy blocks). Graph
 * has no etag here and a PATCH replaces the whole range list, so runs in this process take turns,
 * every write carries the ranges just read plus the new ones, and a read after the write checks
 * that a run elsewhere did not overwrite them; if it did, the merge is done again.
 */
public final class NamedLocationBlocker implements Blocker {
  static final int RANGES_PER_LOCATION = 2000;
  static final int MAX_REWRITES = 4;
  private static final Map<String, Object> TURNS = new ConcurrentHashMap<>();

  private final IdentityClient graph;
  private final String locationId;

  public NamedLocationBlocker(IdentityClient graph, String locationId) {
    this.graph = graph;
    this.locationId = locationId;
  }

  @Override
  public String target() {
    return "named-location:" + locationId;
  }

  @Override
  public BlockOutcome block(Order order, boolean dryRun) {
    try {
      synchronized (TURNS.computeIfAbsent(locationId, id -> new Object())) {
        BlockMerge first = null;
        for (int rewrites = 0; ; rewrites++) {
          NamedLocation location = read();
          BlockMerge merge = BlockMerge.of(order.addresses(), location.ipRanges(), Map.of());
          if (first == null) {
            first = merge;
          }
          if (merge.missing().isEmpty() || dryRun) {
            BlockMerge reported = rewrites == 0 ? merge : first;
            return new BlockOutcome(reported.action(target(), dryRun, ""), reported.enforced());
          }
          if (rewrites >= MAX_REWRITES) {
            throw new IllegalStateException(
                "the ranges were overwritten by another writer " + rewrites + " times");
          }
          List<Cidr> ranges = new ArrayList<>(BlockMerge.parseAll(location.ipRanges()));
          ranges.addAll(merge.missing());
          if (ranges.size() > RANGES_PER_LOCATION) {
            return BlockOutcome.full(
                target(),
                "the named location holds " + location.ipRanges().size() + " ranges",
                merge.missing().size(),
                "Entra ID's limit of " + RANGES_PER_LOCATION);
          }
          graph.setNamedLocationRanges(locationId, ranges);
        }
      }
    } catch (RuntimeException e) {
      return BlockOutcome.failed(target(), e);
    }
  }

  @Override
  public ActionResult unblock(List<Cidr> addresses, boolean dryRun) {
    try {
      synchronized (TURNS.computeIfAbsent(locationId, id -> new Object())) {
        List<Cidr> removed = null;
        for (int rewrites = 0; ; rewrites++) {
          List<Cidr> ranges = BlockMerge.parseAll(read().ipRanges());
          List<Cidr> present = ranges.stream().filter(addresses::contains).toList();
          if (removed == null) {
            removed = present;
          }
          if (present.isEmpty() || dryRun || rewrites >= MAX_REWRITES) {
            List<Cidr> done = removed;
            List<Cidr> gone = addresses.stream().filter(a -> !done.contains(a)).toList();
            if (!present.isEmpty() && !dryRun) {
              throw new IllegalStateException(
                  "the ranges were overwritten by another writer " + rewrites + " times");
            }
            return BlockMerge.unblockAction(target(), removed, gone, dryRun);
          }
          graph.setNamedLocationRanges(
              locationId, ranges.stream().filter(r -> !addresses.contains(r)).toList());
        }
      }
    } catch (RuntimeException e) {
      return ActionResult.of(target(), "unblock", Outcome.FAILED, Actions.describe(e));
    }
  }

  private NamedLocation read() {
    NamedLocation location = graph.getNamedLocation(locationId);
    if (!location.isIpNamedLocation()) {
      throw new IllegalStateException(
          "named location "
              + locationId
              + " is "
              + location.odataType()
              + ", not an IP named location");
    }
    return location;
  }
}
