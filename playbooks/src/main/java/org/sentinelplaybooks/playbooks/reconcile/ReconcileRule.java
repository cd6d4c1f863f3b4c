package org.sentinelplaybooks.playbooks.reconcile;

import java.util.Arrays;
import java.util.Optional;

/**
 * The rules {@code reconcile} can apply, each by the name users write in {@code RECONCILE_RULES}
 * (and which the README's rule table and the events use).
 */
public enum ReconcileRule {
  /** Incident closed → its open MDC alerts dismissed (resolved when TruePositive). */
  CLOSE_ALERTS("close-alerts"),

  /** Every linked MDC alert dismissed or resolved → the open incident closed. */
  CLOSE_INCIDENT("close-incident"),

  /** ServiceNow ticket resolved or closed → the open incident closed. */
  TICKET_TO_INCIDENT("ticket-to-incident"),

  /** Incident closed → its open ServiceNow ticket resolved. */
  INCIDENT_TO_TICKET("incident-to-ticket"),

  /** Incident reopened → its dismissed MDC alerts activated again (off by default). */
  REOPEN_ALERTS("reopen-alerts"),

  /**
   * Incident closed → its open Defender XDR alerts resolved with the matching verdict (acts only
   * where Microsoft Graph is configured and {@code DEFENDER_XDR_SYNC} is on).
   */
  CLOSE_XDR_ALERTS("close-xdr-alerts");

  private final String settingName;

  ReconcileRule(String settingName) {
    this.settingName = settingName;
  }

  /** The rule's name in {@code RECONCILE_RULES}, the README and the events. */
  public String settingName() {
    return settingName;
  }

  /** The rule of that name, exactly as written in {@code RECONCILE_RULES} (lower case). */
  public static Optional<ReconcileRule> named(String settingName) {
    return Arrays.stream(values()).filter(rule -> rule.settingName.equals(settingName)).findFirst();
  }
}
