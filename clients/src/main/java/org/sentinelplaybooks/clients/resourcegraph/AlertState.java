package org.sentinelplaybooks.clients.resourcegraph;

import com.fasterxml.jackson.databind.JsonNode;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.defender.MdcAlertId;

/** A Defender for Cloud alert as Resource Graph lists it: id, status, severity, display name. */
public record AlertState(
    MdcAlertId id, String name, String status, String severity, String displayName) {

  static AlertState fromRow(JsonNode row) {
    return new AlertState(
        MdcAlertId.parse(Json.text(row, "id")),
        Json.text(row, "name"),
        Json.text(row, "status"),
        Json.text(row, "severity"),
        Json.text(row, "displayName"));
  }

  /** Dismissed or Resolved. */
  public boolean isClosed() {
    return "Dismissed".equalsIgnoreCase(status) || "Resolved".equalsIgnoreCase(status);
  }
}
