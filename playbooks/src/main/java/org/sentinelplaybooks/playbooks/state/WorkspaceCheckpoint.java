package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;

/**
 * Where reconciling one workspace stands, for people: the last run (when, and how it ended), the
 * last success (everything modified before it is reconciled), the last full sweep, the failures the
 * next run retries, and the run holding the workspace now, if any.
 */
public record WorkspaceCheckpoint(
    String workspace,
    Instant lastRun,
    String lastRunStatus,
    Instant lastSuccess,
    Instant lastFullSweep,
    long failuresPending,
    String heldBy) {}
