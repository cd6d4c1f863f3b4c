package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;

/**
 * One address blocked at one enforcement point ({@code nsg:<id>}, {@code ip-group:<id>}, ...):
 * until when, for which incident, and since when. It is written before the block is sent, so
 * whatever lands on a target has a record that {@code expire-blocks} lifts. {@code lifting} says
 * that {@code expire-blocks} has claimed it; {@code etag} is the version read (null for one not yet
 * stored), on which every change is conditional.
 */
public record BlockRecord(
    String target,
    String address,
    Instant expiresAt,
    String incidentId,
    Instant blockedAt,
    boolean lifting,
    String etag) {

  /** A record about to be written, before its block is sent. */
  public static BlockRecord pending(
      String target, String address, Instant expiresAt, String incidentId, Instant blockedAt) {
    return new BlockRecord(target, address, expiresAt, incidentId, blockedAt, false, null);
  }
}
