package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;

/**
 * Where reconciling a workspace stands: everything modified before {@code watermark} has been
 * reconciled, the last full sweep, and the run that holds the workspace now (until {@code
 * leaseUntil}). {@code etag} is the row's, for conditional writes.
 */
public record Checkpoint(
    String workspace,
    Instant watermark,
    Instant lastFullSweep,
    String leaseOwner,
    Instant leaseUntil,
    String etag) {}
