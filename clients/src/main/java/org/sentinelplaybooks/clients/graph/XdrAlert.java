package org.sentinelplaybooks.clients.graph;

import com.fasterxml.jackson.databind.JsonNode;
import org.sentinelplaybooks.clients.Json;

/**
 * A Defender XDR alert as the Microsoft Graph security API gives it ({@code
 * microsoft.graph.security.alert}, v1.0). The enum values are the v1.0 CSDL's camelCase members;
 * values this client does not know (e.g. {@code unknownFutureValue}) are kept as sent.
 *
 * @param id the Graph alert id
 * @param providerAlertId the alert's id in the product that raised it
 * @param incidentId the Defender XDR incident that holds the alert
 */
public record XdrAlert(
    String id,
    String providerAlertId,
    String incidentId,
    String status,
    String classification,
    String determination,
    String serviceSource,
    String title) {

  static XdrAlert fromJson(JsonNode alert) {
    return new XdrAlert(
        Json.text(alert, "id"),
        Json.text(alert, "providerAlertId"),
        Json.text(alert, "incidentId"),
        Json.text(alert, "status"),
        Json.text(alert, "classification"),
        Json.text(alert, "determination"),
        Json.text(alert, "serviceSource"),
        Json.text(alert, "title"));
  }

  public boolean isResolved() {
    return XdrAlertUpdate.Status.RESOLVED.wireName().equals(status);
  }

  /** New or in progress: not yet decided. */
  public boolean isOpen() {
    return XdrAlertUpdate.Status.NEW.wireName().equals(status)
        || XdrAlertUpdate.Status.IN_PROGRESS.wireName().equals(status);
  }

  /** Classified as a true positive: a threat that was handled, not a false alarm. */
  public boolean isTruePositive() {
    return XdrAlertUpdate.Classification.TRUE_POSITIVE.wireName().equals(classification);
  }

  /** Whether the alert carries {@code id} as its Graph id or as its provider's id. */
  public boolean hasId(String id) {
    return id != null && (id.equals(this.id) || id.equals(providerAlertId));
  }
}
