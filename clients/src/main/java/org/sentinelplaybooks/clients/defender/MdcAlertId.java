package org.sentinelplaybooks.clients.defender;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Defender for Cloud alert: in a subscription, optionally in a resource group, in a location.
 * {@code resourceGroup} is null for a subscription-level alert.
 */
public record MdcAlertId(
    String subscriptionId, String resourceGroup, String location, String name) {
  private static final Pattern ARM_ID =
      Pattern.compile(
          "^/subscriptions/([^/]+)(?:/resourceGroups/([^/]+))?/providers/Microsoft\\.Security"
              + "/locations/([^/]+)/alerts/([^/]+)/?$",
          Pattern.CASE_INSENSITIVE);

  public static MdcAlertId parse(String armId) {
    Matcher m = ARM_ID.matcher(armId == null ? "" : armId.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + armId + "' is not a Defender for Cloud alert ARM id");
    }
    return new MdcAlertId(m.group(1).toLowerCase(Locale.ROOT), m.group(2), m.group(3), m.group(4));
  }

  public String armId() {
    StringBuilder id = new StringBuilder("/subscriptions/").append(subscriptionId);
    if (resourceGroup != null) {
      id.append("/resourceGroups/").append(resourceGroup);
    }
    return id.append("/providers/Microsoft.Security/locations/")
        .append(location)
        .append("/alerts/")
        .append(name)
        .toString();
  }

  @Override
  public String toString() {
    return armId();
  }
}
