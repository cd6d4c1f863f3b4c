package org.sentinelplaybooks.clients.defender;

import com.fasterxml.jackson.databind.JsonNode;
import org.sentinelplaybooks.clients.Json;

/** A Defender for Cloud alert as ARM returns it. */
public record MdcAlert(
    MdcAlertId id, String displayName, String severity, String status, String alertType) {

  static MdcAlert fromJson(JsonNode resource) {
    JsonNode p = resource.path("properties");
    return new MdcAlert(
        MdcAlertId.parse(Json.text(resource, "id")),
        Json.text(p, "alertDisplayName"),
        Json.text(p, "severity"),
        Json.text(p, "status"),
        Json.text(p, "alertType"));
  }

  /** Dismissed or Resolved: nothing more is expected of anyone. */
  public boolean isClosed() {
    return "Dismissed".equalsIgnoreCase(status) || "Resolved".equalsIgnoreCase(status);
  }
}
