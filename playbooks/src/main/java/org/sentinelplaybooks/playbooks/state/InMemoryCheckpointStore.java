package org.sentinelplaybooks.playbooks.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints in memory: for the CLI without storage, where every run starts from scratch. */
public final class InMemoryCheckpointStore implements CheckpointStore {
  private final Map<String, Checkpoint> checkpoints = new HashMap<>();
  private final Map<String, Map<String, Remembered>> statuses = new ConcurrentHashMap<>();

  private final Map<String, WorkspaceCheckpoint> runs = new HashMap<>();
  private final Clock clock;

  /** Leases and remembered statuses timed by {@code clock}. */
  public InMemoryCheckpointStore(Clock clock) {
    this.clock = clock;
  }

  private record Remembered(String status, Instant at) {}

  @Override
  public synchronized Optional<Checkpoint> acquire(String workspace, String runId, Duration lease) {
    Checkpoint current = checkpoints.get(workspace);
    Instant now = clock.instant();
    if (current != null
        && current.leaseOwner() != null
        && current.leaseUntil() != null
        && current.leaseUntil().isAfter(now)) {
      return Optional.empty();
    }
    Checkpoint taken =
        new Checkpoint(
            workspace,
            current == null ? null : current.watermark(),
            current == null ? null : current.lastFullSweep(),
            current == null ? null : current.retry(),
            runId,
            now.plus(lease),
            null);
    checkpoints.put(workspace, taken);
    return Optional.of(taken);
  }

  @Override
  public synchronized void complete(
      Checkpoint taken, Instant watermark, Instant fullSweep, Set<String> retry) {
    if (taken.equals(checkpoints.get(taken.workspace()))) {
      checkpoints.put(
          taken.workspace(),
          new Checkpoint(
              taken.workspace(),
              watermark,
              fullSweep == null ? taken.lastFullSweep() : fullSweep,
              retry,
              null,
              null,
              null));
    }
  }

  @Override
  public synchronized void release(Checkpoint taken) {
    if (taken.equals(checkpoints.get(taken.workspace()))) {
      checkpoints.put(
          taken.workspace(),
          new Checkpoint(
              taken.workspace(),
              taken.watermark(),
              taken.lastFullSweep(),
              taken.retry(),
              null,
              null,
              null));
    }
  }

  @Override
  public synchronized void recordRun(String workspace, Instant at, String status, long failures) {
    runs.put(workspace, new WorkspaceCheckpoint(workspace, at, status, null, null, failures, null));
  }

  @Override
  public synchronized List<WorkspaceCheckpoint> all() {
    Set<String> workspaces = new TreeSet<>(checkpoints.keySet());
    workspaces.addAll(runs.keySet());
    List<WorkspaceCheckpoint> all = new ArrayList<>();
    Instant now = clock.instant();
    for (String workspace : workspaces) {
      Checkpoint checkpoint = checkpoints.get(workspace);
      WorkspaceCheckpoint run = runs.get(workspace);
      boolean held =
          checkpoint != null
              && checkpoint.leaseOwner() != null
              && checkpoint.leaseUntil() != null
              && checkpoint.leaseUntil().isAfter(now);
      all.add(
          new WorkspaceCheckpoint(
              workspace,
              run == null ? null : run.lastRun(),
              run == null ? null : run.lastRunStatus(),
              checkpoint == null ? null : checkpoint.watermark(),
              checkpoint == null ? null : checkpoint.lastFullSweep(),
              run == null ? 0 : run.failuresPending(),
              held ? checkpoint.leaseOwner() : null));
    }
    return all;
  }

  @Override
  public Map<String, String> statuses(String workspace) {
    Map<String, String> copy = new HashMap<>();
    statuses.getOrDefault(workspace, Map.of()).forEach((k, v) -> copy.put(k, v.status()));
    return copy;
  }

  @Override
  public void rememberStatus(String workspace, String incident, String status) {
    statuses
        .computeIfAbsent(workspace, w -> new ConcurrentHashMap<>())
        .put(incident, new Remembered(status, clock.instant()));
  }

  @Override
  public void forgetStatusesBefore(String workspace, Instant before, String kept) {
    statuses
        .getOrDefault(workspace, Map.of())
        .values()
        .removeIf(r -> r.at().isBefore(before) && !r.status().equals(kept));
  }
}
