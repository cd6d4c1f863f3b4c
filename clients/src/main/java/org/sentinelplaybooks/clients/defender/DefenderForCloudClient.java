package org.sentinelplaybooks.clients.defender;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.rest.PagedIterable;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.implementation.RestCaller;

/**
 * Microsoft Defender for Cloud over ARM: security alerts (Microsoft.Security, 2022-01-01) and alert
 * suppression rules (2019-01-01-preview, the only version of that resource type).
 */
public final class DefenderForCloudClient {
  public static final String API_VERSION = "2022-01-01";

  /**
   * specification/security/resource-manager/Microsoft.Security/preview/2019-01-01-preview/
   * alertsSuppressionRules.json (Azure/azure-rest-api-specs): no stable version exists.
   */
  public static final String SUPPRESSION_API_VERSION = "2019-01-01-preview";

  private final RestCaller rest;

  private DefenderForCloudClient(HttpPipeline pipeline, URI endpoint) {
    this.rest = new RestCaller("Defender for Cloud", pipeline, endpoint);
  }

  public static ClientBuilder<DefenderForCloudClient> builder() {
    return new ClientBuilder<>(DefenderForCloudClient::new);
  }

  public MdcAlert getAlert(MdcAlertId id) {
    return MdcAlert.fromJson(
        rest.checkedResource(rest.send(HttpMethod.GET, url(id.armId()), null).body(), id.armId()));
  }

  /**
   * Alerts of a subscription, narrowed to a resource group and/or location when given (null for
   * all), following {@code nextLink} to the end.
   */
  public PagedIterable<MdcAlert> listAlerts(
      String subscriptionId, String resourceGroup, String location) {
    StringBuilder path = new StringBuilder("/subscriptions/").append(subscriptionId);
    if (resourceGroup != null) {
      path.append("/resourceGroups/").append(resourceGroup);
    }
    path.append("/providers/Microsoft.Security");
    if (location != null) {
      path.append("/locations/").append(location);
    }
    path.append("/alerts");
    return rest.list(HttpMethod.GET, url(path.toString()), "value", "nextLink", MdcAlert::fromJson);
  }

  /**
   * Finds the alert a Sentinel alert points at: by id when its location is known, otherwise by name
   * in its resource group's alerts and then its subscription's. Empty when it is gone.
   */
  public Optional<MdcAlert> findAlert(MdcAlertRef ref) {
    Optional<MdcAlertId> id = ref.id();
    if (id.isPresent()) {
      try {
        return Optional.of(getAlert(id.get()));
      } catch (ApiException e) {
        if (e.isNotFound()) {
          return Optional.empty();
        }
        throw e;
      }
    }
    if (ref.resourceGroup() != null) {
      Optional<MdcAlert> inGroup =
          findByName(listAlerts(ref.subscriptionId(), ref.resourceGroup(), null), ref);
      if (inGroup.isPresent()) {
        return inGroup;
      }
    }
    return findByName(listAlerts(ref.subscriptionId(), null, null), ref);
  }

  /**
   * The listed alert of the reference's name that lives where the reference says: its subscription,
   * and its resource group when the reference names one. Each is written to by its own id, so an
   * item of another subscription or group in the answer (a tampered list) is passed over.
   */
  private static Optional<MdcAlert> findByName(Iterable<MdcAlert> alerts, MdcAlertRef ref) {
    for (MdcAlert alert : alerts) {
      MdcAlertId id = alert.id();
      if (id.name().equalsIgnoreCase(ref.name())
          && id.subscriptionId().equalsIgnoreCase(ref.subscriptionId())
          && (ref.resourceGroup() == null
              || ref.resourceGroup().equalsIgnoreCase(id.resourceGroup()))) {
        return Optional.of(alert);
      }
    }
    return Optional.empty();
  }

  public void dismiss(MdcAlertId id) {
    changeState(id, "dismiss");
  }

  public void resolve(MdcAlertId id) {
    changeState(id, "resolve");
  }

  public void activate(MdcAlertId id) {
    changeState(id, "activate");
  }

  public void markInProgress(MdcAlertId id) {
    changeState(id, "inProgress");
  }

  private void changeState(MdcAlertId id, String action) {
    rest.send(HttpMethod.POST, url(id.armId() + "/" + action), null);
  }

  /**
   * The subscription's rule of that name, empty when there is none (GET .../alertsSuppressionRules/
   * {name}; examples/AlertsSuppressionRules/GetAlertsSuppressionRule_example.json).
   */
  public Optional<SuppressionRule> findSuppressionRule(String subscriptionId, String name) {
    try {
      return Optional.of(
          SuppressionRule.fromJson(
              rest.send(HttpMethod.GET, suppressionUrl(subscriptionId, name), null).body()));
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Creates or replaces a rule (PUT, 200 either way;
   * examples/AlertsSuppressionRules/PutAlertsSuppressionRule_example.json) and returns it as the
   * service keeps it.
   */
  public SuppressionRule putSuppressionRule(SuppressionRule rule) {
    return SuppressionRule.fromJson(
        rest.send(HttpMethod.PUT, suppressionUrl(rule.subscriptionId(), rule.name()), rule.toJson())
            .body());
  }

  /**
   * Every rule of a subscription, following {@code nextLink}
   * (examples/AlertsSuppressionRules/GetAlertsSuppressionRules_example.json).
   */
  public PagedIterable<SuppressionRule> listSuppressionRules(String subscriptionId) {
    return rest.list(
        HttpMethod.GET,
        suppressionUrl(subscriptionId, null),
        "value",
        "nextLink",
        SuppressionRule::fromJson);
  }

  /** Deletes a rule (DELETE, 204); alerts it already dismissed stay dismissed. */
  public void deleteSuppressionRule(String subscriptionId, String name) {
    rest.send(HttpMethod.DELETE, suppressionUrl(subscriptionId, name), null);
  }

  private String suppressionUrl(String subscriptionId, String name) {
    String path =
        "/subscriptions/"
            + SuppressionRule.checkSubscription(subscriptionId)
            + "/providers/Microsoft.Security/alertsSuppressionRules"
            + (name == null ? "" : "/" + SuppressionRule.checkName(name));
    return rest.url(path, Map.of("api-version", SUPPRESSION_API_VERSION));
  }

  private String url(String path) {
    return rest.url(path, Map.of("api-version", API_VERSION));
  }
}
