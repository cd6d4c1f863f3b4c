package org.sentinelplaybooks.playbooks.reconcile;

import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.clients.graph.XdrAlert;
import org.sentinelplaybooks.clients.resourcegraph.AlertState;
import org.sentinelplaybooks.playbooks.close.Classification;
import org.sentinelplaybooks.playbooks.tickets.TicketText;

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
public final class ReconcileRules {
  /**
   * The label an incident closed from an untrusted ticket resolution carries, for people to see.
   * Nothing is decided from it: any Sentinel Responder can add or remove a label.
   */
  static final String CLOSED_FROM_TICKET = "sentinel-playbooks:closed-from-ticket";

  /**
   * The status reconcile remembers, in its own store, of an incident it closed from an untrusted
   * ticket resolution: what holds the incident's alerts for the SOC. It goes when the incident is
   * seen open again.
   */
  static final String STATUS_CLOSED_FROM_TICKET = "ClosedFromTicket";

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

    /**
     * A Defender XDR alert's state: new and inProgress are open; resolved as a true positive is
     * resolved, resolved with any other verdict is dismissed (closed, not a threat handled); any
     * other value (unknown, unknownFutureValue) is unknown.
     */
    static AlertStatus of(XdrAlert alert) {
      if (alert == null || alert.status() == null) {
        return UNKNOWN;
      }
      return switch (alert.status()) {
        case "new", "inProgress" -> OPEN;
        case "resolved" -> "truePositive".equals(alert.classification()) ? RESOLVED : DISMISSED;
        default -> UNKNOWN;
      };
    }
  }

  /**
   * One alert of the incident: its product, what is shown of it, its state, and for a Defender for
   * Cloud alert that was read, the alert itself (what a change acts on).
   */
  record Alert(
      String product,
      String label,
      AlertStatus status,
      AlertState defenderForCloud,
      XdrAlert defenderXdr) {
    Alert(String product, String label, AlertStatus status, AlertState defenderForCloud) {
      this(product, label, status, defenderForCloud, null);
    }

    static Alert ofDefenderForCloud(String label, AlertState state) {
      return new Alert(DEFENDER_FOR_CLOUD, label, AlertStatus.of(state), state);
    }

    /** A Defender XDR alert as Graph gave it; null when it was not found or could not be read. */
    static Alert ofDefenderXdr(String label, XdrAlert alert) {
      return new Alert(DEFENDER_XDR, label, AlertStatus.of(alert), null, alert);
    }

    boolean isDefenderXdr() {
      return DEFENDER_XDR.equals(product);
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
  static final String DEFENDER_XDR = "Microsoft Defender XDR";

  /**
   * The incident's ServiceNow ticket: whether resolved (or closed), or cancelled, by whom, and
   * whether its resolver is trusted as the SOC.
   */
  record Ticket(
      boolean resolved,
      boolean cancelled,
      String number,
      String closeNotes,
      String resolvedBy,
      boolean trusted) {}

  /**
   * The incident: closed or not, its classification, and the status the last run saw (null when
   * none is remembered), which says whether an untrusted ticket resolution closed it.
   */
  record Incident(
      boolean closed, String classification, String rememberedStatus, boolean ownedByDefenderXdr) {
    Incident(boolean closed, String classification, String rememberedStatus) {
      this(closed, classification, rememberedStatus, false);
    }

    boolean closedFromTicket() {
      return STATUS_CLOSED_FROM_TICKET.equals(rememberedStatus);
    }

    boolean reopened() {
      return !closed && ("Closed".equalsIgnoreCase(rememberedStatus) || closedFromTicket());
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

  /** Resolve the Defender XDR alert with the verdict the incident's classification means. */
  record ResolveXdrAlert(XdrAlert alert, String label) implements Change {}

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
      if (rules.on(ReconcileRule.REOPEN_ALERTS)) {
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
    if (rules.on(ReconcileRule.CLOSE_ALERTS)) {
      List<Alert> open =
          alerts.stream().filter(a -> a.isChangeable() && a.status() == AlertStatus.OPEN).toList();
      if (incident.closedFromTicket()) {
        if (!open.isEmpty()) {
          changes.add(
              new Held(
                  ReconcileRule.CLOSE_ALERTS.settingName(),
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
    if (rules.on(ReconcileRule.CLOSE_XDR_ALERTS)) {
      closeXdrAlerts(incident, alerts, changes);
    }
    if (rules.on(ReconcileRule.INCIDENT_TO_TICKET)
        && ticket != null
        && !ticket.resolved()
        && !ticket.cancelled()) {
      changes.add(new ResolveTicket());
    }
  }

  /**
   * A closed incident's open Defender XDR alerts: resolved, unless Defender XDR owns the incident
   * (its own sync resolves them, so this would be a second writer) or an untrusted ticket closed it
   * (the same trust rule as for Defender for Cloud alerts).
   */
  private static void closeXdrAlerts(Incident incident, List<Alert> alerts, List<Change> changes) {
    List<Alert> open =
        alerts.stream()
            .filter(a -> a.defenderXdr() != null && a.status() == AlertStatus.OPEN)
            .toList();
    if (open.isEmpty()) {
      return;
    }
    if (incident.ownedByDefenderXdr()) {
      changes.add(
          new Held(
              ReconcileRule.CLOSE_XDR_ALERTS.settingName(),
              open.size()
                  + " open Defender XDR alert(s): Defender XDR resolves them with the incident"));
    } else if (incident.closedFromTicket()) {
      changes.add(
          new Held(
              ReconcileRule.CLOSE_XDR_ALERTS.settingName(),
              "closed from a ServiceNow resolution, not by the SOC: "
                  + open.size()
                  + " open Defender XDR alert(s) left for the SOC to decide"));
    } else {
      open.forEach(a -> changes.add(new ResolveXdrAlert(a.defenderXdr(), a.label())));
    }
  }

  private static void openIncident(
      ReconcileSettings rules, List<Alert> alerts, Ticket ticket, List<Change> changes) {
    if (rules.on(ReconcileRule.TICKET_TO_INCIDENT) && ticket != null && ticket.resolved()) {
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
    if (rules.on(ReconcileRule.TICKET_TO_INCIDENT) && ticket != null && ticket.cancelled()) {
      // Cancelled is no decision about the incident: it does not close it.
      changes.add(
          new Held("close", "ticket cancelled: ServiceNow " + ticket.number() + " closes nothing"));
    }
    if (!rules.on(ReconcileRule.CLOSE_INCIDENT)) {
      return;
    }
    List<Alert> fromDefender =
        alerts.stream().filter(a -> a.isDefenderForCloud() || a.isDefenderXdr()).toList();
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
                + (alerts.stream().anyMatch(Alert::isDefenderXdr)
                    ? " linked Defender for Cloud and Defender XDR alerts are "
                    : " linked Defender for Cloud alerts are ")
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
                  : alert.isDefenderXdr()
                      ? " (Defender XDR) could not be found or read"
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
