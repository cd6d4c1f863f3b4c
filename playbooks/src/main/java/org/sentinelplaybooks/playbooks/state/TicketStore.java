package org.sentinelplaybooks.playbooks.state;

import java.util.Optional;
import org.sentinelplaybooks.clients.sentinel.IncidentId;

/**
 * The links between Sentinel incidents and ServiceNow incidents. A row is created once per
 * incident, atomically: the run that creates it owns the ticket's creation.
 */
public interface TicketStore {
  Optional<TicketLink> get(IncidentId incident);

  /**
   * Claims the incident for {@code runId}: true when this run made the row, false when a row was
   * already there (read it with {@link #get}).
   */
  boolean claim(IncidentId incident, String runId);

  /** Takes over a claim a run left behind, if it is still exactly {@code stale}. */
  boolean takeOver(IncidentId incident, TicketLink stale, String runId);

  /** Records the ServiceNow incident on the row this run claimed. */
  void link(IncidentId incident, String sysId, String number);

  /** Drops this run's claim after a failure, so that a later run can try again. */
  void release(IncidentId incident, String runId);

  /**
   * Forgets the incident's link if it still names the ticket {@code sysId} (a ticket that moved to
   * another incident); any other row is kept.
   */
  void forget(IncidentId incident, String sysId);

  /** Where the links are kept, for people: e.g. {@code Azure Tables 'tickets'}. */
  String describe();
}
