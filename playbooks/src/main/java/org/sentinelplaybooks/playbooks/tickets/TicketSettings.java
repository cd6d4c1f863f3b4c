package org.sentinelplaybooks.playbooks.tickets;

import java.util.List;
import org.sentinelplaybooks.clients.SettingsReader;

/**
 * What goes on the ServiceNow tickets the playbooks open and resolve: the caller, assignment group
 * and category of a new ticket (each left to ServiceNow when not set), and the close code of a
 * resolved one. How to reach ServiceNow is the clients' {@code ServiceNowSettings}.
 */
public record TicketSettings(
    String callerId, String assignmentGroup, String category, String closeCode) {
  public static final String SERVICENOW_CALLER_ID = "SERVICENOW_CALLER_ID";
  public static final String SERVICENOW_ASSIGNMENT_GROUP = "SERVICENOW_ASSIGNMENT_GROUP";
  public static final String SERVICENOW_CATEGORY = "SERVICENOW_CATEGORY";
  public static final String SERVICENOW_CLOSE_CODE = "SERVICENOW_CLOSE_CODE";

  /** The names of the settings read here. */
  public static final List<String> NAMES =
      List.of(
          SERVICENOW_CALLER_ID,
          SERVICENOW_ASSIGNMENT_GROUP,
          SERVICENOW_CATEGORY,
          SERVICENOW_CLOSE_CODE);

  public static final String DEFAULT_CLOSE_CODE = "Solved (Permanently)";

  /** The ticket settings; none of them can be malformed. */
  public static TicketSettings read(SettingsReader values) {
    String closeCode = values.text(SERVICENOW_CLOSE_CODE);
    return new TicketSettings(
        values.text(SERVICENOW_CALLER_ID),
        values.text(SERVICENOW_ASSIGNMENT_GROUP),
        values.text(SERVICENOW_CATEGORY),
        closeCode == null ? DEFAULT_CLOSE_CODE : closeCode);
  }
}
