package org.sentinelplaybooks.clients.sentinel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Microsoft Sentinel incident, identified by its ARM id. */
public record IncidentId(WorkspaceId workspace, String name) {
  private static final Pattern ARM_ID =
      Pattern.compile(
          "^(/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.OperationalInsights/workspaces/[^/]+)"
              + "/providers/Microsoft\\.SecurityInsights/incidents/([-\\w]{1,128})/?$",
          Pattern.CASE_INSENSITIVE);

  /**
   * Parses an incident ARM id; the provider segments are matched case-insensitively, as ARM does.
   */
  public static IncidentId parse(String armId) {
    Matcher m = ARM_ID.matcher(armId == null ? "" : armId.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + armId
              + "' is not a Sentinel incident ARM id (expected /subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}"
              + "/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}"
              + "/providers/Microsoft.SecurityInsights/incidents/{incidentId})");
    }
    return new IncidentId(WorkspaceId.parse(m.group(1)), m.group(2));
  }

  public String armId() {
    return workspace.armId() + "/providers/Microsoft.SecurityInsights/incidents/" + name;
  }

  @Override
  public String toString() {
    return armId();
  }
}
