package org.sentinelplaybooks.clients.defender;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentinelplaybooks.clients.sentinel.SecurityAlert;

/**
 * What a Sentinel alert says about where its Defender for Cloud alert lives. The name and
 * subscription are always known; the resource group and location may not be, in which case the
 * alert is found by listing.
 */
public record MdcAlertRef(
    String subscriptionId, String resourceGroup, String location, String name) {
  /** The product names Sentinel gives alerts that come from Defender for Cloud. */
  private static final Set<String> PRODUCT_NAMES =
      Set.of("azure security center", "microsoft defender for cloud", "azure defender");

  private static final Pattern LINK_SUBSCRIPTION =
      Pattern.compile("/subscriptionId/([^/?#]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern LINK_RESOURCE_GROUP =
      Pattern.compile("/resourceGroup/([^/?#]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern LINK_LOCATION =
      Pattern.compile("/location/([^/?#]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern RESOURCE_ID =
      Pattern.compile(
          "^/subscriptions/([^/]+)(?:/resourceGroups/([^/]+))?", Pattern.CASE_INSENSITIVE);

  public static boolean isDefenderForCloudAlert(SecurityAlert alert) {
    return alert.productName() != null
        && PRODUCT_NAMES.contains(alert.productName().toLowerCase(Locale.ROOT));
  }

  /**
   * Where the Defender for Cloud alert behind a Sentinel alert lives: the name from {@code
   * providerAlertId}; subscription, resource group and location from {@code alertLink}; failing
   * that, subscription and resource group from the alert's Azure resource. Empty when the alert is
   * not from Defender for Cloud or nothing names its subscription.
   */
  public static Optional<MdcAlertRef> of(SecurityAlert alert) {
    if (!isDefenderForCloudAlert(alert) || alert.providerAlertId() == null) {
      return Optional.empty();
    }
    String subscription = null;
    String resourceGroup = null;
    String location = null;
    if (alert.alertLink() != null) {
      subscription = find(LINK_SUBSCRIPTION, alert.alertLink());
      resourceGroup = find(LINK_RESOURCE_GROUP, alert.alertLink());
      location = find(LINK_LOCATION, alert.alertLink());
    }
    if (subscription == null) {
      for (String resourceId : alert.azureResourceIds()) {
        Matcher m = RESOURCE_ID.matcher(resourceId);
        if (m.find()) {
          subscription = m.group(1);
          resourceGroup = m.group(2);
          break;
        }
      }
    }
    if (subscription == null) {
      return Optional.empty();
    }
    return Optional.of(
        new MdcAlertRef(
            subscription.toLowerCase(Locale.ROOT),
            resourceGroup,
            location,
            alert.providerAlertId()));
  }

  private static String find(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? m.group(1) : null;
  }

  /** The alert's ARM id when everything needed for it is known. */
  public Optional<MdcAlertId> id() {
    return location == null
        ? Optional.empty()
        : Optional.of(new MdcAlertId(subscriptionId, resourceGroup, location, name));
  }

  @Override
  public String toString() {
    return id().map(MdcAlertId::armId)
        .orElse(
            "/subscriptions/"
                + subscriptionId
                + (resourceGroup == null ? "" : "/resourceGroups/" + resourceGroup)
                + "/providers/Microsoft.Security/alerts/"
                + name);
  }
}
