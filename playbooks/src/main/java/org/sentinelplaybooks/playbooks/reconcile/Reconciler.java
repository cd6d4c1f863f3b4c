package org.sentinelplaybooks.playbooks.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.MdcAlertId;
import org.sentinelplaybooks.clients.defender.MdcAlertRef;
import org.sentinelplaybooks.clients.graph.XdrAlert;
import org.sentinelplaybooks.clients.graph.XdrIncident;
import org.sentinelplaybooks.clients.resourcegraph.AlertState;
import org.sentinelplaybooks.clients.resourcegraph.ResourceGraphClient;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentFilter;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.IncidentUpdate;
import org.sentinelplaybooks.clients.sentinel.SecurityAlert;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowIncident;
import org.sentinelplaybooks.playbooks.close.AlertChange;
import org.sentinelplaybooks.playbooks.close.Classification;
import org.sentinelplaybooks.playbooks.close.CloseSteps;
import org.sentinelplaybooks.playbooks.close.DefenderXdrProducts;
import org.sentinelplaybooks.playbooks.close.DefenderXdrSync;
import org.sentinelplaybooks.playbooks.close.UnknownAlertStates;
import org.sentinelplaybooks.playbooks.close.XdrAlertLookup;
import org.sentinelplaybooks.playbooks.close.XdrVerdict;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.AuditComment;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.EntityText;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileRules.Change;
import org.sentinelplaybooks.playbooks.state.Checkpoint;
import org.sentinelplaybooks.playbooks.state.CheckpointStore;
import org.sentinelplaybooks.playbooks.state.TicketStore;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketPlaybook;
import org.sentinelplaybooks.playbooks.tickets.Tickets;

/**
 * Keeps a workspace's incidents, their Defender for Cloud and Defender XDR alerts and their
 * ServiceNow tickets in step, by their states now rather than by events: reads the incidents
 * changed since the checkpoint (less an overlap), or every open and recently closed one in a full
 * sweep, slice by slice in the order they were created (which no write changes), reads their
 * alerts' states in bulk through Resource Graph and, for Defender XDR alerts, through Microsoft
 * Graph (paced), and makes the changes {@link ReconcileRules} decides. An incident that fails is
 * reported, kept in the checkpoint and tried again on the next run; the rest go on.
 */
public final class Reconciler {
  public static final String NAME = "reconcile";
  static final Duration LEASE = Duration.ofMinutes(10);

  /** How far back a full sweep reads closed incidents (open ones it reads whatever their age). */
  static final Duration RECENTLY_CLOSED = Duration.ofDays(7);

  /** How far back {@code since} may reach: further is a full sweep's work, or a mistake. */
  static final Duration LONGEST_SINCE = Duration.ofDays(30);

  /**
   * Incidents a run may leave failed for the next run; with more, the checkpoint stays where it was
   * and the whole window is read again.
   */
  static final int MOST_RETRIES = 500;

  /**
   * Calls in flight at once, for reads and again for writes: enough to keep ARM's buckets busy at
   * 50 ms a call; more only earns 429s.
   */
  static final int CONCURRENCY = 16;

  /** Incidents read, then written, together. */
  static final int SLICE = 200;

  static final String TICKET_LABEL = CreateTicketPlaybook.LABEL_PREFIX;

  private final PlaybookSettings settings;
  private final SentinelClient sentinel;
  private final DefenderForCloudClient defender;
  private final ResourceGraphClient resourceGraph;
  private final ServiceNowClient serviceNow;
  private final TicketStore tickets;
  private final CheckpointStore checkpoints;
  private final Clock clock;
  private final DefenderXdrSync xdr;
  private final CloseSteps steps;
  private final Parallel parallel;

  /**
   * @param xdr Defender XDR, or null: its alerts are then of a product reconcile does not read
   */
  public Reconciler(
      PlaybookSettings settings,
      SentinelClient sentinel,
      DefenderForCloudClient defender,
      ResourceGraphClient resourceGraph,
      ServiceNowClient serviceNow,
      TicketStore tickets,
      CheckpointStore checkpoints,
      Clock clock,
      DefenderXdrSync xdr,
      Parallel parallel) {
    this.settings = settings;
    this.sentinel = sentinel;
    this.defender = defender;
    this.resourceGraph = resourceGraph;
    this.serviceNow = serviceNow;
    this.tickets = tickets;
    this.checkpoints = checkpoints;
    this.clock = clock;
    this.xdr = xdr;
    this.steps = new CloseSteps(settings, sentinel, defender, serviceNow);
    this.parallel = parallel;
  }

  /** What one run is asked to do: from when (null: from the checkpoint), and whether to write. */
  public record Request(Instant since, boolean dryRun) {}

  /** Reconciles one workspace; {@code progress} hears how many incidents are done. */
  public ReconcileReport reconcile(
      WorkspaceId workspace, Request request, RunContext context, IntConsumer progress) {
    if (!settings.allowsWorkspace(workspace)) {
      throw new BadInputException(
          "workspace", workspace.armId() + " is not in " + PlaybookSettings.SENTINEL_WORKSPACES);
    }
    Instant started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    checkSince(request.since(), started);
    String runId = UUID.randomUUID().toString();
    Optional<Checkpoint> taken = checkpoints.acquire(workspace.armId(), runId, LEASE);
    if (taken.isEmpty()) {
      return ReconcileReport.notRun(
          workspace.armId(), context.dryRun(), "another run is reconciling this workspace");
    }
    Checkpoint checkpoint = taken.get();
    try {
      boolean fullSweep = request.since() == null && fullSweepDue(checkpoint, started);
      Run run = new Run(workspace, context, checkpoints.statuses(workspace.armId()));
      ReconcileReport report =
          run.reconcile(
              checkpoint.retry(),
              read(workspace, checkpoint, request, fullSweep, started),
              fullSweep,
              progress);
      if (context.dryRun() || run.failed.size() > MOST_RETRIES) {
        checkpoints.release(checkpoint);
      } else {
        checkpoints.complete(checkpoint, started, fullSweep ? started : null, run.failed);
        if (fullSweep) {
          // Rows of incidents no sweep reads any more: the window bounds what is remembered.
          checkpoints.forgetStatusesBefore(
              workspace.armId(),
              started.minus(RECENTLY_CLOSED).minus(rules().overlap()),
              ReconcileRules.STATUS_CLOSED_FROM_TICKET);
        }
      }
      finished(workspace, started, report, context);
      return report;
    } catch (RuntimeException e) {
      checkpoints.release(checkpoint);
      throw e;
    }
  }

  /** Reports the run: its event, and how it ended on the workspace's checkpoint. */
  private void finished(
      WorkspaceId workspace, Instant started, ReconcileReport report, RunContext context) {
    context.telemetry().finished(report);
    if (context.dryRun()) {
      return;
    }
    try {
      checkpoints.recordRun(
          workspace.armId(), started, report.status().wireName(), report.retrying());
    } catch (RuntimeException e) {
      // Only what status shows; the checkpoint itself has already moved on or been released.
      context
          .log()
          .warning(NAME + ": how the run ended could not be recorded: " + Actions.describe(e));
    }
  }

  private ReconcileSettings rules() {
    return settings.reconcile();
  }

  private static void checkSince(Instant since, Instant now) {
    if (since != null && (since.isAfter(now) || since.isBefore(now.minus(LONGEST_SINCE)))) {
      throw new BadInputException(
          "since",
          since
              + " is not within the last "
              + LONGEST_SINCE.toDays()
              + " days (older incidents are a full sweep's work)");
    }
  }

  private boolean fullSweepDue(Checkpoint checkpoint, Instant now) {
    return checkpoint.watermark() == null
        || checkpoint.lastFullSweep() == null
        || checkpoint.lastFullSweep().plus(rules().fullSweepEvery()).isBefore(now);
  }

  private Iterator<Incident> read(
      WorkspaceId workspace,
      Checkpoint checkpoint,
      Request request,
      boolean fullSweep,
      Instant now) {
    Duration overlap = rules().overlap();
    IncidentFilter filter;
    if (request.since() != null) {
      filter = IncidentFilter.modifiedSince(request.since());
    } else if (fullSweep) {
      filter = IncidentFilter.openOrModifiedSince(now.minus(RECENTLY_CLOSED).minus(overlap));
    } else {
      filter = IncidentFilter.modifiedSince(checkpoint.watermark().minus(overlap));
    }
    return sentinel.listIncidentsOldestFirst(workspace, filter, 1000).iterator();
  }

  /** One run over one workspace's incidents. */
  private final class Run {
    private final WorkspaceId workspace;
    private final RunContext context;
    private final Map<String, String> lastStatuses;
    private final ReconcileSettings rules = settings.reconcile();
    private final ReconcileReport.Builder report;

    /** The names of the incidents that failed, for the next run to try again. */
    final Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Run(WorkspaceId workspace, RunContext context, Map<String, String> lastStatuses) {
      this.workspace = workspace;
      this.context = context;
      this.lastStatuses = lastStatuses;
      this.report =
          new ReconcileReport.Builder(
              workspace.armId(),
              context.dryRun(),
              action ->
                  context.telemetry().reconciled(workspace.armId(), action, context.dryRun()));
    }

    ReconcileReport reconcile(
        Set<String> retry, Iterator<Incident> changed, boolean fullSweep, IntConsumer progress) {
      AtomicInteger done = new AtomicInteger();
      Iterator<Incident> incidents = new RetriedFirst(retry, changed);
      // A pipeline over slices: a slice's reads run while the slice before it is written, so that
      // ARM's read and write limits are both used all the time. Only two slices are held at once.
      CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);
      try {
        while (incidents.hasNext()) {
          List<Incident> slice = new ArrayList<>(SLICE);
          while (slice.size() < SLICE && incidents.hasNext()) {
            slice.add(incidents.next());
          }
          List<List<SecurityAlert>> alerts =
              parallel.each(slice, CONCURRENCY, incident -> alerts(incident));
          AlertStates states = alertStates(alerts);
          List<Map<String, XdrRead>> xdrReads = xdrReads(slice, alerts);
          writing.join();
          writing = parallel.call(() -> write(slice, alerts, states, xdrReads, done, progress));
        }
        writing.join();
      } catch (RuntimeException e) {
        // The checkpoint is released on the way out: no write of this run may still be going.
        writing.exceptionally(failure -> null).join();
        throw e;
      }
      ReconcileReport result = report.build(fullSweep, failed.size());
      context
          .log()
          .info(
              NAME
                  + " "
                  + workspace.armId()
                  + ": "
                  + result.incidents()
                  + " incidents, "
                  + result.alerts()
                  + " alerts, "
                  + result.count(Outcome.DONE)
                  + " changes, "
                  + result.count(Outcome.FAILED)
                  + " failures, "
                  + failed.size()
                  + " incidents to try again");
      return result;
    }

    /** The incidents the last run left failed (read again, by name), then the changed ones. */
    private final class RetriedFirst implements Iterator<Incident> {
      private final Iterator<String> retry;
      private final Set<String> retried;
      private final Iterator<Incident> changed;
      private Incident next;

      RetriedFirst(Set<String> retry, Iterator<Incident> changed) {
        this.retried = retry;
        this.retry = retry.iterator();
        this.changed = changed;
      }

      @Override
      public boolean hasNext() {
        while (next == null && retry.hasNext()) {
          next = retried(retry.next());
        }
        while (next == null && changed.hasNext()) {
          Incident incident = changed.next();
          if (!retried.contains(key(incident.id().name()))) {
            next = incident;
          }
        }
        return next != null;
      }

      @Override
      public Incident next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Incident incident = next;
        next = null;
        return incident;
      }

      private Incident retried(String name) {
        IncidentId id =
            IncidentId.parse(
                workspace.armId() + "/providers/Microsoft.SecurityInsights/incidents/" + name);
        try {
          return sentinel.getIncident(id);
        } catch (ApiException e) {
          if (!e.isNotFound()) {
            failed.add(name);
            report.add(
                ActionResult.of(
                    "incident:" + id.armId(),
                    "read-incident",
                    Outcome.FAILED,
                    Actions.describe(e)));
          }
          return null;
        }
      }
    }

    /** The changes one slice of incidents needs, made {@link #CONCURRENCY} incidents at a time. */
    private Void write(
        List<Incident> slice,
        List<List<SecurityAlert>> alerts,
        AlertStates states,
        List<Map<String, XdrRead>> xdrReads,
        AtomicInteger done,
        IntConsumer progress) {
      parallel.each(
          IntStream.range(0, slice.size()).boxed().toList(),
          CONCURRENCY,
          i -> {
            Incident incident = slice.get(i);
            List<ActionResult> actions;
            try {
              actions = incident(incident, alerts.get(i), states, xdrReads.get(i));
            } catch (RuntimeException e) {
              // One incident's fault is its own: it is reported and tried again next run.
              actions = List.of(failedOn(incident, "reconcile", e));
            }
            if (alerts.get(i) == null
                || actions.stream().anyMatch(a -> a.outcome() == Outcome.FAILED)) {
              failed.add(key(incident.id().name()));
            }
            report.incident(alerts.get(i) == null ? 0 : alerts.get(i).size(), actions);
            progress.accept(done.incrementAndGet());
            return null;
          });
      return null;
    }

    /** The incident's alerts, or null (reported, to be tried again) when they cannot be listed. */
    private List<SecurityAlert> alerts(Incident incident) {
      if (!rules.on(ReconcileRule.CLOSE_ALERTS)
          && !rules.on(ReconcileRule.CLOSE_INCIDENT)
          && !rules.on(ReconcileRule.REOPEN_ALERTS)
          && !rules.on(ReconcileRule.CLOSE_XDR_ALERTS)) {
        return List.of();
      }
      try {
        return sentinel.listAlerts(incident.id());
      } catch (RuntimeException e) {
        report.add(failedOn(incident, "list-alerts", e));
        return null;
      }
    }

    /**
     * The slice's Defender for Cloud alerts' states by name: Resource Graph in bulk; one GET each
     * for those it does not show, and for the whole slice when it fails. A GET that fails leaves
     * the alert unknown (its incident stays open) and its incident to be tried again.
     */
    private AlertStates alertStates(List<List<SecurityAlert>> alerts) {
      Set<String> subscriptions = new HashSet<>();
      Set<String> names = new HashSet<>();
      List<MdcAlertRef> all = new ArrayList<>();
      for (List<SecurityAlert> list : alerts) {
        if (list != null) {
          for (SecurityAlert alert : list) {
            MdcAlertRef.of(alert)
                .ifPresent(
                    ref -> {
                      subscriptions.add(ref.subscriptionId());
                      names.add(ref.name());
                      all.add(ref);
                    });
          }
        }
      }
      Map<String, AlertState> states = new HashMap<>();
      Map<String, String> failures = new java.util.concurrent.ConcurrentHashMap<>();
      if (all.isEmpty()) {
        return new AlertStates(states, failures);
      }
      try {
        for (AlertState state : resourceGraph.alertStates(subscriptions, names)) {
          states.put(key(state.name()), state);
        }
        for (AlertState again :
            UnknownAlertStates.readAgain(
                parallel, defender, states.values(), CONCURRENCY, context)) {
          states.put(key(again.name()), again);
        }
      } catch (RuntimeException e) {
        context
            .log()
            .warning(
                NAME
                    + ": Resource Graph failed ("
                    + EntityText.forLog(Actions.describe(e))
                    + "); reading this slice's alerts one by one");
      }
      List<MdcAlertRef> unseen = new ArrayList<>();
      Set<String> asked = new HashSet<>();
      for (MdcAlertRef ref : all) {
        if (!states.containsKey(key(ref.name())) && asked.add(key(ref.name()))) {
          unseen.add(ref);
        }
      }
      for (AlertState state : parallel.each(unseen, CONCURRENCY, ref -> readOne(ref, failures))) {
        if (state != null) {
          states.put(key(state.name()), state);
        }
      }
      return new AlertStates(states, failures);
    }

    /**
     * The slice's Defender XDR alerts, each incident's by Sentinel alert name: found as {@link
     * XdrAlertLookup} finds them (never guessed), {@link #CONCURRENCY} incidents at a time, every
     * Graph call within Graph's 150 a minute. An incident Defender XDR owns has its XDR incident
     * read once, with all its alerts, when an alert is not found by its id.
     */
    private List<Map<String, XdrRead>> xdrReads(
        List<Incident> slice, List<List<SecurityAlert>> alerts) {
      if (xdr == null) {
        return java.util.Collections.nCopies(slice.size(), Map.of());
      }
      return parallel.each(
          IntStream.range(0, slice.size()).boxed().toList(),
          CONCURRENCY,
          i -> xdrRead(slice.get(i), alerts.get(i)));
    }

    private Map<String, XdrRead> xdrRead(Incident incident, List<SecurityAlert> alerts) {
      Map<String, XdrRead> reads = new HashMap<>();
      if (alerts == null) {
        return reads;
      }
      java.util.function.Supplier<Optional<XdrIncident>> xdrIncident = xdr.xdrIncidentOf(incident);
      for (SecurityAlert alert : alerts) {
        if (!DefenderXdrProducts.isXdrAlert(alert)) {
          continue;
        }
        XdrRead read;
        try {
          XdrAlertLookup.Found found = xdr.find(alert, xdrIncident);
          read =
              found instanceof XdrAlertLookup.Found.Alert a
                  ? new XdrRead(a.alert(), null, null)
                  : new XdrRead(null, ((XdrAlertLookup.Found.Missing) found).reason(), null);
        } catch (RuntimeException e) {
          read = new XdrRead(null, null, Actions.describe(e));
        }
        reads.put(key(alert.name()), read);
      }
      return reads;
    }

    /** One alert by GET: null when not found or when it cannot be read (then in failures). */
    private AlertState readOne(MdcAlertRef ref, Map<String, String> failures) {
      try {
        return defender.findAlert(ref).map(AlertState::of).orElse(null);
      } catch (RuntimeException e) {
        failures.put(key(ref.name()), Actions.describe(e));
        return null;
      }
    }

    /**
     * One incident: its facts gathered (an unreadable one reported in {@code actions}), the changes
     * {@link ReconcileRules#decide} makes of them written, its status remembered, and the audit
     * comment.
     */
    private List<ActionResult> incident(
        Incident incident,
        List<SecurityAlert> securityAlerts,
        AlertStates states,
        Map<String, XdrRead> xdrReads) {
      List<ActionResult> actions = new ArrayList<>();
      if (securityAlerts == null) {
        return actions;
      }
      List<ReconcileRules.Alert> alerts =
          facts(incident, securityAlerts, states, xdrReads, actions);
      ReconcileRules.Incident known = fact(incident);
      Optional<ServiceNowIncident> ticket =
          known.reopened() ? Optional.empty() : ticket(incident, actions);
      List<Change> changes =
          ReconcileRules.decide(
              rules, known, alerts, ticket.map(t -> fact(incident, t, actions)).orElse(null));
      for (Change change : changes) {
        actions.add(apply(incident, ticket, change));
      }
      rememberStatus(
          incident, known.rememberedStatus(), closedFromUntrustedTicket(changes), actions);
      actions.addAll(audit(incident, actions));
      return actions;
    }

    /** What is known of each of the incident's alerts. */
    private List<ReconcileRules.Alert> facts(
        Incident incident,
        List<SecurityAlert> securityAlerts,
        AlertStates states,
        Map<String, XdrRead> xdrReads,
        List<ActionResult> actions) {
      String target = "incident:" + incident.id().armId();
      List<ReconcileRules.Alert> alerts = new ArrayList<>();
      for (SecurityAlert alert : securityAlerts) {
        alerts.add(
            xdr != null && DefenderXdrProducts.isXdrAlert(alert)
                ? xdrFact(alert, xdrReads.get(key(alert.name())), actions)
                : fact(alert, states, target, actions));
      }
      return alerts;
    }

    /** What is known of the incident itself, with the status the last run remembered. */
    private ReconcileRules.Incident fact(Incident incident) {
      return new ReconcileRules.Incident(
          incident.isClosed(),
          incident.classification(),
          lastStatuses.get(key(incident.id().name())),
          DefenderXdrProducts.ownsIncident(incident));
    }

    private static boolean closedFromUntrustedTicket(List<Change> changes) {
      return changes.stream()
          .anyMatch(
              c -> c instanceof ReconcileRules.CloseIncident close && close.fromUntrustedTicket());
    }

    /** The one audit comment of a reconciled incident, naming what this run did to it. */
    private List<ActionResult> audit(Incident incident, List<ActionResult> actions) {
      return AuditComment.write(
          sentinel,
          incident.id(),
          incident.etag(),
          NAME,
          actions,
          "Kept in step with Defender for Cloud and ServiceNow.",
          context);
    }

    /** What is known of one alert; an unreadable Defender for Cloud alert is reported. */
    private ReconcileRules.Alert fact(
        SecurityAlert alert, AlertStates states, String target, List<ActionResult> actions) {
      if (!MdcAlertRef.isDefenderForCloudAlert(alert)) {
        return ReconcileRules.Alert.ofOtherProduct(alert.productName(), alert.label());
      }
      Optional<MdcAlertRef> ref = MdcAlertRef.of(alert);
      AlertState state = ref.map(r -> states.read().get(key(r.name()))).orElse(null);
      String failure = ref.map(r -> states.failures().get(key(r.name()))).orElse(null);
      if (failure != null) {
        actions.add(
            ActionResult.of(target, "read-alert", Outcome.FAILED, alert.label() + ": " + failure));
      } else if (state == null) {
        actions.add(
            ActionResult.of(
                target,
                "read-alert",
                Outcome.SKIPPED,
                alert.label()
                    + ": "
                    + (ref.isEmpty()
                        ? "the alert names no Defender for Cloud subscription"
                        : "not found in Resource Graph nor at " + ref.get())
                    + "; its state is unknown"));
      }
      return ReconcileRules.Alert.ofDefenderForCloud(alert.label(), state);
    }

    /**
     * What is known of one Defender XDR alert; one not found or not readable is reported, and its
     * state is unknown. Found alerts are counted ({@code xdr-alert read done}).
     */
    private ReconcileRules.Alert xdrFact(
        SecurityAlert alert, XdrRead read, List<ActionResult> actions) {
      String target = "sentinel-alert:" + alert.name();
      String label = alert.label() + " (" + DefenderXdrProducts.product(alert) + ")";
      if (read == null || read.failure() != null) {
        actions.add(
            ActionResult.of(
                target,
                "read-xdr-alert",
                Outcome.FAILED,
                label + ": " + (read == null ? "not read" : read.failure())));
      } else if (read.missing() != null) {
        actions.add(
            ActionResult.of(
                target,
                "read-xdr-alert",
                Outcome.SKIPPED,
                label + ": " + read.missing() + "; its state is unknown"));
      } else {
        report.count("xdr-alert", "read", Outcome.DONE);
      }
      return ReconcileRules.Alert.ofDefenderXdr(alert.label(), read == null ? null : read.alert());
    }

    private ReconcileRules.Ticket fact(
        Incident incident, ServiceNowIncident ticket, List<ActionResult> actions) {
      return new ReconcileRules.Ticket(
          ticket.isResolved(),
          ticket.isCanceled(),
          ticket.number(),
          ticket.closeNotes(),
          ticket.resolvedBy(),
          ticket.isResolved() && resolvedByTrustedGroup(incident, ticket, actions));
    }

    /**
     * Whether the ticket's resolver is a member of a trusted group. Only who resolved it counts:
     * the assignment group is a field any editor of the ticket can set. A membership that cannot be
     * read is no membership (reported, and the incident tried again next run).
     */
    private boolean resolvedByTrustedGroup(
        Incident incident, ServiceNowIncident ticket, List<ActionResult> actions) {
      if (ticket.resolvedBy() == null || rules.serviceNowTrustedGroups().isEmpty()) {
        return false;
      }
      try {
        return !serviceNow.groupsOf(ticket.resolvedBy(), rules.serviceNowTrustedGroups()).isEmpty();
      } catch (RuntimeException e) {
        actions.add(
            ActionResult.of(
                "incident:" + incident.id().armId(),
                "read-group-membership",
                Outcome.FAILED,
                "treated as not trusted: " + Actions.describe(e)));
        return false;
      }
    }

    private ActionResult apply(
        Incident incident, Optional<ServiceNowIncident> ticket, Change change) {
      if (change instanceof ReconcileRules.ChangeAlert alert) {
        return alertChange(alert.alert(), alert.action());
      }
      if (change instanceof ReconcileRules.CloseIncident close) {
        return close(incident, close);
      }
      if (change instanceof ReconcileRules.ResolveXdrAlert resolve) {
        return xdr.resolveFound(
            resolve.alert(),
            resolve.label() + " (Defender XDR)",
            XdrVerdict.of(
                Classification.ofClosed(incident.classification()),
                incident.classificationReason()),
            incident.classificationComment(),
            context);
      }
      if (change instanceof ReconcileRules.LeftAlone left) {
        return ActionResult.of(
            "mdc-alert:" + left.alert().id().armId(),
            left.action(),
            Outcome.SKIPPED,
            "state unknown in Resource Graph and the alerts API; left as it is");
      }
      if (change instanceof ReconcileRules.Held held) {
        return ActionResult.of(
            "incident:" + incident.id().armId(), held.action(), Outcome.SKIPPED, held.why());
      }
      return resolveTicket(incident, ticket.orElseThrow());
    }

    /**
     * Remembers a change between open and closed, so a later reopening is recognised, and whether
     * an untrusted ticket resolution closed the incident (kept until it is seen open again).
     */
    private void rememberStatus(
        Incident incident, String last, boolean fromUntrustedTicket, List<ActionResult> actions) {
      boolean closedNow =
          incident.isClosed()
              || actions.stream()
                  .anyMatch(a -> a.action().equals("close") && a.outcome() == Outcome.DONE);
      // A close from an untrusted ticket recorded its mark before it was tried.
      String recorded = fromUntrustedTicket ? ReconcileRules.STATUS_CLOSED_FROM_TICKET : last;
      String status =
          !closedNow
              ? "Open"
              : ReconcileRules.STATUS_CLOSED_FROM_TICKET.equals(recorded)
                  ? ReconcileRules.STATUS_CLOSED_FROM_TICKET
                  : "Closed";
      if (context.dryRun() || status.equals(recorded) || (recorded == null && !closedNow)) {
        return;
      }
      try {
        remember(incident, status);
      } catch (RuntimeException e) {
        actions.add(failedOn(incident, "remember-status", e));
      }
    }

    private void remember(Incident incident, String status) {
      checkpoints.rememberStatus(workspace.armId(), key(incident.id().name()), status);
    }

    private Optional<ServiceNowIncident> ticket(Incident incident, List<ActionResult> actions) {
      boolean wanted =
          rules.on(ReconcileRule.TICKET_TO_INCIDENT) || rules.on(ReconcileRule.INCIDENT_TO_TICKET);
      if (serviceNow == null
          || !wanted
          || incident.labels().stream().noneMatch(l -> l.startsWith(TICKET_LABEL))) {
        return Optional.empty();
      }
      try {
        // Only the ticket create-ticket recorded: a ticket found by correlation id may have been
        // filed by anyone, and its resolution would close the incident.
        return Tickets.findRecorded(tickets, serviceNow, incident.id());
      } catch (RuntimeException e) {
        actions.add(failedOn(incident, "read-ticket", e));
        return Optional.empty();
      }
    }

    private ActionResult alertChange(AlertState alert, String change) {
      MdcAlertId id = alert.id();
      String label = alert.displayName() == null ? id.name() : alert.displayName();
      try {
        return steps.changeAlert(id, label, alert.status(), AlertChange.of(change), context);
      } catch (RuntimeException e) {
        return ActionResult.of(
            "mdc-alert:" + id.armId(), change, Outcome.FAILED, label + ": " + Actions.describe(e));
      }
    }

    private ActionResult close(Incident incident, ReconcileRules.CloseIncident change) {
      String classification = change.classification();
      String reason = change.reason();
      IncidentUpdate update =
          change.fromUntrustedTicket()
              ? new IncidentUpdate(
                  "Closed",
                  classification,
                  reason,
                  change.comment(),
                  List.of(ReconcileRules.CLOSED_FROM_TICKET))
              : IncidentUpdate.close(classification, reason, change.comment());
      if (change.fromUntrustedTicket() && !context.dryRun()) {
        // Recorded before the close: an incident closed without the mark would have its alerts
        // dismissed by the next run.
        try {
          remember(incident, ReconcileRules.STATUS_CLOSED_FROM_TICKET);
        } catch (RuntimeException e) {
          return ActionResult.of(
              "incident:" + incident.id().armId(),
              "close",
              Outcome.FAILED,
              "not closed: its closing from a ServiceNow resolution could not be recorded: "
                  + Actions.describe(e));
        }
      }
      return steps.closeIncident(
          incident.id(),
          new CloseSteps.IncidentClose(
              update, classification + (reason == null ? "" : " / " + reason), change.comment()),
          context);
    }

    private ActionResult resolveTicket(Incident incident, ServiceNowIncident ticket) {
      String as =
          incident.classification() == null ? "(no classification)" : incident.classification();
      try {
        return steps.resolveTicket(ticket, as, null, context);
      } catch (RuntimeException e) {
        return ActionResult.of(
            "servicenow:incident/" + ticket.sysId(),
            "resolve",
            Outcome.FAILED,
            Actions.describe(e));
      }
    }
  }

  /** A Defender XDR alert as found, or why it was not ({@code missing}) or could not be read. */
  private record XdrRead(XdrAlert alert, String missing, String failure) {}

  /** A slice's Defender for Cloud alerts read, by name, and those that failed to be read. */
  private record AlertStates(Map<String, AlertState> read, Map<String, String> failures) {}

  /** Names (of alerts and incidents) compared as the services do: without case. */
  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** A failed step of one incident: reported on the incident, and the incident tried again. */
  private static ActionResult failedOn(Incident incident, String action, RuntimeException e) {
    return ActionResult.of(
        "incident:" + incident.id().armId(), action, Outcome.FAILED, Actions.describe(e));
  }
}
