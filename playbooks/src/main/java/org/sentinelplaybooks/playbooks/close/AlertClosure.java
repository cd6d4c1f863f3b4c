package org.sentinelplaybooks.playbooks.close;

import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.MdcAlertId;

/**
 * What closing an incident does to its Defender for Cloud alerts, as the alerts API defines the
 * states (Azure/azure-rest-api-specs
 * specification/security/resource-manager/Microsoft.Security/stable/2022-01-01/alerts.json, {@code
 * alertStatus}): Resolved is "Alert closed after handling", Dismissed is "Alert dismissed as false
 * positive". Each is a POST to the alert's {@code /resolve} or {@code /dismiss} with no body,
 * answered 204 (the same folder's
 * examples/Alerts/UpdateAlertResourceGroupLocation_resolve_example.json and _dismiss_example.json).
 * Which one a classification means is {@link Classification#alertClosure()}.
 */
public enum AlertClosure {
  RESOLVE("resolve", "resolved"),
  DISMISS("dismiss", "dismissed");

  private final String action;
  private final String done;

  AlertClosure(String action, String done) {
    this.action = action;
    this.done = done;
  }

  /** The action's name in results: {@code resolve} or {@code dismiss}. */
  public String action() {
    return action;
  }

  /** What the alert is afterwards, in words: {@code resolved} or {@code dismissed}. */
  public String done() {
    return done;
  }

  void apply(DefenderForCloudClient defender, MdcAlertId alert) {
    switch (this) {
      case RESOLVE -> defender.resolve(alert);
      case DISMISS -> defender.dismiss(alert);
    }
  }
}
