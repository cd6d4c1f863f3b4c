package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;

/**
 * One address blocked at one enforcement point ({@code nsg:<id>}, {@code ip-group:<id>}, ...):
 * until when, for which incident, and since when.
 */
public record BlockRecord(
    String target, String address, Instant expiresAt, String incidentId, Instant blockedAt) {}
