package org.sentinelplaybooks.playbooks.close;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.MdcAlert;
import org.sentinelplaybooks.clients.defender.MdcAlertRef;
import org.sentinelplaybooks.clients.graph.DefenderXdrClient;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.IncidentUpdate;
import org.sentinelplaybooks.clients.sentinel.SecurityAlert;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowIncident;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.ActionStep;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.IncidentPlaybook;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.state.TicketStore;
import org.sentinelplaybooks.playbooks.tickets.Tickets;

/**
 * Closes a Sentinel incident with a classification, reason and comment, and closes every Defender
 * for Cloud alert linked to it as the classification means ({@link Classification#alertClosure()}:
 * resolved for a true positive, dismissed otherwise) and resolves its Defender XDR alerts with the
 * verdict that means the same there ({@link XdrVerdict}). The alerts and the incident are written
 * at the same time; the audit comment follows.
 */
public final class CloseIncidentPlaybook extends IncidentPlaybook<CloseIncidentOptions> {
  public static final String NAME = "close-incident";
  static final int ALERT_CONCURRENCY = 8;

  private final PlaybookSettings settings;
  private final SentinelClient sentinel;
  private final DefenderForCloudClient defender;
  private final ServiceNowClient serviceNow;
  private final CloseSteps steps;
  private final TicketStore tickets;
  private final SimilarAlertSuppression suppression;
  private final DefenderXdrSync xdrSync;
  private final Parallel parallel;

  /**
   * With {@code serviceNow} null, tickets are not looked at; otherwise a ticket linked to the
   * incident is resolved when the incident is closed. Suppression rules' expiries are counted from
   * {@code clock}.
   */
  public CloseIncidentPlaybook(
      PlaybookSettings settings,
      SentinelClient sentinel,
      DefenderForCloudClient defender,
      ServiceNowClient serviceNow,
      TicketStore tickets,
      Clock clock) {
    this(settings, sentinel, defender, serviceNow, tickets, clock, null, Parallel.shared());
  }

  /**
   * As above, and with {@code xdr} (null for none) the incident's Defender XDR alerts are resolved
   * too, and the ticket of an incident Defender XDR merged into another follows the survivor; the
   * calls made at the same time run on {@code parallel}.
   */
  public CloseIncidentPlaybook(
      PlaybookSettings settings,
      SentinelClient sentinel,
      DefenderForCloudClient defender,
      ServiceNowClient serviceNow,
      TicketStore tickets,
      Clock clock,
      DefenderXdrClient xdr,
      Parallel parallel) {
    super(NAME, "close", CloseIncidentOptions.class, settings, sentinel);
    this.suppression = new SimilarAlertSuppression(defender, clock, parallel);
    this.parallel = parallel;
    this.settings = settings;
    this.sentinel = sentinel;
    this.defender = defender;
    this.serviceNow = serviceNow;
    this.tickets = tickets;
    this.steps = new CloseSteps(settings, sentinel, defender, serviceNow);
    this.xdrSync = xdr == null ? null : new DefenderXdrSync(xdr, sentinel);
  }

  @Override
  protected CloseIncidentOptions options(PlaybookRequest request) {
    return CloseIncidentOptions.of(request, settings);
  }

  @Override
  protected Act start(IncidentId id, CloseIncidentOptions options, RunContext context) {
    CompletableFuture<List<SecurityAlert>> alerts =
        options.closeAlerts()
            ? parallel.call(() -> sentinel.listAlerts(id))
            : CompletableFuture.completedFuture(List.of());
    return incident -> act(id, incident, options, alerts, context);
  }

  /**
   * Closes the incident (and then its ticket) while its alerts are closed, then suppresses similar
   * alerts when asked.
   */
  private Acted act(
      IncidentId id,
      Incident incident,
      CloseIncidentOptions options,
      CompletableFuture<List<SecurityAlert>> alerts,
      RunContext context) {
    CompletableFuture<List<ActionResult>> close =
        parallel.call(
            () -> {
              ActionResult closed = close(incident, options, context);
              List<ActionResult> done = new ArrayList<>(List.of(closed));
              if (closed.outcome() != Outcome.FAILED) {
                resolveTicket(incident, options, context).ifPresent(done::add);
              }
              return done;
            });
    List<ActionResult> actions = new ArrayList<>();
    // The Defender for Cloud alerts read while closing them, by Sentinel alert name, so that the
    // suppression step does not read them again.
    Map<String, MdcAlert> read = new ConcurrentHashMap<>();
    List<ActionResult> alertActions;
    try {
      alertActions =
          parallel.each(
              alerts.join(),
              ALERT_CONCURRENCY,
              alert ->
                  xdrSync != null && DefenderXdrProducts.isXdrAlert(alert)
                      ? xdrSync.resolve(
                          incident,
                          alert,
                          XdrVerdict.of(options.classification(), options.reason()),
                          options.comment(),
                          context)
                      : closeAlert(alert, options.classification().alertClosure(), read, context));
    } catch (CompletionException e) {
      alertActions =
          List.of(ActionStep.on("incident:" + id.armId(), "list-alerts").failed(e.getCause()));
    }
    List<ActionResult> closeActions = close.join();
    actions.add(closeActions.get(0));
    actions.addAll(alertActions);
    actions.addAll(closeActions.subList(1, closeActions.size()));
    if (options.suppress().isPresent() && !alerts.isCompletedExceptionally()) {
      actions.addAll(
          suppression.suppress(
              incident,
              closeActions.get(0),
              options.describe(),
              options.comment(),
              alerts.join(),
              read,
              options.suppress().get(),
              context));
    }
    return new Acted(actions, auditHeadline(options));
  }

  private static List<String> auditHeadline(CloseIncidentOptions options) {
    String classification = "Classification: " + options.describe();
    return options.comment() == null
        ? List.of(classification)
        : List.of(classification, "Comment: " + options.comment());
  }

  private ActionResult close(Incident incident, CloseIncidentOptions options, RunContext context) {
    return steps.closeIncident(
        incident,
        new CloseSteps.IncidentClose(
            IncidentUpdate.close(
                options.classification().wireName(), options.reason(), options.comment()),
            options.describe(),
            null),
        context);
  }

  /** Resolves the ServiceNow ticket linked to the incident, when there is one. */
  private Optional<ActionResult> resolveTicket(
      Incident incident, CloseIncidentOptions options, RunContext context) {
    if (serviceNow == null) {
      return Optional.empty();
    }
    try {
      Optional<ServiceNowIncident> ticket = Tickets.find(tickets, serviceNow, incident.id());
      if (ticket.isEmpty()) {
        return Optional.empty();
      }
      Optional<IncidentId> survivor =
          xdrSync == null ? Optional.empty() : xdrSync.survivorOf(incident);
      if (survivor.isPresent()) {
        return Optional.of(
            xdrSync.moveTicket(
                tickets, serviceNow, ticket.get(), incident.id(), survivor.get(), context));
      }
      return Optional.of(
          steps.resolveTicket(ticket.get(), options.describe(), options.comment(), context));
    } catch (RuntimeException e) {
      return Optional.of(
          ActionResult.of("servicenow:incident", "resolve", Outcome.FAILED, Actions.describe(e)));
    }
  }

  /** Resolves or dismisses the Defender for Cloud alert behind a Sentinel alert. */
  private ActionResult closeAlert(
      SecurityAlert alert, AlertChange closure, Map<String, MdcAlert> read, RunContext context) {
    String action = closure.action();
    Optional<MdcAlertRef> ref = MdcAlertRef.of(alert);
    if (ref.isEmpty()) {
      String why =
          MdcAlertRef.isDefenderForCloudAlert(alert)
              ? "names no subscription or alert id to find it in Defender for Cloud"
              : "not a Defender for Cloud alert (" + alert.productName() + ")";
      return ActionResult.of(
          "sentinel-alert:" + alert.name(), action, Outcome.SKIPPED, alert.label() + ": " + why);
    }
    String target = "mdc-alert:" + ref.get();
    try {
      Optional<MdcAlert> found = defender.findAlert(ref.get());
      if (found.isEmpty()) {
        return ActionResult.of(
            target, action, Outcome.SKIPPED, alert.label() + ": not found in Defender for Cloud");
      }
      MdcAlert mdcAlert = found.get();
      if (alert.name() != null) {
        read.put(alert.name(), mdcAlert);
      }
      target = "mdc-alert:" + mdcAlert.id().armId();
      if (mdcAlert.isClosed()) {
        return ActionResult.of(
            target, action, Outcome.ALREADY, alert.label() + ": already " + mdcAlert.status());
      }
      return steps.changeAlert(mdcAlert.id(), alert.label(), mdcAlert.status(), closure, context);
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return ActionResult.of(
            target, action, Outcome.SKIPPED, alert.label() + ": not found in Defender for Cloud");
      }
      return ActionResult.of(target, action, Outcome.FAILED, alert.label() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return ActionResult.of(
          target, action, Outcome.FAILED, alert.label() + ": " + Actions.describe(e));
    }
  }
}
