package org.sentinelplaybooks.clients.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import org.sentinelplaybooks.clients.Json;

/**
 * A ServiceNow incident record (table {@code incident}); ServiceNow gives every value as text.
 * {@code resolvedBy} (a sys_user) and {@code assignmentGroup} (a sys_user_group) are the incident's
 * {@code resolved_by} and {@code assignment_group} reference fields. The Table API gives a
 * reference as an object with the referenced record's {@code link} and {@code value} (its sys_id)
 * unless {@code sysparm_exclude_reference_link=true}, which every request of the client sends: then
 * the value alone (ServiceNow Developer blog, "Dot-walking in the REST Table API",
 * developer.servicenow.com; the Table API's sysparm_exclude_reference_link parameter).
 */
public record ServiceNowIncident(
    String sysId,
    String number,
    String state,
    String shortDescription,
    String correlationId,
    String closeNotes,
    String resolvedBy,
    String assignmentGroup) {

  /** ServiceNow's incident states: 6 Resolved, 7 Closed, 8 Canceled end an incident. */
  public static final String RESOLVED = "6";

  public static final String CLOSED = "7";
  public static final String CANCELED = "8";

  static ServiceNowIncident fromJson(JsonNode record) {
    return new ServiceNowIncident(
        Json.text(record, "sys_id"),
        Json.text(record, "number"),
        Json.text(record, "state"),
        Json.text(record, "short_description"),
        Json.text(record, "correlation_id"),
        Json.text(record, "close_notes"),
        reference(record, "resolved_by"),
        reference(record, "assignment_group"));
  }

  /** A reference field's sys_id, whether given bare or, should a link slip in, as {value}. */
  private static String reference(JsonNode record, String field) {
    JsonNode value = record.path(field);
    String sysId = value.isObject() ? Json.text(value, "value") : Json.text(record, field);
    return sysId == null || sysId.isBlank() ? null : sysId;
  }

  /** Resolved or closed: someone decided the incident. A cancelled one was not decided. */
  public boolean isResolved() {
    return RESOLVED.equals(state) || CLOSED.equals(state);
  }

  public boolean isCanceled() {
    return CANCELED.equals(state);
  }
}
