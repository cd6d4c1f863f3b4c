package org.sentinelplaybooks.clients.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.kiota.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.implementation.RestCaller;
import org.sentinelplaybooks.clients.implementation.SlidingWindowLimiter;

/**
 * Defender XDR alerts and incidents through the Microsoft Graph security API (v1.0), on the same
 * Graph transport as the identity operations. Graph documents "Any operation on alert … 150
 * requests per minute" per app and tenant (microsoftgraph/microsoft-graph-docs-contrib
 * concepts/throttling-limits.md); whether that covers {@code alerts_v2} is not stated, so every
 * call here is kept within it.
 */
public final class DefenderXdrClient {
  /** Graph's documented ceiling for alert operations, per app and tenant. */
  public static final int REQUESTS_PER_MINUTE = 150;

  private final GraphCaller graph;
  private final Runnable pacer;

  private DefenderXdrClient(GraphCaller graph) {
    this.graph = graph;
    this.pacer =
        graph.pacer(
            new SlidingWindowLimiter(
                REQUESTS_PER_MINUTE, Duration.ofMinutes(1), graph.options().waiter()));
  }

  /** A client on its own Graph connection ({@link GraphCaller#builder()}). */
  public static ClientBuilder<DefenderXdrClient> builder() {
    return ClientBuilder.withConnection(connection -> create(GraphCaller.create(connection)));
  }

  /** On a Graph connection shared with the other Graph clients. */
  public static DefenderXdrClient create(GraphCaller graph) {
    return new DefenderXdrClient(graph);
  }

  /**
   * The alert with this Graph id, empty when Graph has none (GET {@code
   * /security/alerts_v2/{alertId}}; api-reference/v1.0/api/security-alert-get.md). The id is sent
   * as given, encoded: alert ids hold {@code _} and may hold {@code -}.
   */
  public Optional<XdrAlert> getAlert(String alertId) {
    try {
      return Optional.of(XdrAlert.fromJson(send(HttpMethod.GET, alertPath(alertId), null)));
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Updates the alert and answers it as Graph has it afterwards: the update answers 200 with the
   * alert (api-reference/v1.0/api/security-alert-update.md). Only the properties set are sent.
   */
  public XdrAlert updateAlert(String alertId, XdrAlertUpdate update) {
    ObjectNode body = Json.object();
    if (update.status() != null) {
      body.put("status", update.status().wireName());
    }
    if (update.classification() != null) {
      body.put("classification", update.classification().wireName());
    }
    if (update.determination() != null) {
      body.put("determination", update.determination().wireName());
    }
    if (update.assignedTo() != null) {
      body.put("assignedTo", update.assignedTo());
    }
    return XdrAlert.fromJson(send(HttpMethod.PATCH, alertPath(alertId), bytes(body)));
  }

  /**
   * Adds a comment to the alert (POST {@code /security/alerts_v2/{alertId}/comments};
   * api-reference/v1.0/api/security-alert-post-comments.md): comments are not an update property.
   */
  public void addComment(String alertId, String comment) {
    ObjectNode body = Json.object();
    body.put("@odata.type", "microsoft.graph.security.alertComment");
    body.put("comment", comment);
    send(HttpMethod.POST, alertPath(alertId) + "/comments", bytes(body));
  }

  /**
   * The incident with its alerts, empty when Graph has none (GET {@code
   * /security/incidents/{incidentId}?$expand=alerts};
   * api-reference/v1.0/api/security-incident-get.md and resources/security-incident.md: "alerts …
   * Supports $expand").
   */
  public Optional<XdrIncident> getIncident(String incidentId) {
    try {
      return Optional.of(
          XdrIncident.fromJson(
              send(
                  HttpMethod.GET,
                  "/security/incidents/" + RestCaller.encode(incidentId) + "?$expand=alerts",
                  null)));
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static String alertPath(String alertId) {
    if (alertId == null || alertId.isBlank()) {
      throw new IllegalArgumentException("an alert id is required");
    }
    return "/security/alerts_v2/" + RestCaller.encode(alertId);
  }

  private JsonNode send(HttpMethod method, String pathAndQuery, byte[] body) {
    return graph.send(method, pathAndQuery, body, pacer, java.util.Map.of());
  }

  private static byte[] bytes(JsonNode body) {
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }
}
