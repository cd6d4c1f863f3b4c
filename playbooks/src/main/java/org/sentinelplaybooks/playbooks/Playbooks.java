package org.sentinelplaybooks.playbooks;

import com.azure.data.tables.TableServiceClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.sentinelplaybooks.clients.RunDeadline;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;
import org.sentinelplaybooks.playbooks.block.BlockIpPlaybook;
import org.sentinelplaybooks.playbooks.block.BlockSettings;
import org.sentinelplaybooks.playbooks.block.Blocker;
import org.sentinelplaybooks.playbooks.block.ExpireBlocks;
import org.sentinelplaybooks.playbooks.block.IpGroupBlocker;
import org.sentinelplaybooks.playbooks.block.MdeBlocker;
import org.sentinelplaybooks.playbooks.block.NamedLocationBlocker;
import org.sentinelplaybooks.playbooks.block.NsgBlocker;
import org.sentinelplaybooks.playbooks.close.CloseIncidentPlaybook;
import org.sentinelplaybooks.playbooks.close.DefenderXdrSync;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.IncidentPlaybook;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.Playbook;
import org.sentinelplaybooks.playbooks.core.PlaybookJson;
import org.sentinelplaybooks.playbooks.core.PlaybookOptions;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.identity.ConfirmRiskyUserPlaybook;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileOptions;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileProgress;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileReport;
import org.sentinelplaybooks.playbooks.reconcile.Reconciler;
import org.sentinelplaybooks.playbooks.state.ActionStore;
import org.sentinelplaybooks.playbooks.state.AppStatus;
import org.sentinelplaybooks.playbooks.state.BlockStore;
import org.sentinelplaybooks.playbooks.state.CheckpointStore;
import org.sentinelplaybooks.playbooks.state.InMemoryActionStore;
import org.sentinelplaybooks.playbooks.state.InMemoryBlockStore;
import org.sentinelplaybooks.playbooks.state.InMemoryCheckpointStore;
import org.sentinelplaybooks.playbooks.state.InMemoryTicketStore;
import org.sentinelplaybooks.playbooks.state.TableActionStore;
import org.sentinelplaybooks.playbooks.state.TableBlockStore;
import org.sentinelplaybooks.playbooks.state.TableCheckpointStore;
import org.sentinelplaybooks.playbooks.state.TableTicketStore;
import org.sentinelplaybooks.playbooks.state.TicketStore;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketPlaybook;

/**
 * The playbooks by name, and the one way every trigger (function, CLI, demo) runs them: parse the
 * body, decide dry run ({@code DRY_RUN} setting, {@code ?dryRun=true} or {@code "dryRun": true}),
 * run.
 */
public final class Playbooks {
  /** What a playbook that is off needs before it can run. */
  private static final Map<String, String> UNCONFIGURED =
      Map.of(
          CreateTicketPlaybook.NAME,
          "ServiceNow: set " + Settings.SERVICENOW_INSTANCE_URL + " and its credentials",
          ConfirmRiskyUserPlaybook.NAME,
          "Microsoft Graph: set " + Settings.AZURE_GRAPH_ENDPOINT + " (with AZURE_CLOUD=Local)",
          BlockIpPlaybook.NAME,
          "an enforcement point: set "
              + BlockSettings.BLOCK_NSG_IDS
              + ", "
              + BlockSettings.BLOCK_IP_GROUP_IDS
              + ", "
              + BlockSettings.BLOCK_NAMED_LOCATION_ID
              + " or "
              + BlockSettings.BLOCK_MDE
              + "=true");

  /**
   * The playbooks whose records (blocks and their expiry, tickets, completed identity actions) are
   * what make expiry and {@code already} work: outside Local they do not run without storage.
   */
  private static final Set<String> NEED_RECORDS =
      Set.of(BlockIpPlaybook.NAME, CreateTicketPlaybook.NAME, ConfirmRiskyUserPlaybook.NAME);

  private final PlaybookSettings settings;
  private final Clock clock;
  private final Map<String, Playbook> byName = new LinkedHashMap<>();
  private final ExpireBlocks expireBlocks;
  private final Reconciler reconciler;
  private final StatusSource status;

  /** The stores {@link #status} reads. */
  private record StatusSource(
      TicketStore tickets, BlockStore blocks, CheckpointStore checkpoints, ActionStore actions) {}

  /** The given playbooks, with no blocks to expire and nothing to reconcile. */
  public Playbooks(PlaybookSettings settings, List<Playbook> playbooks, Clock clock) {
    this(
        settings,
        clock,
        playbooks,
        new ExpireBlocks(null, List.of(), new InMemoryBlockStore()),
        null,
        new StatusSource(
            new InMemoryTicketStore(clock),
            new InMemoryBlockStore(),
            new InMemoryCheckpointStore(clock),
            new InMemoryActionStore()));
  }

  private Playbooks(
      PlaybookSettings settings,
      Clock clock,
      List<Playbook> playbooks,
      ExpireBlocks expireBlocks,
      Reconciler reconciler,
      StatusSource status) {
    this.settings = settings;
    this.status = status;
    this.clock = clock;
    this.expireBlocks = expireBlocks;
    this.reconciler = reconciler;
    for (Playbook playbook : playbooks) {
      byName.put(playbook.name(), playbook);
    }
  }

  /**
   * Every playbook, wired to the clients, with ticket links, blocks and completed identity actions
   * in the {@code tickets}, {@code blocks} and {@code actions} tables of the app's storage (or in
   * memory when no storage is set), on the process-wide pool. A playbook whose service is not
   * configured is left out.
   */
  public static Playbooks create(PlaybookSettings settings, ServiceClients clients) {
    Optional<TableServiceClient> tables = clients.tables();
    Clock clock = clients.clock();
    return create(
        settings,
        clients,
        tables
            .<TicketStore>map(TableTicketStore::new)
            .orElseGet(() -> new InMemoryTicketStore(clock)),
        tables.<BlockStore>map(TableBlockStore::new).orElseGet(InMemoryBlockStore::new),
        tables
            .<CheckpointStore>map(service -> new TableCheckpointStore(service, clock))
            .orElseGet(() -> new InMemoryCheckpointStore(clock)),
        tables.<ActionStore>map(TableActionStore::new).orElseGet(InMemoryActionStore::new),
        Parallel.shared());
  }

  /**
   * As {@link #create(Settings, ServiceClients)}, with these stores, every call a run makes at the
   * same time on {@code parallel}.
   */
  public static Playbooks create(
      PlaybookSettings settings,
      ServiceClients clients,
      TicketStore tickets,
      BlockStore blocks,
      CheckpointStore checkpoints,
      ActionStore actions,
      Parallel parallel) {
    ServiceNowClient serviceNow = clients.serviceNow().orElse(null);
    List<Playbook> playbooks = new ArrayList<>();
    playbooks.add(
        new CloseIncidentPlaybook(
            settings,
            clients.sentinel(),
            clients.defenderForCloud(),
            serviceNow,
            tickets,
            clients.clock(),
            settings.defenderXdrSync() ? clients.defenderXdr().orElse(null) : null,
            parallel));
    if (serviceNow != null) {
      playbooks.add(
          new CreateTicketPlaybook(
              settings, clients.sentinel(), serviceNow, tickets, parallel, clients.waiter()));
    }
    clients
        .identity()
        .ifPresent(
            identity ->
                playbooks.add(
                    new ConfirmRiskyUserPlaybook(
                        settings,
                        clients.sentinel(),
                        identity,
                        actions,
                        clients.clock(),
                        parallel)));
    List<Blocker> blockers = blockers(settings, clients, parallel);
    if (!blockers.isEmpty()) {
      playbooks.add(
          new BlockIpPlaybook(
              settings, clients.sentinel(), blockers, blocks, parallel, clients.clock()));
    }
    Reconciler reconciler =
        new Reconciler(
            settings,
            clients.sentinel(),
            clients.defenderForCloud(),
            clients.resourceGraph(),
            serviceNow,
            tickets,
            checkpoints,
            clients.clock(),
            settings.defenderXdrSync()
                ? clients
                    .defenderXdr()
                    .map(xdr -> new DefenderXdrSync(xdr, clients.sentinel()))
                    .orElse(null)
                : null,
            parallel);
    return new Playbooks(
        settings,
        clients.clock(),
        playbooks,
        new ExpireBlocks(clients.sentinel(), blockers, blocks),
        reconciler,
        new StatusSource(tickets, blocks, checkpoints, actions));
  }

  /** The enforcement points the settings name, each with its client. */
  public static List<Blocker> blockers(
      PlaybookSettings settings, ServiceClients clients, Parallel parallel) {
    BlockSettings block = settings.block();
    List<Blocker> blockers = new ArrayList<>();
    for (String nsg : block.nsgIds()) {
      blockers.add(new NsgBlocker(clients.network(), nsg, block.nsgRulePriority()));
    }
    for (String group : block.ipGroupIds()) {
      blockers.add(new IpGroupBlocker(clients.network(), group));
    }
    if (block.namedLocationId() != null && clients.identity().isPresent()) {
      blockers.add(new NamedLocationBlocker(clients.identity().get(), block.namedLocationId()));
    }
    if (block.mde() && clients.defenderForEndpoint().isPresent()) {
      blockers.add(new MdeBlocker(clients.defenderForEndpoint().get(), parallel));
    }
    return blockers;
  }

  /**
   * {@code POST /api/reconcile}: the body {@code {"workspace": "<ARM id>", "since": "<ISO-8601
   * instant>", "dryRun": true}}, every field optional (no workspace: all of {@code
   * SENTINEL_WORKSPACES}).
   */
  public List<ReconcileReport> reconcile(String body, boolean dryRunRequested, Logger log) {
    return reconcile(body, dryRunRequested, log, UUID.randomUUID().toString());
  }

  /** As {@link #reconcile(String, boolean, Logger)}, the runs' events under {@code runId}. */
  public List<ReconcileReport> reconcile(
      String body, boolean dryRunRequested, Logger log, String runId) {
    PlaybookRequest request =
        body == null || body.isBlank()
            ? PlaybookRequest.of(PlaybookJson.object())
            : PlaybookRequest.parse(body);
    return reconcile(
        ReconcileOptions.of(request, dryRunRequested), log, runId, ReconcileProgress.NONE);
  }

  /**
   * The one way reconcile runs (the HTTP and queue functions, the CLI, the demo): the workspaces
   * asked, one after another, each within a run's time, their events under {@code runId}; a dry run
   * when asked or when the {@code DRY_RUN} setting says so.
   */
  public List<ReconcileReport> reconcile(
      ReconcileOptions options, Logger log, String runId, ReconcileProgress progress) {
    boolean dryRun = settings.dryRun() || options.dryRun();
    List<WorkspaceId> workspaces =
        options.workspace() == null
            ? List.copyOf(settings.workspaces())
            : List.of(options.workspace());
    List<ReconcileReport> reports = new ArrayList<>();
    for (WorkspaceId workspace : workspaces) {
      progress.started(workspace);
      ReconcileReport report =
          withinRunTime(
              () ->
                  reconciler.reconcile(
                      workspace,
                      new Reconciler.Request(options.since(), dryRun),
                      new RunContext(dryRun, log, runId, clock),
                      progress::counted));
      progress.finished(report);
      reports.add(report);
    }
    return reports;
  }

  /** Lifts expired blocks; the timer function and {@code cli expire-blocks} run it. */
  public ExpireBlocks expireBlocks() {
    return expireBlocks;
  }

  /** The clock every playbook, store and run deadline reads: the clients'. */
  public Clock clock() {
    return clock;
  }

  /** What the app's state says now: blocks, tickets and reconcile checkpoints. */
  public AppStatus status(Instant now) {
    return AppStatus.read(
        status.blocks(), status.tickets(), status.checkpoints(), status.actions(), now);
  }

  /** Lifts the blocks expired by {@code now}, within a run's time. */
  public PlaybookResult expireBlocks(Instant now, RunContext context) {
    return withinRunTime(() -> expireBlocks.run(now, context));
  }

  /**
   * Every entry (a playbook, a reconcile, an expiry) runs within {@link RunDeadline#RUN_TIMEOUT} by
   * the clients' clock, so no wait on any thread the run uses outlives the invocation.
   */
  private <R> R withinRunTime(Supplier<R> work) {
    return RunDeadline.within(clock.instant().plus(RunDeadline.RUN_TIMEOUT), work);
  }

  public Set<String> names() {
    return byName.keySet();
  }

  public PlaybookSettings settings() {
    return settings;
  }

  public PlaybookResult run(String name, String body, boolean dryRunRequested, Logger log) {
    return run(name, PlaybookRequest.parse(body), dryRunRequested, log);
  }

  public PlaybookResult run(
      String name, PlaybookRequest request, boolean dryRunRequested, Logger log) {
    Playbook playbook = playbook(name);
    return run(playbook, request, new RunContext(dryRun(request, dryRunRequested), log, clock));
  }

  /**
   * Runs a playbook on the incident {@code incident} names with options its caller builds (the CLI,
   * from its flags), so they never travel as JSON; they are built when the body's would be read.
   */
  public PlaybookResult run(
      String name,
      PlaybookRequest incident,
      Supplier<? extends PlaybookOptions> options,
      boolean dryRunRequested,
      Logger log) {
    Playbook playbook = playbook(name);
    if (!(playbook instanceof IncidentPlaybook<?> withOptions)) {
      throw new IllegalArgumentException(playbook.name() + " takes no typed options");
    }
    return run(
        playbook,
        incident,
        new RunContext(dryRun(incident, dryRunRequested), log, clock),
        context -> withOptions.run(incident, options, context));
  }

  private Playbook playbook(String name) {
    Playbook playbook = byName.get(name);
    String missing = UNCONFIGURED.get(name);
    if (playbook == null && missing != null) {
      throw new BadInputException("playbook", name + " needs " + missing);
    }
    if (playbook == null) {
      throw new BadInputException(
          "playbook",
          "'" + name + "' is not a playbook; expected one of " + String.join(", ", names()));
    }
    if (NEED_RECORDS.contains(name) && !settings.keepsRecords()) {
      throw new BadInputException(
          "playbook",
          name
              + " needs storage: set "
              + Settings.AZURE_WEBJOBS_STORAGE
              + " (or "
              + Settings.AZURE_WEBJOBS_STORAGE_ACCOUNT
              + "); without its records, blocks would never expire and a second run could not"
              + " tell what the first one did");
    }
    return playbook;
  }

  /** As {@link #run(String, String, boolean, Logger)}, the run's events under {@code runId}. */
  public PlaybookResult run(
      String name, String body, boolean dryRunRequested, Logger log, String runId) {
    Playbook playbook = playbook(name);
    PlaybookRequest request = PlaybookRequest.parse(body);
    return run(
        playbook, request, new RunContext(dryRun(request, dryRunRequested), log, runId, clock));
  }

  /**
   * Runs the playbook within its deadline and writes its events: the one place every playbook's run
   * is reported. A run stopped by an error still says so; bad input is answered, not reported as a
   * run.
   */
  private PlaybookResult run(Playbook playbook, PlaybookRequest request, RunContext context) {
    return run(playbook, request, context, run -> playbook.run(request, run));
  }

  private PlaybookResult run(
      Playbook playbook,
      PlaybookRequest request,
      RunContext context,
      Function<RunContext, PlaybookResult> body) {
    PlaybookResult result;
    try {
      result = withinRunTime(() -> body.apply(context));
    } catch (BadInputException e) {
      throw e;
    } catch (RuntimeException e) {
      context
          .telemetry()
          .failed(playbook.name(), incidentOrNull(request), Actions.describe(e), context.dryRun());
      throw e;
    }
    context.telemetry().finished(result);
    return result;
  }

  private static String incidentOrNull(PlaybookRequest request) {
    try {
      return request.incidentId().armId();
    } catch (BadInputException e) {
      return null;
    }
  }

  /**
   * The body's {@code dryRun} is read even when the setting or the query already ask for a dry run,
   * so a malformed one is refused rather than ignored.
   */
  private boolean dryRun(PlaybookRequest request, boolean dryRunRequested) {
    boolean requestedInBody = request.dryRunRequested();
    return settings.dryRun() || dryRunRequested || requestedInBody;
  }
}
