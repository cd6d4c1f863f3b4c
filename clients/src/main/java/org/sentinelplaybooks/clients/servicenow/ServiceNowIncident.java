package org.sentinelplaybooks.clients.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import org.sentinelplaybooks.clients.Json;

/** A ServiceNow incident record (table {@code incident}); ServiceNow gives every value as text. */
public record ServiceNowIncident(
    String sysId,
    String number,
    String state,
    String shortDescription,
    String correlationId,
    String closeNotes) {

  /** ServiceNow's incident states: 6 Resolved, 7 Closed, 8 Canceled end an incident. */
  public static final String RESOLVED = "6";

  static ServiceNowIncident fromJson(JsonNode record) {
    return new ServiceNowIncident(
        Json.text(record, "sys_id"),
        Json.text(record, "number"),
        Json.text(record, "state"),
        Json.text(record, "short_description"),
        Json.text(record, "correlation_id"),
        Json.text(record, "close_notes"));
  }

  public boolean isResolved() {
    return "6".equals(state) || "7".equals(state) || "8".equals(state);
  }
}
