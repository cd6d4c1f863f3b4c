package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;
import java.util.Set;

/**
 * Where reconciling a workspace stands: everything modified before {@code watermark} has been
 * reconciled but the incidents named in {@code retry} (their names, lower case), which failed and
 * are tried again; the last full sweep; and the run that holds the workspace now (until {@code
 * leaseUntil}). {@code etag} is the row's, for conditional writes.
 */
public record Checkpoint(
    String workspace,
    Instant watermark,
    Instant lastFullSweep,
    Set<String> retry,
    String leaseOwner,
    Instant leaseUntil,
    String etag) {
  public Checkpoint {
    retry = retry == null ? Set.of() : Set.copyOf(retry);
  }
}
