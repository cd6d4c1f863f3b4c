package org.sentinelplaybooks.playbooks;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.servicenow.EncodedQuery;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowIncident;
import org.sentinelplaybooks.playbooks.state.TicketLink;
import org.sentinelplaybooks.playbooks.state.TicketStore;

/** How a Sentinel incident and its ServiceNow ticket find each other. */
final class Tickets {
  static final String CORRELATION_DISPLAY = "Microsoft Sentinel";

  private Tickets() {}

  /**
   * The incident's name (a GUID): ServiceNow's correlation fields are short, and the full ARM id is
   * longer, so the id goes in the description and the name here.
   */
  static String correlationId(IncidentId incident) {
    return incident.name().toLowerCase(Locale.ROOT);
  }

  static Optional<ServiceNowIncident> findByCorrelation(
      ServiceNowClient serviceNow, IncidentId incident) {
    return serviceNow
        .query(EncodedQuery.where("correlation_id", correlationId(incident)), 1)
        .stream()
        .findFirst();
  }

  /** Resolves a ticket with the configured close code and these notes. */
  static void resolve(
      ServiceNowClient serviceNow, Settings settings, ServiceNowIncident ticket, String notes) {
    serviceNow.update(
        ticket.sysId(),
        Map.of(
            "state",
            ServiceNowIncident.RESOLVED,
            "close_code",
            settings.serviceNow().closeCode(),
            "close_notes",
            notes));
  }

  /** The ticket linked to the incident: by the tickets row, else by correlation id. */
  static Optional<ServiceNowIncident> find(
      TicketStore store, ServiceNowClient serviceNow, IncidentId incident) {
    Optional<TicketLink> link = store.get(incident);
    if (link.isPresent() && link.get().isLinked()) {
      Optional<ServiceNowIncident> ticket = serviceNow.get(link.get().sysId());
      if (ticket.isPresent()) {
        return ticket;
      }
    }
    return findByCorrelation(serviceNow, incident);
  }
}
