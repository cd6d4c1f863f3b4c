package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;

/**
 * The row of the {@code tickets} table for one Sentinel incident: first a claim (a run is creating
 * the ticket), then the link to the ServiceNow incident it created or found.
 */
public record TicketLink(
    String incidentArmId, String claimedBy, Instant claimedAt, String sysId, String number) {
  public boolean isLinked() {
    return sysId != null;
  }
}
