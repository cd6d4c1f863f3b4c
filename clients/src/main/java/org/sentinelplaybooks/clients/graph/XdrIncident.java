package org.sentinelplaybooks.clients.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.clients.Json;

/**
 * A Defender XDR incident ({@code microsoft.graph.security.incident}, v1.0) with its alerts. An
 * incident XDR merged into another has the status {@code redirected} and names the surviving one in
 * {@code redirectIncidentId} (microsoftgraph/microsoft-graph-docs-contrib
 * api-reference/v1.0/resources/security-incident.md).
 */
public record XdrIncident(
    String id, String status, String redirectIncidentId, List<XdrAlert> alerts) {

  public XdrIncident {
    alerts = List.copyOf(alerts);
  }

  static XdrIncident fromJson(JsonNode incident) {
    List<XdrAlert> alerts = new ArrayList<>();
    for (JsonNode alert : incident.path("alerts")) {
      alerts.add(XdrAlert.fromJson(alert));
    }
    return new XdrIncident(
        Json.text(incident, "id"),
        Json.text(incident, "status"),
        Json.text(incident, "redirectIncidentId"),
        alerts);
  }

  public boolean isRedirected() {
    return "redirected".equals(status) && redirectIncidentId != null;
  }

  public boolean isResolved() {
    return "resolved".equals(status);
  }
}
