package org.sentinelplaybooks.playbooks.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentEntity;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;

/** Reads the incident a request names; an incident Sentinel does not know is bad input. */
public final class IncidentReader {
  private IncidentReader() {}

  /** Reads the incident and notes its number for the run's events. */
  public static Incident read(
      SentinelClient sentinel, IncidentId id, PlaybookRequest request, RunContext context) {
    Incident incident = read(sentinel, id, request);
    context.telemetry().noteIncident(incident);
    return incident;
  }

  public static Incident read(SentinelClient sentinel, IncidentId id, PlaybookRequest request) {
    try {
      return sentinel.getIncident(id);
    } catch (ApiException e) {
      if (e.isNotFound()) {
        throw new BadInputException(
            request.incidentIdField(), "Sentinel has no incident " + id.armId());
      }
      throw e;
    }
  }

  /**
   * Starts reading the incident's entities, unless the request already names what to act on (then
   * no call is made and the list is empty).
   */
  public static CompletableFuture<List<IncidentEntity>> entitiesUnlessGiven(
      Parallel parallel, SentinelClient sentinel, IncidentId id, List<?> given) {
    return given.isEmpty()
        ? parallel.call(() -> sentinel.listEntities(id))
        : CompletableFuture.completedFuture(List.of());
  }
}
