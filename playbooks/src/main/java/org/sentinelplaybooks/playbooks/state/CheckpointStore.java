package org.sentinelplaybooks.playbooks.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per-workspace reconcile checkpoints, taken by one run at a time, and the last status seen of each
 * incident (so that a reopened incident is known as such).
 */
public interface CheckpointStore {
  /**
   * Takes the workspace for {@code runId} for {@code lease}, unless another run holds it: the
   * checkpoint as it stood, or empty when the workspace is taken.
   */
  Optional<Checkpoint> acquire(String workspace, String runId, Duration lease);

  /**
   * Moves the checkpoint on, keeping {@code retry} (incident names) for the next run, and lets the
   * workspace go, if this run still holds it.
   */
  void complete(Checkpoint taken, Instant watermark, Instant fullSweep, Set<String> retry);

  /** Lets the workspace go without moving the checkpoint (a failed or dry run). */
  void release(Checkpoint taken);

  /** The last status seen of each incident of the workspace, by incident name. */
  Map<String, String> statuses(String workspace);

  void rememberStatus(String workspace, String incident, String status);

  /**
   * Forgets the statuses last written before {@code before}: incidents no sweep reads now. A row
   * whose status is {@code kept} stays whatever its age (a mark that must outlive the window).
   */
  void forgetStatusesBefore(String workspace, Instant before, String kept);
}
