package org.sentinelplaybooks.playbooks.block;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.AuditComment;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.state.BlockRecord;
import org.sentinelplaybooks.playbooks.state.BlockStore;

/**
 * Lifts the blocks whose expiry has passed: takes exactly those addresses off each enforcement
 * point, forgets the records of what came off, and comments on each incident the blocks were made
 * for. A target that fails keeps its records, so the next run tries again. A block that {@code
 * block-ip} renews while this runs is never left lifted: records are claimed and removed on their
 * ETag (see {@link #lift}).
 */
public final class ExpireBlocks {
  public static final String NAME = "expire-blocks";

  private final SentinelClient sentinel;
  private final Map<String, Blocker> blockers = new LinkedHashMap<>();
  private final BlockStore blocks;

  public ExpireBlocks(SentinelClient sentinel, List<Blocker> blockers, BlockStore blocks) {
    this.sentinel = sentinel;
    blockers.forEach(b -> this.blockers.put(b.target(), b));
    this.blocks = blocks;
  }

  public PlaybookResult run(Instant now, RunContext context) {
    Map<String, List<BlockRecord>> byTarget =
        blocks.expired(now).stream()
            .collect(
                Collectors.groupingBy(
                    BlockRecord::target, LinkedHashMap::new, Collectors.toList()));
    List<ActionResult> actions = new ArrayList<>();
    Map<String, List<ActionResult>> perIncident = new LinkedHashMap<>();
    for (Map.Entry<String, List<BlockRecord>> entry : byTarget.entrySet()) {
      Blocker blocker = blockers.get(entry.getKey());
      if (blocker == null) {
        actions.add(
            ActionResult.of(
                entry.getKey(),
                "unblock",
                Outcome.SKIPPED,
                "no longer configured; its "
                    + entry.getValue().size()
                    + " expired record(s) are kept"));
        continue;
      }
      List<BlockRecord> lifted = lift(blocker, entry.getValue(), context, actions);
      lifted.stream()
          .collect(
              Collectors.groupingBy(
                  BlockRecord::incidentId, LinkedHashMap::new, Collectors.toList()))
          .forEach(
              (incident, theirs) ->
                  perIncident
                      .computeIfAbsent(incident, i -> new ArrayList<>())
                      .add(
                          ActionResult.of(
                              entry.getKey(),
                              "unblock",
                              Outcome.DONE,
                              "lifted "
                                  + theirs.stream()
                                      .map(BlockRecord::address)
                                      .collect(Collectors.joining(", "))
                                  + ", expired "
                                  + theirs.get(0).expiresAt())));
    }
    perIncident.forEach((incident, lifted) -> actions.addAll(comment(incident, lifted, context)));
    PlaybookResult result = PlaybookResult.of(NAME, null, context.dryRun(), actions);
    Actions.log(context, result);
    context.telemetry().finished(result);
    reportBlockedNow(now, context);
    return result;
  }

  /** What is still blocked, for the workbook; a store that cannot be read fails nothing. */
  private void reportBlockedNow(Instant now, RunContext context) {
    try {
      context
          .telemetry()
          .blockedNow(
              blocks.all().stream().filter(b -> b.expiresAt().isAfter(now)).toList(),
              context.dryRun());
    } catch (RuntimeException e) {
      context
          .log()
          .warning(NAME + ": the blocks still in force could not be read: " + Actions.describe(e));
    }
  }

  /**
   * Lifts one target's expired blocks and returns the records that came off. Each record is first
   * claimed on the version read, so a block renewed since it was read is not touched; one renewed
   * after its claim (while the target is written) makes the record's removal fail, and its address
   * is blocked again, so no fresh record is left without its block.
   */
  private List<BlockRecord> lift(
      Blocker blocker, List<BlockRecord> expired, RunContext context, List<ActionResult> actions) {
    if (context.dryRun()) {
      actions.add(blocker.unblock(addresses(expired), true));
      return List.of();
    }
    List<BlockRecord> claimed = new ArrayList<>();
    for (BlockRecord record : expired) {
      blocks.claim(record).ifPresent(claimed::add);
    }
    if (claimed.size() < expired.size()) {
      actions.add(
          ActionResult.of(
              blocker.target(),
              "unblock",
              Outcome.SKIPPED,
              "renewed since they expired, kept: "
                  + expired.stream()
                      .filter(r -> claimed.stream().noneMatch(c -> c.address().equals(r.address())))
                      .map(BlockRecord::address)
                      .collect(Collectors.joining(", "))));
    }
    if (claimed.isEmpty()) {
      return List.of();
    }
    ActionResult action = blocker.unblock(addresses(claimed), false);
    actions.add(action);
    if (action.outcome() == Outcome.FAILED) {
      return List.of();
    }
    List<BlockRecord> removed = new ArrayList<>();
    List<Cidr> renewed = new ArrayList<>();
    Map<Cidr, Instant> expiries = new LinkedHashMap<>();
    for (BlockRecord record : claimed) {
      if (blocks.remove(record)) {
        removed.add(record);
        continue;
      }
      Cidr address = Cidr.parse(record.address());
      renewed.add(address);
      expiries.put(
          address,
          blocks
              .get(record.target(), record.address())
              .map(BlockRecord::expiresAt)
              .orElse(record.expiresAt()));
    }
    if (!renewed.isEmpty()) {
      Blocker.BlockOutcome again =
          blocker.block(
              new Blocker.Order(
                  renewed, expiries, "renewed by block-ip while expire-blocks lifted it"),
              false);
      actions.add(
          ActionResult.of(
              blocker.target(),
              "reblock",
              again.action().outcome(),
              "renewed while it was being lifted, blocked again: " + again.action().detail()));
    }
    return removed;
  }

  private static List<Cidr> addresses(List<BlockRecord> records) {
    return records.stream().map(r -> Cidr.parse(r.address())).toList();
  }

  private List<ActionResult> comment(
      String incident, List<ActionResult> lifted, RunContext context) {
    IncidentId id;
    try {
      id = IncidentId.parse(incident);
    } catch (IllegalArgumentException e) {
      return List.of(
          ActionResult.of("incident:" + incident, "comment", Outcome.SKIPPED, e.getMessage()));
    }
    return AuditComment.write(
        sentinel,
        id,
        "expired",
        NAME,
        lifted,
        "Blocks made for this incident have expired.",
        context);
  }
}
