package org.sentinelplaybooks.playbooks.state;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * What the app's state says now, for people and scripts ({@code cli status}, the end of the demo):
 * the addresses blocked, by when they are due to be lifted, the tickets linked to incidents, where
 * reconciling each workspace stands, and the latest identity actions completed.
 */
@JsonPropertyOrder({
  "at",
  "activeBlocks",
  "dueWithinHour",
  "tickets",
  "checkpoints",
  "identityActions"
})
public record AppStatus(
    Instant at,
    List<BlockRecord> activeBlocks,
    List<BlockRecord> dueWithinHour,
    List<TicketLink> tickets,
    List<WorkspaceCheckpoint> checkpoints,
    List<ActionRecord> identityActions) {
  /** How far ahead a block counts as due. */
  public static final Duration DUE_WITHIN = Duration.ofHours(1);

  /** How many of the latest completed identity actions are shown. */
  public static final int RECENT_ACTIONS = 20;

  public AppStatus {
    activeBlocks = List.copyOf(activeBlocks);
    dueWithinHour = List.copyOf(dueWithinHour);
    tickets = List.copyOf(tickets);
    checkpoints = List.copyOf(checkpoints);
    identityActions = List.copyOf(identityActions);
  }

  /**
   * Reads the stores. A block whose expiry has passed but which is not lifted yet still counts as
   * active (and due): it is still enforced until {@code expire-blocks} takes it off.
   */
  public static AppStatus read(
      BlockStore blocks,
      TicketStore tickets,
      CheckpointStore checkpoints,
      ActionStore actions,
      Instant now) {
    List<BlockRecord> active =
        blocks.all().stream()
            .sorted(
                Comparator.comparing(BlockRecord::expiresAt)
                    .thenComparing(BlockRecord::target)
                    .thenComparing(BlockRecord::address))
            .toList();
    Instant due = now.plus(DUE_WITHIN);
    return new AppStatus(
        now,
        active,
        active.stream().filter(b -> !b.expiresAt().isAfter(due)).toList(),
        tickets.all().stream()
            .filter(TicketLink::isLinked)
            .sorted(Comparator.comparing(TicketLink::incidentArmId))
            .toList(),
        checkpoints.all().stream()
            .sorted(Comparator.comparing(WorkspaceCheckpoint::workspace))
            .toList(),
        actions.recent(RECENT_ACTIONS));
  }
}
