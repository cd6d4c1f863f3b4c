package org.sentinelplaybooks.playbooks.close;

import java.util.Optional;
import java.util.function.Function;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.MdcAlertId;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.IncidentUpdate;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowIncident;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.ActionStep;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.tickets.TicketText;
import org.sentinelplaybooks.playbooks.tickets.Tickets;

/**
 * The writes of closing an incident, each written once for {@code close-incident} and {@code
 * reconcile}: close the Sentinel incident, resolve, dismiss (or activate) a Defender for Cloud
 * alert, resolve the ServiceNow ticket. Each plans in a dry run and says what it did in one {@link
 * ActionResult}.
 */
public final class CloseSteps {
  private final PlaybookSettings settings;
  private final SentinelClient sentinel;
  private final DefenderForCloudClient defender;
  private final ServiceNowClient serviceNow;

  /** {@code serviceNow} may be null when no ticket is ever resolved. */
  public CloseSteps(
      PlaybookSettings settings,
      SentinelClient sentinel,
      DefenderForCloudClient defender,
      ServiceNowClient serviceNow) {
    this.settings = settings;
    this.sentinel = sentinel;
    this.defender = defender;
    this.serviceNow = serviceNow;
  }

  /**
   * A close to write: the update, its classification as results name it ({@code FalsePositive /
   * IncorrectAlertLogic}) and, for a close made for a reason of its own (reconcile's: "All 3 linked
   * Defender for Cloud alerts are resolved."), that reason, which its results quote; a close the
   * SOC asked for (null reason) says instead how an incident found closed was closed, and how many
   * etag conflicts its write met.
   */
  public record IncidentClose(IncidentUpdate update, String as, String reason) {
    String planned() {
      return "would close as " + as + quoted();
    }

    String done(int conflicts) {
      return "closed as "
          + as
          + (reason != null
              ? quoted()
              : conflicts > 0 ? " (after " + conflicts + " etag conflict(s))" : "");
    }

    String already(Incident now) {
      return reason == null ? "already Closed as " + closedAs(now) : "already closed; " + reason;
    }

    private String quoted() {
      return reason == null ? "" : ": " + reason;
    }
  }

  /**
   * Closes the incident just read, writing from that read (its etag); one found closed is left as
   * it is, in a dry run too.
   */
  public ActionResult closeIncident(Incident read, IncidentClose close, RunContext context) {
    if (read.isClosed()) {
      return ActionResult.of(target(read.id()), "close", Outcome.ALREADY, close.already(read));
    }
    return closeIncident(
        read.id(), close, context, change -> sentinel.updateIncident(read, change));
  }

  /** Closes the incident as it is now (read again before the write). */
  public ActionResult closeIncident(IncidentId id, IncidentClose close, RunContext context) {
    return closeIncident(id, close, context, change -> sentinel.updateIncident(id, change));
  }

  private ActionResult closeIncident(
      IncidentId id,
      IncidentClose close,
      RunContext context,
      Function<Function<Incident, Optional<IncidentUpdate>>, SentinelClient.UpdateResult> write) {
    ActionStep step = ActionStep.on(target(id), "close");
    return step.perform(
        context,
        close.planned(),
        () -> {
          SentinelClient.UpdateResult update =
              write.apply(
                  current -> current.isClosed() ? Optional.empty() : Optional.of(close.update()));
          return update.written()
              ? step.done(close.done(update.conflicts()))
              : step.already(close.already(update.incident()));
        });
  }

  /**
   * Resolves, dismisses or activates one Defender for Cloud alert, named {@code label} in the
   * result, now {@code status}. A failed write is thrown: what it means (a failure, or an alert
   * gone) is the caller's to say.
   */
  public ActionResult changeAlert(
      MdcAlertId id, String label, String status, AlertChange change, RunContext context) {
    String target = "mdc-alert:" + id.armId();
    if (context.dryRun()) {
      return ActionResult.of(
          target,
          change.action(),
          Outcome.PLANNED,
          label + ": would " + change.action() + " (" + status + ")");
    }
    change.apply(defender, id);
    return ActionResult.of(target, change.action(), Outcome.DONE, label + ": " + change.done());
  }

  /**
   * Resolves the ServiceNow ticket of an incident closed as {@code as}, quoting the close's {@code
   * comment} (null for none) in the ticket's close notes; a ticket resolved or cancelled already is
   * left as it is. A failed write is thrown, for the caller to report under its own target.
   */
  public ActionResult resolveTicket(
      ServiceNowIncident ticket, String as, String comment, RunContext context) {
    String target = "servicenow:incident/" + ticket.sysId();
    String number = ticket.number();
    if (ticket.isResolved()) {
      return ActionResult.of(
          target, "resolve", Outcome.ALREADY, "ticket " + number + " is already resolved");
    }
    if (ticket.isCanceled()) {
      return ActionResult.of(
          target, "resolve", Outcome.ALREADY, "ticket " + number + " is cancelled");
    }
    if (context.dryRun()) {
      return ActionResult.of(target, "resolve", Outcome.PLANNED, "would resolve ticket " + number);
    }
    String notes =
        "Closed in Microsoft Sentinel as "
            + as
            + (comment == null ? "." : ": " + TicketText.safe(comment));
    Tickets.resolve(serviceNow, settings, ticket, notes);
    return ActionResult.of(target, "resolve", Outcome.DONE, "resolved ticket " + number);
  }

  /** How an incident was closed: its classification and reason, as results name them. */
  static String closedAs(Incident incident) {
    return incident.classification() == null
        ? "(no classification)"
        : incident.classification()
            + (incident.classificationReason() == null
                ? ""
                : " / " + incident.classificationReason());
  }

  private static String target(IncidentId id) {
    return "incident:" + id.armId();
  }
}
