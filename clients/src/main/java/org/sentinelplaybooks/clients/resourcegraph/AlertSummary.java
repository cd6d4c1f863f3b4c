package org.sentinelplaybooks.clients.resourcegraph;

import com.fasterxml.jackson.databind.JsonNode;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.defender.MdcAlertId;

/**
 * An open Defender for Cloud alert as the portal's "Open query" lists it: what a person scans to
 * pick the alerts to handle.
 */
public record AlertSummary(
    MdcAlertId id,
    String name,
    String severity,
    String status,
    String displayName,
    String timeGenerated,
    String productName,
    String systemAlertId) {

  static AlertSummary fromRow(JsonNode row) {
    return new AlertSummary(
        MdcAlertId.parse(Json.text(row, "id")),
        Json.text(row, "name"),
        Json.text(row, "severity"),
        Json.text(row, "status"),
        Json.text(row, "displayName"),
        Json.text(row, "timeGenerated"),
        Json.text(row, "productName"),
        Json.text(row, "systemAlertId"));
  }
}
