package org.sentinelplaybooks.playbooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.playbooks.state.BlockRecord;
import org.sentinelplaybooks.playbooks.state.BlockStore;

/**
 * Lifts the blocks whose expiry has passed: takes exactly those addresses off each enforcement
 * point, forgets the records of what came off, and comments on each incident the blocks were made
 * for. A target that fails keeps its records, so the next run tries again.
 */
public final class ExpireBlocks {
  public static final String NAME = "expire-blocks";

  private final SentinelClient sentinel;
  private final Map<String, Blocker> blockers = new LinkedHashMap<>();
  private final BlockStore blocks;

  ExpireBlocks(SentinelClient sentinel, List<Blocker> blockers, BlockStore blocks) {
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
      List<BlockRecord> records = entry.getValue();
      Blocker blocker = blockers.get(entry.getKey());
      if (blocker == null) {
        actions.add(
            ActionResult.of(
                entry.getKey(),
                "unblock",
                Outcome.SKIPPED,
                "no longer configured; its " + records.size() + " expired record(s) are kept"));
        continue;
      }
      List<Cidr> addresses = records.stream().map(r -> Cidr.parse(r.address())).toList();
      ActionResult action = blocker.unblock(addresses, context.dryRun());
      actions.add(action);
      if (action.outcome() == Outcome.FAILED || context.dryRun()) {
        continue;
      }
      records.forEach(blocks::remove);
      records.stream()
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
