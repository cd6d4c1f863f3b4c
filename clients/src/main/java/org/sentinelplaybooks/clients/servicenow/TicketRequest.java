package org.sentinelplaybooks.clients.servicenow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A new ServiceNow incident record: what {@link ServiceNowClient#create} writes. Impact and urgency
 * are ServiceNow's levels (1 high, 2 medium, 3 low); {@code callerId} (a sys_user) and {@code
 * assignmentGroup} (a sys_user_group) are sys_ids or names as the instance accepts them. A null
 * field is not sent, so the instance's default applies.
 */
public record TicketRequest(
    String shortDescription,
    String description,
    String impact,
    String urgency,
    String correlationId,
    String correlationDisplay,
    String callerId,
    String assignmentGroup,
    String category) {

  /** The Table API's fields, in the order they are sent. */
  Map<String, String> fields() {
    Map<String, String> fields = new LinkedHashMap<>();
    putIfSet(fields, "short_description", shortDescription);
    putIfSet(fields, "description", description);
    putIfSet(fields, "impact", impact);
    putIfSet(fields, "urgency", urgency);
    putIfSet(fields, "correlation_id", correlationId);
    putIfSet(fields, "correlation_display", correlationDisplay);
    putIfSet(fields, "caller_id", callerId);
    putIfSet(fields, "assignment_group", assignmentGroup);
    putIfSet(fields, "category", category);
    return fields;
  }

  private static void putIfSet(Map<String, String> fields, String field, String value) {
    if (value != null) {
      fields.put(field, value);
    }
  }
}
