package org.sentinelplaybooks.playbooks.state;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints in memory: for the CLI without storage, where every run starts from scratch. */
public final class InMemoryCheckpointStore implements CheckpointStore {
  private final Map<String, Checkpoint> checkpoints = new HashMap<>();
  private final Map<String, Map<String, Remembered>> statuses = new ConcurrentHashMap<>();

  private record Remembered(String status, Instant at) {}

  @Override
  public synchronized Optional<Checkpoint> acquire(String workspace, String runId, Duration lease) {
    Checkpoint current = checkpoints.get(workspace);
    Instant now = Instant.now();
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
  public Map<String, String> statuses(String workspace) {
    Map<String, String> copy = new HashMap<>();
    statuses.getOrDefault(workspace, Map.of()).forEach((k, v) -> copy.put(k, v.status()));
    return copy;
  }

  @Override
  public void rememberStatus(String workspace, String incident, String status) {
    statuses
        .computeIfAbsent(workspace, w -> new ConcurrentHashMap<>())
        .put(incident, new Remembered(status, Instant.now()));
  }

  @Override
  public void forgetStatusesBefore(String workspace, Instant before, String kept) {
    statuses
        .getOrDefault(workspace, Map.of())
        .values()
        .removeIf(r -> r.at().isBefore(before) && !r.status().equals(kept));
  }
}
