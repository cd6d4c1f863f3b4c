package org.sentinelplaybooks.clients.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;
import org.sentinelplaybooks.clients.ApiException;
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

  /**
   * A number as ServiceNow makes them: the table's prefix, then digits ({@code INC0010001}; the
   * prefix and digit count are set under Number Maintenance). Anything else, a line break or markup
   * above all, is a tampered answer: the number goes into comments and labels.
   */
  private static final Pattern NUMBER = Pattern.compile("[A-Za-z]{1,16}[0-9]{1,20}");

  /** Refuses a record whose number is not of ServiceNow's form. */
  public ServiceNowIncident {
    if (number != null && !NUMBER.matcher(number).matches()) {
      throw new ApiException(
          "ServiceNow",
          0,
          "MalformedResponse",
          "the incident's number is not a prefix and digits, such as INC0010001");
    }
  }

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
