package org.sentinelplaybooks.playbooks.tickets;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.servicenow.EncodedQuery;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowIncident;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.state.TicketLink;
import org.sentinelplaybooks.playbooks.state.TicketStore;

/** How a Sentinel incident and its ServiceNow ticket find each other. */
public final class Tickets {
  static final String CORRELATION_DISPLAY = "Microsoft Sentinel";

  private Tickets() {}

  /**
   * The incident's name (a GUID): ServiceNow's correlation fields are short, and the full ARM id is
   * longer, so the id goes in the description and the name here.
   */
  public static String correlationId(IncidentId incident) {
    return incident.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The one ticket whose correlation id is the incident's, or none when none or several are: anyone
   * who can file a ServiceNow incident can give it that correlation id, so where there is more than
   * one this does not guess.
   */
  static Optional<ServiceNowIncident> findByCorrelation(
      ServiceNowClient serviceNow, IncidentId incident) {
    java.util.List<ServiceNowIncident> found =
        serviceNow.query(EncodedQuery.where("correlation_id", correlationId(incident)), 2);
    return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
  }

  /** Resolves a ticket with the configured close code and these notes. */
  public static void resolve(
      ServiceNowClient serviceNow,
      PlaybookSettings settings,
      ServiceNowIncident ticket,
      String notes) {
    serviceNow.update(
        ticket.sysId(),
        Map.of(
            "state",
            ServiceNowIncident.RESOLVED,
            "close_code",
            settings.tickets().closeCode(),
            "close_notes",
            notes));
  }

  /**
   * The ticket linked to the incident: by the tickets row, else the single ticket of its
   * correlation id (so that a lost row makes no second ticket).
   */
  public static Optional<ServiceNowIncident> find(
      TicketStore store, ServiceNowClient serviceNow, IncidentId incident) {
    Optional<ServiceNowIncident> linked = findRecorded(store, serviceNow, incident);
    return linked.isPresent() ? linked : findByCorrelation(serviceNow, incident);
  }

  /**
   * The ticket create-ticket recorded for the incident in the tickets row, and no other: what a
   * decision taken from the ticket's state (closing the incident) may trust.
   */
  public static Optional<ServiceNowIncident> findRecorded(
      TicketStore store, ServiceNowClient serviceNow, IncidentId incident) {
    Optional<TicketLink> link = store.get(incident);
    if (link.isPresent() && link.get().isLinked()) {
      return serviceNow.get(link.get().sysId());
    }
    return Optional.empty();
  }
}
