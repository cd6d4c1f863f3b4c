package org.sentinelplaybooks.clients.sentinel;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.rest.PagedIterable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.implementation.RestCaller;

/**
 * Microsoft Sentinel incidents over ARM (Microsoft.SecurityInsights, a pinned stable api-version).
 */
public final class SentinelClient {
  public static final String API_VERSION = "2025-06-01";
  static final int MAX_CONFLICT_RETRIES = 5;

  /**
   * The incident properties a PUT may set; everything else is read-only and not sent
   * (azure-rest-api-specs specification/securityinsights/resource-manager/
   * Microsoft.SecurityInsights/stable/2025-06-01/Incidents.json, IncidentProperties: providerName,
   * providerIncidentId, incidentNumber, ... are readOnly). Labels go by name only: labelType is
   * read-only too (common/IncidentTypes.json, IncidentLabel).
   */
  private static final Set<String> WRITABLE =
      Set.of(
          "title",
          "description",
          "severity",
          "status",
          "classification",
          "classificationReason",
          "classificationComment",
          "owner",
          "firstActivityTimeUtc",
          "lastActivityTimeUtc");

  static final String BY_CREATION = "properties/createdTimeUtc asc";

  private final RestCaller rest;

  private SentinelClient(HttpPipeline pipeline, URI endpoint) {
    this.rest = new RestCaller("Sentinel", pipeline, endpoint);
  }

  public static ClientBuilder<SentinelClient> builder() {
    return new ClientBuilder<>(SentinelClient::new);
  }

  public Incident getIncident(IncidentId id) {
    return Incident.fromJson(
        rest.checkedResource(rest.send(HttpMethod.GET, url(id.armId()), null).body(), id.armId()));
  }

  /**
   * Every incident of a workspace, in the service's order, following {@code nextLink} to the end.
   *
   * @param top the page size (1..1000), or null for the service default
   */
  public PagedIterable<Incident> listIncidents(WorkspaceId workspace, Integer top) {
    return listIncidents(workspace, null, null, top);
  }

  /**
   * Incidents of a workspace, following {@code nextLink} to the end.
   *
   * @param filter an OData filter such as {@code properties/status ne 'Closed'}, or null
   * @param orderBy such as {@code properties/lastModifiedTimeUtc asc}, or null
   * @param top the page size (1..1000), or null for the service default
   */
  PagedIterable<Incident> listIncidents(
      WorkspaceId workspace, String filter, String orderBy, Integer top) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("api-version", API_VERSION);
    query.put("$filter", filter);
    query.put("$orderby", orderBy);
    query.put("$top", top == null ? null : top.toString());
    String first =
        rest.url(workspace.armId() + "/providers/Microsoft.SecurityInsights/incidents", query);
    return rest.list(
        HttpMethod.GET, first, "value", "nextLink", item -> inWorkspace(item, workspace));
  }

  /** The incidents that match, in the service's order, {@code top} a page. */
  public PagedIterable<Incident> listIncidents(
      WorkspaceId workspace, IncidentFilter filter, Integer top) {
    return listIncidents(workspace, filter.odata(), null, top);
  }

  /**
   * The incidents that match, oldest created first, {@code top} a page. Creation is the order no
   * write moves (a write moves an incident's lastModifiedTimeUtc, so paging in that order would
   * skip or repeat incidents). Incidents_List takes OData $filter, $orderby, $top (at most 1000)
   * and $skipToken; its example orders by properties/createdTimeUtc (Azure/azure-rest-api-specs,
   * specification/securityinsights/resource-manager/Microsoft.SecurityInsights/stable/2025-06-01/Incidents.json,
   * Incidents_List, and examples/incidents/GetIncidents.json).
   */
  public PagedIterable<Incident> listIncidentsOldestFirst(
      WorkspaceId workspace, IncidentFilter filter, Integer top) {
    return listIncidents(workspace, filter.odata(), BY_CREATION, top);
  }

  /** A listed incident, when it is one of the workspace asked for; a tampered list is refused. */
  private Incident inWorkspace(JsonNode item, WorkspaceId workspace) {
    Incident incident = Incident.fromJson(item);
    if (incident.id() == null || !incident.id().workspace().sameAs(workspace)) {
      throw new ApiException(
          rest.service(),
          0,
          "UnexpectedResource",
          "the list holds an incident of another workspace than the one asked for");
    }
    return incident;
  }

  /**
   * Reads the incident, asks {@code change} what to change, and writes it with the etag read. On an
   * etag conflict it reads again and asks again, so a concurrent writer's changes are kept. When
   * {@code change} answers empty nothing is written.
   */
  public UpdateResult updateIncident(
      IncidentId id, Function<Incident, Optional<IncidentUpdate>> change) {
    return updateIncident(getIncident(id), change);
  }

  /**
   * As {@link #updateIncident(IncidentId, Function)}, starting from an incident the caller has just
   * read (saving a read when nobody else writes in between).
   */
  public UpdateResult updateIncident(
      Incident read, Function<Incident, Optional<IncidentUpdate>> change) {
    Incident current = read;
    for (int conflicts = 0; ; conflicts++) {
      Optional<IncidentUpdate> update = change.apply(current);
      if (update.isEmpty()) {
        return new UpdateResult(current, false, conflicts);
      }
      try {
        return new UpdateResult(put(current, update.get()), true, conflicts);
      } catch (ApiException e) {
        if (!e.isConflict() || conflicts >= MAX_CONFLICT_RETRIES) {
          throw e;
        }
      }
      current = getIncident(read.id());
    }
  }

  private Incident put(Incident current, IncidentUpdate update) {
    ObjectNode properties = Json.object();
    current
        .properties()
        .fields()
        .forEachRemaining(
            field -> {
              if (WRITABLE.contains(field.getKey()) && !field.getValue().isNull()) {
                properties.set(field.getKey(), field.getValue());
              }
            });
    setIfGiven(properties, "status", update.status());
    if (update.classification() != null) {
      // A new verdict replaces the old one whole: an earlier reason or comment is not kept.
      properties.put("classification", update.classification());
      properties.remove(List.of("classificationReason", "classificationComment"));
    }
    setIfGiven(properties, "classificationReason", update.classificationReason());
    setIfGiven(properties, "classificationComment", update.classificationComment());
    List<String> labelNames = current.labels();
    for (String label : update.addLabels()) {
      if (labelNames.stream().noneMatch(label::equalsIgnoreCase)) {
        labelNames.add(label);
      }
    }
    if (!labelNames.isEmpty() || current.properties().has("labels")) {
      ArrayNode labels = properties.putArray("labels");
      labelNames.forEach(name -> labels.addObject().put("labelName", name));
    }
    ObjectNode body = Json.object();
    if (current.etag() != null) {
      body.put("etag", current.etag());
    }
    body.set("properties", properties);
    Map<String, String> headers =
        current.etag() == null ? Map.of() : Map.of("If-Match", current.etag());
    return Incident.fromJson(
        rest.checkedResource(
            rest.send(HttpMethod.PUT, url(current.id().armId()), body, headers).body(),
            current.id().armId()));
  }

  private static void setIfGiven(ObjectNode properties, String field, String value) {
    if (value != null) {
      properties.put(field, value);
    }
  }

  /**
   * Adds (or, with the same id, replaces) a comment. A caller that derives the id from what the
   * comment says makes a retried call land on the same comment instead of a second one.
   */
  public void putComment(IncidentId id, String commentId, String message) {
    ObjectNode body = Json.object();
    body.putObject("properties").put("message", message);
    rest.send(HttpMethod.PUT, url(id.armId() + "/comments/" + RestCaller.encode(commentId)), body);
  }

  /** The comments' messages, oldest first as the service lists them. */
  public List<String> listComments(IncidentId id) {
    List<String> messages = new ArrayList<>();
    for (JsonNode comment :
        rest.list(
            HttpMethod.GET,
            url(id.armId() + "/comments"),
            "value",
            "nextLink",
            Function.identity())) {
      messages.add(Json.text(comment.path("properties"), "message"));
    }
    return messages;
  }

  public List<SecurityAlert> listAlerts(IncidentId id) {
    List<SecurityAlert> alerts = new ArrayList<>();
    for (JsonNode alert :
        rest.send(HttpMethod.POST, url(id.armId() + "/alerts"), null).body().path("value")) {
      alerts.add(SecurityAlert.fromJson(alert));
    }
    return alerts;
  }

  public List<IncidentEntity> listEntities(IncidentId id) {
    List<IncidentEntity> entities = new ArrayList<>();
    for (JsonNode entity :
        rest.send(HttpMethod.POST, url(id.armId() + "/entities"), null).body().path("entities")) {
      entities.add(IncidentEntity.fromJson(entity));
    }
    return entities;
  }

  private String url(String path) {
    return rest.url(path, Map.of("api-version", API_VERSION));
  }

  /**
   * The result of {@link #updateIncident}: the incident as it now is, whether it was written, and
   * how many etag conflicts were met on the way.
   */
  public record UpdateResult(Incident incident, boolean written, int conflicts) {}
}
