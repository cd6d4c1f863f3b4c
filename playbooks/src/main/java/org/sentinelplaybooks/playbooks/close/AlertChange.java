package org.sentinelplaybooks.playbooks.close;

import java.util.Locale;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.MdcAlertId;

/**
 * What closing an incident, or reconciling it, does to a Defender for Cloud alert, as the alerts
 * API defines the states (Azure/azure-rest-api-specs
 * specification/security/resource-manager/Microsoft.Security/stable/2022-01-01/alerts.json, {@code
 * alertStatus}): Resolved is "Alert closed after handling", Dismissed is "Alert dismissed as false
 * positive", Active is an alert to be handled again. Each is a POST to the alert's {@code
 * /resolve}, {@code /dismiss} or {@code /activate} with no body, answered 204 (the same folder's
 * examples/Alerts/UpdateAlertResourceGroupLocation_resolve_example.json and _dismiss_example.json;
 * for activate, Alerts_UpdateSubscriptionLevelStateToActivate, as the contract
 * ../shared/contracts/security/alerts_dismiss_subscriptionLevel.json notes). Which one a
 * classification means is {@link Classification#alertClosure()}; only reconcile activates (an alert
 * of a reopened incident).
 */
public enum AlertChange {
  RESOLVE("resolve", "resolved"),
  DISMISS("dismiss", "dismissed"),
  ACTIVATE("activate", "activated");

  private final String action;
  private final String done;

  AlertChange(String action, String done) {
    this.action = action;
    this.done = done;
  }

  /** The change named as in results: {@code resolve}, {@code dismiss} or {@code activate}. */
  public static AlertChange of(String action) {
    return valueOf(action.toUpperCase(Locale.ROOT));
  }

  /** The action's name in results: {@code resolve}, {@code dismiss} or {@code activate}. */
  public String action() {
    return action;
  }

  /** What the alert is afterwards, in words: {@code resolved}, {@code dismissed}, ... */
  public String done() {
    return done;
  }

  void apply(DefenderForCloudClient defender, MdcAlertId alert) {
    switch (this) {
      case RESOLVE -> defender.resolve(alert);
      case DISMISS -> defender.dismiss(alert);
      case ACTIVATE -> defender.activate(alert);
    }
  }
}
