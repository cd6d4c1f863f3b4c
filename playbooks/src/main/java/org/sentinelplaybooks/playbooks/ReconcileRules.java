package org.sentinelplaybooks.playbooks;

import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.clients.ReconcileSettings;
import org.sentinelplaybooks.clients.resourcegraph.AlertState;

/**
 * The rules of {@code reconcile} as one pure function: what is known of an incident (its state,
 * each alert's state in its own system, its ticket, the status remembered from the last run) in,
 * the changes to make out. Nothing here reads or writes anything; {@link Reconciler} gathers the
 * facts and makes the changes.
 *
 * <p>Closing acts only on whole evidence: an open incident is closed from its alerts only when
 * every alert, of every product, is known to be closed. Trust does not leak between systems: a
 * ticket resolved in ServiceNow may close its incident, but only a decision taken in Sentinel (or
 * by a ServiceNow group trusted as the SOC) dismisses or resolves alerts in Defender for Cloud.
 */
final class ReconcileRules {
  /** The label an incident closed from an untrusted ticket resolution carries. */
  static final String CLOSED_FROM_TICKET = "sentinel-playbooks:closed-from-ticket";

  private ReconcileRules() {}

  /** An alert's state as its own system says, or unknown when that system was not read. */
  enum AlertStatus {
    OPEN,
    DISMISSED,
    RESOLVED,
    UNKNOWN;

    boolean isClosed() {
      return this == DISMISSED || this == RESOLVED;
    }

    /** A Defender for Cloud alert's state, as {@link AlertState} tells open, closed, unknown. */
    static AlertStatus of(AlertState state) {
      if (state == null || state.isUnknown()) {
        return UNKNOWN;
      }
      if (state.isOpen()) {
        return OPEN;
      }
      return "resolved".equalsIgnoreCase(state.status()) ? RESOLVED : DISMISSED;
    }
  }

  /**
   * One alert of the incident: its product, what is shown of it, its state, and for a Defender for
   * Cloud alert that was read, the alert itself (what a change acts on).
   */
  record Alert(String product, String label, AlertStatus status, AlertState defenderForCloud) {
    static Alert ofDefenderForCloud(String label, AlertState state) {
      return new Alert(DEFENDER_FOR_CLOUD, label, AlertStatus.of(state), state);
    }

    /** An alert of a product whose system reconcile does not read: its state is unknown. */
    static Alert ofOtherProduct(String product, String label) {
      return new Alert(
          product == null ? "an unnamed product" : product, label, AlertStatus.UNKNOWN, null);
    }

    boolean isDefenderForCloud() {
      return DEFENDER_FOR_CLOUD.equals(product);
    }

    /** Read from Defender for Cloud, so that it can be changed there. */
    boolean isChangeable() {
      return defenderForCloud != null && status != AlertStatus.UNKNOWN;
    }
  }

  static final String DEFENDER_FOR_CLOUD = "Microsoft Defender for Cloud";

  /** The incident's ServiceNow ticket: whether resolved, and by whom. */
  record Ticket(
      boolean resolved,
      String number,
      String closeNotes,
      String resolvedBy,
      String assignmentGroup,
      boolean trusted) {}

  /**
   * The incident: closed or not, its classification, whether an untrusted ticket resolution closed
   * it, and the status the last run saw (null when none is remembered).
   */
  record Incident(
      boolean closed, String classification, boolean closedFromTicket, String rememberedStatus) {
    boolean reopened() {
      return !closed && "Closed".equalsIgnoreCase(rememberedStatus);
    }
  }

  /** A change to make, or why none was made where one might be expected. */
  sealed interface Change {}

  record CloseIncident(
      String classification, String reason, String comment, boolean fromUntrustedTicket)
      implements Change {}

  /** {@code action}: dismiss, resolve or activate. */
  record ChangeAlert(AlertState alert, String action) implements Change {}

  record ResolveTicket() implements Change {}

  /** An alert whose state is unknown: {@code action} is not taken on it. */
  record LeftAlone(AlertState alert, String action) implements Change {}

  /** Nothing done, for a reason a person should see in the run's result. */
  record Held(String action, String why) implements Change {}

  /** The changes the incident needs under these rules. */
  static List<Change> decide(
      ReconcileSettings rules, Incident incident, List<Alert> alerts, Ticket ticket) {
    List<Change> changes = new ArrayList<>();
    if (incident.closed()) {
      closedIncident(rules, incident, alerts, ticket, changes);
    } else if (incident.reopened()) {
      if (rules.on(ReconcileSettings.REOPEN_ALERTS)) {
        for (Alert alert : alerts) {
          if (alert.isChangeable() && alert.status() == AlertStatus.DISMISSED) {
            changes.add(new ChangeAlert(alert.defenderForCloud(), "activate"));
          }
        }
      }
    } else {
      openIncident(rules, alerts, ticket, changes);
    }
    return changes;
  }

  private static void closedIncident(
      ReconcileSettings rules,
      Incident incident,
      List<Alert> alerts,
      Ticket ticket,
      List<Change> changes) {
    if (rules.on(ReconcileSettings.CLOSE_ALERTS)) {
      List<Alert> open =
          alerts.stream().filter(a -> a.isChangeable() && a.status() == AlertStatus.OPEN).toList();
      if (incident.closedFromTicket()) {
        if (!open.isEmpty()) {
          changes.add(
              new Held(
                  "close-alerts",
                  "closed from a ServiceNow resolution, not by the SOC: "
                      + open.size()
                      + " open Defender for Cloud alert(s) left for the SOC to decide"));
        }
      } else {
        String action = alertAction(incident.classification());
        open.forEach(alert -> changes.add(new ChangeAlert(alert.defenderForCloud(), action)));
        alerts.stream()
            .filter(a -> a.defenderForCloud() != null && a.status() == AlertStatus.UNKNOWN)
            .forEach(alert -> changes.add(new LeftAlone(alert.defenderForCloud(), action)));
      }
    }
    if (rules.on(ReconcileSettings.INCIDENT_TO_TICKET) && ticket != null && !ticket.resolved()) {
      changes.add(new ResolveTicket());
    }
  }

  private static void openIncident(
      ReconcileSettings rules, List<Alert> alerts, Ticket ticket, List<Change> changes) {
    if (rules.on(ReconcileSettings.TICKET_TO_INCIDENT) && ticket != null && ticket.resolved()) {
      changes.add(
          new CloseIncident(
              "Undetermined",
              null,
              "ServiceNow "
                  + ticket.number()
                  + " was resolved"
                  + (ticket.resolvedBy() == null ? "" : " by " + ticket.resolvedBy())
                  + (ticket.closeNotes() == null
                      ? "."
                      : ": " + TicketText.safe(ticket.closeNotes())),
              !ticket.trusted()));
      return;
    }
    if (!rules.on(ReconcileSettings.CLOSE_INCIDENT)) {
      return;
    }
    List<Alert> fromDefender = alerts.stream().filter(Alert::isDefenderForCloud).toList();
    if (fromDefender.stream().anyMatch(a -> a.status() == AlertStatus.OPEN)) {
      return;
    }
    List<Alert> notKnownClosed = alerts.stream().filter(a -> !a.status().isClosed()).toList();
    if (!notKnownClosed.isEmpty()) {
      if (!fromDefender.isEmpty()) {
        changes.add(new Held("close", "kept open: " + unknown(notKnownClosed)));
      }
      return;
    }
    if (alerts.isEmpty()) {
      return;
    }
    boolean allResolved = alerts.stream().allMatch(a -> a.status() == AlertStatus.RESOLVED);
    changes.add(
        new CloseIncident(
            allResolved ? "TruePositive" : "Undetermined",
            allResolved ? "SuspiciousActivity" : null,
            "All "
                + alerts.size()
                + " linked Defender for Cloud alerts are "
                + (allResolved ? "resolved." : "dismissed or resolved."),
            false));
  }

  /** Alerts named at most in one reason; the rest are counted. */
  static final int MOST_NAMED = 5;

  /** Which alerts are not known to be closed, and why, for people. */
  private static String unknown(List<Alert> alerts) {
    StringBuilder text = new StringBuilder();
    for (Alert alert : alerts.subList(0, Math.min(MOST_NAMED, alerts.size()))) {
      text.append(text.length() == 0 ? "" : "; ")
          .append(alert.label())
          .append(
              alert.isDefenderForCloud()
                  ? " (Defender for Cloud) could not be read"
                  : " (" + alert.product() + ") is not read by reconcile");
    }
    if (alerts.size() > MOST_NAMED) {
      text.append("; and ").append(alerts.size() - MOST_NAMED).append(" more");
    }
    return text.toString();
  }

  /** What a closed incident's classification does to its open alerts (resolve or dismiss). */
  static String alertAction(String classification) {
    return Classification.ofClosed(classification).alertClosure().action();
  }
}
