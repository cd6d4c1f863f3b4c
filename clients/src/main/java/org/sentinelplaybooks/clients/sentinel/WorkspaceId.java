package org.sentinelplaybooks.clients.sentinel;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Log Analytics workspace with Microsoft Sentinel on it, identified by its ARM id. */
public record WorkspaceId(String subscriptionId, String resourceGroup, String name) {
  private static final Pattern ARM_ID =
      Pattern.compile(
          "^/subscriptions/([0-9a-fA-F-]{36})/resourceGroups/([-\\w._()]{1,90})"
              + "/providers/Microsoft\\.OperationalInsights/workspaces/([-\\w]{4,63})/?$",
          Pattern.CASE_INSENSITIVE);

  /**
   * Parses {@code
   * /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}}.
   */
  public static WorkspaceId parse(String armId) {
    Matcher m = ARM_ID.matcher(armId == null ? "" : armId.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + armId
              + "' is not a workspace ARM id (expected /subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}"
              + "/providers/Microsoft.OperationalInsights/workspaces/{workspaceName})");
    }
    return new WorkspaceId(m.group(1).toLowerCase(Locale.ROOT), m.group(2), m.group(3));
  }

  public String armId() {
    return "/subscriptions/"
        + subscriptionId
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/Microsoft.OperationalInsights/workspaces/"
        + name;
  }

  /** ARM ids are case-insensitive: two ids naming the same workspace are the same. */
  public boolean sameAs(WorkspaceId other) {
    return other != null && armId().equalsIgnoreCase(other.armId());
  }

  @Override
  public String toString() {
    return armId();
  }
}
