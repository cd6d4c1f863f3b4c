package org.sentinelplaybooks.playbooks;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ReconcileSettings;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.MdcAlert;
import org.sentinelplaybooks.clients.defender.MdcAlertId;
import org.sentinelplaybooks.clients.defender.MdcAlertRef;
import org.sentinelplaybooks.clients.resourcegraph.AlertState;
import org.sentinelplaybooks.clients.resourcegraph.ResourceGraphClient;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentUpdate;
import org.sentinelplaybooks.clients.sentinel.SecurityAlert;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowIncident;
import org.sentinelplaybooks.playbooks.state.Checkpoint;
import org.sentinelplaybooks.playbooks.state.CheckpointStore;
import org.sentinelplaybooks.playbooks.state.TicketStore;

/**
 * Keeps a workspace's incidents, their Defender for Cloud alerts and their ServiceNow tickets in
 * step, by their states now rather than by events: reads the incidents changed since the checkpoint
 * (less an overlap), or every open and recently closed one in a full sweep, reads their alerts'
 * states in bulk through Resource Graph, and applies the rules that are on. Closing wins over
 * staying open; nothing is reopened, and an incident people reopened is not closed again.
 */
public final class Reconciler {
  public static final String NAME = "reconcile";
  static final Duration LEASE = Duration.ofMinutes(10);

  /** How far back a full sweep reads closed incidents (open ones it reads whatever their age). */
  static final Duration RECENTLY_CLOSED = Duration.ofDays(7);

  /**
   * Calls in flight at once, for reads and again for writes: enough to keep ARM's buckets busy at
   * 50 ms a call; more only earns 429s.
   */
  static final int CONCURRENCY = 16;

  /** Incidents read, then written, together. */
  static final int SLICE = 200;

  static final String TICKET_LABEL = CreateTicketPlaybook.LABEL_PREFIX;

  private final Settings settings;
  private final SentinelClient sentinel;
  private final DefenderForCloudClient defender;
  private final ResourceGraphClient resourceGraph;
  private final ServiceNowClient serviceNow;
  private final TicketStore tickets;
  private final CheckpointStore checkpoints;

  Reconciler(
      Settings settings,
      SentinelClient sentinel,
      DefenderForCloudClient defender,
      ResourceGraphClient resourceGraph,
      ServiceNowClient serviceNow,
      TicketStore tickets,
      CheckpointStore checkpoints) {
    this.settings = settings;
    this.sentinel = sentinel;
    this.defender = defender;
    this.resourceGraph = resourceGraph;
    this.serviceNow = serviceNow;
    this.tickets = tickets;
    this.checkpoints = checkpoints;
  }

  /** What one run is asked to do: from when (null: from the checkpoint), and whether to write. */
  public record Request(Instant since, boolean dryRun) {}

  /** Reconciles one workspace; {@code progress} hears how many incidents are done. */
  public ReconcileReport reconcile(
      WorkspaceId workspace, Request request, RunContext context, IntConsumer progress) {
    if (!settings.allowsWorkspace(workspace)) {
      throw new BadInputException(
          "workspace", workspace.armId() + " is not in " + Settings.SENTINEL_WORKSPACES);
    }
    String runId = UUID.randomUUID().toString();
    Optional<Checkpoint> taken = checkpoints.acquire(workspace.armId(), runId, LEASE);
    if (taken.isEmpty()) {
      return ReconcileReport.notRun(
          workspace.armId(), context.dryRun(), "another run is reconciling this workspace");
    }
    Checkpoint checkpoint = taken.get();
    try {
      Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      boolean fullSweep = request.since() == null && fullSweepDue(checkpoint, started);
      List<Incident> incidents = read(workspace, checkpoint, request, fullSweep, started);
      Run run = new Run(workspace, context, checkpoints.statuses(workspace.armId()));
      ReconcileReport report = run.reconcile(incidents, fullSweep, progress);
      if (context.dryRun() || report.status() != RunStatus.SUCCEEDED) {
        checkpoints.release(checkpoint);
      } else {
        checkpoints.complete(checkpoint, started, fullSweep ? started : null);
      }
      return report;
    } catch (RuntimeException e) {
      checkpoints.release(checkpoint);
      throw e;
    }
  }

  private boolean fullSweepDue(Checkpoint checkpoint, Instant now) {
    return checkpoint.watermark() == null
        || checkpoint.lastFullSweep() == null
        || checkpoint.lastFullSweep().plus(settings.reconcile().fullSweepEvery()).isBefore(now);
  }

  private List<Incident> read(
      WorkspaceId workspace,
      Checkpoint checkpoint,
      Request request,
      boolean fullSweep,
      Instant now) {
    Duration overlap = settings.reconcile().overlap();
    String filter;
    if (request.since() != null) {
      filter = "properties/lastModifiedTimeUtc ge " + request.since();
    } else if (fullSweep) {
      Instant recently = now.minus(RECENTLY_CLOSED).minus(overlap);
      filter = "properties/status ne 'Closed' or properties/lastModifiedTimeUtc ge " + recently;
    } else {
      filter = "properties/lastModifiedTimeUtc ge " + checkpoint.watermark().minus(overlap);
    }
    List<Incident> incidents = new ArrayList<>();
    sentinel
        .listIncidents(workspace, filter, "properties/lastModifiedTimeUtc asc", 1000)
        .forEach(incidents::add);
    return incidents;
  }

  /** One run over one workspace's incidents. */
  private final class Run {
    private final WorkspaceId workspace;
    private final RunContext context;
    private final Map<String, String> lastStatuses;
    private final ReconcileSettings rules = settings.reconcile();

    Run(WorkspaceId workspace, RunContext context, Map<String, String> lastStatuses) {
      this.workspace = workspace;
      this.context = context;
      this.lastStatuses = lastStatuses;
    }

    ReconcileReport reconcile(List<Incident> incidents, boolean fullSweep, IntConsumer progress) {
      List<ActionResult> actions = new ArrayList<>();
      AtomicInteger done = new AtomicInteger();
      int alerts = 0;
      // A pipeline over slices: a slice's reads run while the slice before it is written, so that
      // ARM's read and write limits are both used all the time. Every page of incidents is read
      // first: a write moves an incident to the end of the order the pages follow.
      CompletableFuture<List<ActionResult>> writing = CompletableFuture.completedFuture(List.of());
      try {
        for (int start = 0; start < incidents.size(); start += SLICE) {
          List<Incident> slice =
              incidents.subList(start, Math.min(incidents.size(), start + SLICE));
          List<ActionResult> readFailures = new ArrayList<>();
          List<List<MdcAlertRef>> refs =
              Parallel.map(slice, CONCURRENCY, incident -> alertRefs(incident, readFailures));
          Map<String, AlertState> states = alertStates(refs, readFailures);
          alerts += states.size();
          actions.addAll(readFailures);
          actions.addAll(writing.join());
          writing = Parallel.start(() -> write(slice, refs, states, done, progress));
        }
        actions.addAll(writing.join());
      } catch (RuntimeException e) {
        // The checkpoint is released on the way out: no write of this run may still be going.
        writing.exceptionally(failed -> List.of()).join();
        throw e;
      }
      ReconcileReport report =
          new ReconcileReport(
              workspace.armId(),
              true,
              context.dryRun(),
              fullSweep,
              RunStatus.of(actions),
              incidents.size(),
              alerts,
              actions);
      context
          .log()
          .info(
              NAME
                  + " "
                  + workspace.armId()
                  + ": "
                  + incidents.size()
                  + " incidents, "
                  + alerts
                  + " alerts, "
                  + actions.stream().filter(a -> a.outcome() == Outcome.DONE).count()
                  + " changes, "
                  + actions.stream().filter(a -> a.outcome() == Outcome.FAILED).count()
                  + " failures");
      return report;
    }

    /** The changes one slice of incidents needs, made {@link #CONCURRENCY} incidents at a time. */
    private List<ActionResult> write(
        List<Incident> slice,
        List<List<MdcAlertRef>> refs,
        Map<String, AlertState> states,
        AtomicInteger done,
        IntConsumer progress) {
      List<ActionResult> actions = new ArrayList<>();
      for (List<ActionResult> perIncident :
          Parallel.map(
              IntStream.range(0, slice.size()).boxed().toList(),
              CONCURRENCY,
              i -> {
                List<ActionResult> result = incident(slice.get(i), refs.get(i), states);
                progress.accept(done.incrementAndGet());
                return result;
              })) {
        actions.addAll(perIncident);
      }
      return actions;
    }

    private List<MdcAlertRef> alertRefs(Incident incident, List<ActionResult> failures) {
      if (!rules.on(ReconcileSettings.CLOSE_ALERTS)
          && !rules.on(ReconcileSettings.CLOSE_INCIDENT)
          && !rules.on(ReconcileSettings.REOPEN_ALERTS)) {
        return List.of();
      }
      try {
        List<MdcAlertRef> refs = new ArrayList<>();
        for (SecurityAlert alert : sentinel.listAlerts(incident.id())) {
          MdcAlertRef.of(alert).ifPresent(refs::add);
        }
        return refs;
      } catch (RuntimeException e) {
        synchronized (failures) {
          failures.add(
              ActionResult.of(
                  "incident:" + incident.id().armId(),
                  "list-alerts",
                  Outcome.FAILED,
                  Actions.describe(e)));
        }
        return null;
      }
    }

    /** The alerts' states by name: Resource Graph in bulk, or one GET each where not allowed. */
    private Map<String, AlertState> alertStates(
        List<List<MdcAlertRef>> refs, List<ActionResult> actions) {
      Set<String> subscriptions = new HashSet<>();
      Set<String> names = new HashSet<>();
      List<MdcAlertRef> all = new ArrayList<>();
      for (List<MdcAlertRef> list : refs) {
        if (list != null) {
          list.forEach(
              ref -> {
                subscriptions.add(ref.subscriptionId());
                names.add(ref.name());
                all.add(ref);
              });
        }
      }
      Map<String, AlertState> states = new HashMap<>();
      if (all.isEmpty()) {
        return states;
      }
      try {
        for (AlertState state : resourceGraph.alertStates(subscriptions, names)) {
          states.put(key(state.name()), state);
        }
        for (AlertState again :
            UnknownAlertStates.readAgain(defender, states.values(), CONCURRENCY, context)) {
          states.put(key(again.name()), again);
        }
        return states;
      } catch (ApiException e) {
        if (e.status() != 401 && e.status() != 403) {
          throw e;
        }
        context
            .log()
            .warning(
                NAME
                    + ": Resource Graph refused ("
                    + e.getMessage()
                    + "); reading alerts one by one");
      }
      for (MdcAlert alert :
          Parallel.map(all, CONCURRENCY, ref -> defender.findAlert(ref).orElse(null))) {
        if (alert != null) {
          states.put(key(alert.id().name()), AlertState.of(alert));
        }
      }
      return states;
    }

    private List<ActionResult> incident(
        Incident incident, List<MdcAlertRef> refs, Map<String, AlertState> states) {
      List<ActionResult> actions = new ArrayList<>();
      if (refs == null) {
        return actions;
      }
      List<AlertState> alerts = new ArrayList<>();
      for (MdcAlertRef ref : refs) {
        AlertState state = states.get(key(ref.name()));
        if (state != null) {
          alerts.add(state);
        }
      }
      String last = lastStatuses.get(incident.id().name().toLowerCase(Locale.ROOT));
      boolean reopened = !incident.isClosed() && "Closed".equalsIgnoreCase(last);
      Optional<ServiceNowIncident> ticket = ticket(incident, actions);
      if (incident.isClosed()) {
        if (rules.on(ReconcileSettings.CLOSE_ALERTS)) {
          AlertClosure closure = Classification.ofClosed(incident.classification()).alertClosure();
          for (AlertState alert : alerts) {
            if (alert.isOpen()) {
              actions.add(alertChange(alert, closure.action()));
            } else if (alert.isUnknown()) {
              actions.add(
                  ActionResult.of(
                      "mdc-alert:" + alert.id().armId(),
                      closure.action(),
                      Outcome.SKIPPED,
                      "state unknown in Resource Graph and the alerts API; left as it is"));
            }
          }
        }
        if (rules.on(ReconcileSettings.INCIDENT_TO_TICKET)
            && ticket.isPresent()
            && !ticket.get().isResolved()) {
          actions.add(resolveTicket(incident, ticket.get()));
        }
      } else if (!reopened) {
        if (rules.on(ReconcileSettings.TICKET_TO_INCIDENT)
            && ticket.isPresent()
            && ticket.get().isResolved()) {
          actions.add(
              close(
                  incident,
                  "Undetermined",
                  null,
                  "ServiceNow "
                      + ticket.get().number()
                      + " was resolved"
                      + (ticket.get().closeNotes() == null
                          ? "."
                          : ": " + TicketText.safe(ticket.get().closeNotes()))));
        } else if (rules.on(ReconcileSettings.CLOSE_INCIDENT)
            && !alerts.isEmpty()
            && alerts.stream().allMatch(AlertState::isClosed)) {
          boolean allResolved =
              alerts.stream().allMatch(a -> "Resolved".equalsIgnoreCase(a.status()));
          actions.add(
              close(
                  incident,
                  allResolved ? "TruePositive" : "Undetermined",
                  allResolved ? "SuspiciousActivity" : null,
                  "All "
                      + alerts.size()
                      + " linked Defender for Cloud alerts are "
                      + (allResolved ? "resolved." : "dismissed or resolved.")));
        }
      } else if (rules.on(ReconcileSettings.REOPEN_ALERTS)) {
        for (AlertState alert : alerts) {
          if ("Dismissed".equalsIgnoreCase(alert.status())) {
            actions.add(alertChange(alert, "activate"));
          }
        }
      }
      rememberStatus(incident, last, actions);
      actions.addAll(
          AuditComment.write(
              sentinel,
              incident.id(),
              incident.etag(),
              NAME,
              actions,
              "Kept in step with Defender for Cloud and ServiceNow.",
              context));
      return actions;
    }

    /** Remembers a change between open and closed, so a later reopening is recognised. */
    private void rememberStatus(Incident incident, String last, List<ActionResult> actions) {
      boolean closedNow =
          incident.isClosed()
              || actions.stream()
                  .anyMatch(a -> a.action().equals("close") && a.outcome() == Outcome.DONE);
      String status = closedNow ? "Closed" : "Open";
      if (context.dryRun() || status.equalsIgnoreCase(last) || (last == null && !closedNow)) {
        return;
      }
      try {
        checkpoints.rememberStatus(
            workspace.armId(), incident.id().name().toLowerCase(Locale.ROOT), status);
      } catch (RuntimeException e) {
        actions.add(
            ActionResult.of(
                "incident:" + incident.id().armId(),
                "remember-status",
                Outcome.FAILED,
                Actions.describe(e)));
      }
    }

    private Optional<ServiceNowIncident> ticket(Incident incident, List<ActionResult> actions) {
      boolean wanted =
          rules.on(ReconcileSettings.TICKET_TO_INCIDENT)
              || rules.on(ReconcileSettings.INCIDENT_TO_TICKET);
      if (serviceNow == null
          || !wanted
          || incident.labels().stream().noneMatch(l -> l.startsWith(TICKET_LABEL))) {
        return Optional.empty();
      }
      try {
        return Tickets.find(tickets, serviceNow, incident.id());
      } catch (RuntimeException e) {
        actions.add(
            ActionResult.of(
                "incident:" + incident.id().armId(),
                "read-ticket",
                Outcome.FAILED,
                Actions.describe(e)));
        return Optional.empty();
      }
    }

    private ActionResult alertChange(AlertState alert, String change) {
      MdcAlertId id = alert.id();
      String target = "mdc-alert:" + id.armId();
      String label = (alert.displayName() == null ? id.name() : alert.displayName()) + ": ";
      if (context.dryRun()) {
        return ActionResult.of(
            target,
            change,
            Outcome.PLANNED,
            label + "would " + change + " (" + alert.status() + ")");
      }
      try {
        switch (change) {
          case "dismiss" -> defender.dismiss(id);
          case "resolve" -> defender.resolve(id);
          default -> defender.activate(id);
        }
        return ActionResult.of(
            target, change, Outcome.DONE, label + change + (change.endsWith("e") ? "d" : "ed"));
      } catch (RuntimeException e) {
        return ActionResult.of(target, change, Outcome.FAILED, label + Actions.describe(e));
      }
    }

    private ActionResult close(
        Incident incident, String classification, String reason, String comment) {
      String target = "incident:" + incident.id().armId();
      String as = classification + (reason == null ? "" : " / " + reason);
      if (context.dryRun()) {
        return ActionResult.of(
            target, "close", Outcome.PLANNED, "would close as " + as + ": " + comment);
      }
      try {
        SentinelClient.UpdateResult update =
            sentinel.updateIncident(
                incident.id(),
                current ->
                    current.isClosed()
                        ? Optional.empty()
                        : Optional.of(IncidentUpdate.close(classification, reason, comment)));
        return ActionResult.of(
            target,
            "close",
            update.written() ? Outcome.DONE : Outcome.ALREADY,
            (update.written() ? "closed as " + as + ": " : "already closed; ") + comment);
      } catch (RuntimeException e) {
        return ActionResult.of(target, "close", Outcome.FAILED, Actions.describe(e));
      }
    }

    private ActionResult resolveTicket(Incident incident, ServiceNowIncident ticket) {
      String target = "servicenow:incident/" + ticket.sysId();
      if (context.dryRun()) {
        return ActionResult.of(
            target, "resolve", Outcome.PLANNED, "would resolve ticket " + ticket.number());
      }
      try {
        Tickets.resolve(
            serviceNow,
            settings,
            ticket,
            "Closed in Microsoft Sentinel as "
                + (incident.classification() == null
                    ? "(no classification)"
                    : incident.classification())
                + ".");
        return ActionResult.of(
            target, "resolve", Outcome.DONE, "resolved ticket " + ticket.number());
      } catch (RuntimeException e) {
        return ActionResult.of(target, "resolve", Outcome.FAILED, Actions.describe(e));
      }
    }
  }

  private static String key(String alertName) {
    return alertName.toLowerCase(Locale.ROOT);
  }
}
