package org.sentinelplaybooks.playbooks.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.playbooks.block.ExpireBlocks;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileReport;
import org.sentinelplaybooks.playbooks.reconcile.Reconciler;
import org.sentinelplaybooks.playbooks.state.BlockRecord;

/**
 * What a run says about itself once it is finished: one event per action and one for the run, each
 * with the run's id (the Functions invocation's, or one the CLI made), its incident and workspace,
 * whether it was a dry run and how long it took. The one place events are made, so that every
 * playbook, reconcile and expire-blocks write the same fields.
 */
public final class RunTelemetry {
  private final String runId;
  private final EventSink sink;
  private final Clock clock;
  private final Instant started;
  private final AtomicReference<Long> incidentNumber = new AtomicReference<>();

  public RunTelemetry(String runId, EventSink sink, Clock clock) {
    this.runId = runId;
    this.sink = sink;
    this.clock = clock;
    this.started = clock.instant();
  }

  public String runId() {
    return runId;
  }

  /** The incident as Sentinel has it (read again by the run), for its number. */
  void noteIncident(Incident incident) {
    incidentNumber.set(incident.incidentNumber());
  }

  /** A playbook or expire-blocks run is finished: its actions, then the run. */
  public void finished(PlaybookResult result) {
    String workspace = workspaceOf(result.incidentId());
    long took = elapsedMillis();
    for (ActionResult action : result.actions()) {
      String incident =
          result.incidentId() != null ? result.incidentId() : incidentTargeted(action);
      sink.emit(
          action(
              result.playbook(),
              incident,
              workspace != null ? workspace : workspaceOf(incident),
              action,
              result.dryRun(),
              took));
    }
    sink.emit(
        run(
            result.playbook(),
            result.incidentId(),
            workspace,
            result.status(),
            result::count,
            result.dryRun(),
            took));
  }

  /** One change or failure of reconcile, as it is made (a sweep's actions are not kept). */
  public void reconciled(String workspace, ActionResult action, boolean dryRun) {
    sink.emit(
        action(
            Reconciler.NAME, incidentTargeted(action), workspace, action, dryRun, elapsedMillis()));
  }

  /** Reconciling one workspace is finished: the run, with the count of each outcome. */
  public void finished(ReconcileReport report) {
    sink.emit(
        run(
            Reconciler.NAME,
            null,
            report.workspace(),
            report.status(),
            report::count,
            report.dryRun(),
            elapsedMillis()));
  }

  /** A run that stopped on an error before it had a result. */
  public void failed(String playbook, String incidentId, String why, boolean dryRun) {
    Map<String, Object> fields =
        common(
            RunStatus.FAILED.wireName(),
            playbook,
            incidentId,
            workspaceOf(incidentId),
            dryRun,
            elapsedMillis());
    fields.put(PlaybookEvent.EVENT, PlaybookEvent.RUN_EVENT);
    fields.put(PlaybookEvent.DETAIL, why);
    sink.emit(new PlaybookEvent(fields));
  }

  /** The addresses blocked now, one event each, as {@code expire-blocks} found them. */
  public void blockedNow(List<BlockRecord> blocks, boolean dryRun) {
    for (BlockRecord block : blocks) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put(PlaybookEvent.EVENT, PlaybookEvent.BLOCK_EVENT);
      fields.put(PlaybookEvent.PLAYBOOK, ExpireBlocks.NAME);
      fields.put(PlaybookEvent.RUN_ID, runId);
      fields.put(PlaybookEvent.INCIDENT_ID, block.incidentId());
      fields.put(PlaybookEvent.WORKSPACE, workspaceOf(block.incidentId()));
      fields.put(PlaybookEvent.TARGET_KIND, targetKind(block.target()));
      fields.put(PlaybookEvent.TARGET_ID, targetId(block.target()));
      fields.put(PlaybookEvent.ADDRESS, block.address());
      fields.put(PlaybookEvent.EXPIRES_AT, String.valueOf(block.expiresAt()));
      fields.put(PlaybookEvent.DRY_RUN, dryRun);
      sink.emit(new PlaybookEvent(fields));
    }
  }

  private PlaybookEvent action(
      String playbook,
      String incidentId,
      String workspace,
      ActionResult action,
      boolean dryRun,
      long took) {
    Map<String, Object> fields = common(null, playbook, incidentId, workspace, dryRun, took);
    fields.put(PlaybookEvent.EVENT, PlaybookEvent.ACTION_EVENT);
    fields.put(PlaybookEvent.TARGET_KIND, targetKind(action.target()));
    fields.put(PlaybookEvent.TARGET_ID, targetId(action.target()));
    fields.put(PlaybookEvent.ACTION, action.action());
    fields.put(PlaybookEvent.OUTCOME, action.outcome().wireName());
    fields.put(PlaybookEvent.DETAIL, action.detail());
    return new PlaybookEvent(fields);
  }

  private PlaybookEvent run(
      String playbook,
      String incidentId,
      String workspace,
      RunStatus status,
      ToLongFunction<Outcome> count,
      boolean dryRun,
      long took) {
    Map<String, Object> fields =
        common(status.wireName(), playbook, incidentId, workspace, dryRun, took);
    fields.put(PlaybookEvent.EVENT, PlaybookEvent.RUN_EVENT);
    for (Outcome outcome : Outcome.values()) {
      fields.put(outcome.wireName(), count.applyAsLong(outcome));
    }
    return new PlaybookEvent(fields);
  }

  private Map<String, Object> common(
      String status,
      String playbook,
      String incidentId,
      String workspace,
      boolean dryRun,
      long took) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(PlaybookEvent.EVENT, null);
    fields.put(PlaybookEvent.PLAYBOOK, playbook);
    fields.put(PlaybookEvent.RUN_ID, runId);
    if (incidentId != null) {
      fields.put(PlaybookEvent.INCIDENT_ID, incidentId);
      if (incidentNumber.get() != null) {
        fields.put(PlaybookEvent.INCIDENT_NUMBER, incidentNumber.get());
      }
    }
    if (workspace != null) {
      fields.put(PlaybookEvent.WORKSPACE, workspace);
    }
    fields.put(PlaybookEvent.DRY_RUN, dryRun);
    fields.put(PlaybookEvent.DURATION_MS, took);
    if (status != null) {
      fields.put(PlaybookEvent.STATUS, status);
    }
    return fields;
  }

  private long elapsedMillis() {
    return Math.max(0, Duration.between(started, clock.instant()).toMillis());
  }

  /** The incident an action was on, when its target is one (a run over many incidents). */
  private static String incidentTargeted(ActionResult action) {
    return action.target().startsWith("incident:") ? targetId(action.target()) : null;
  }

  /** {@code mdc-alert:/subscriptions/…} is kind {@code mdc-alert}, id {@code /subscriptions/…}. */
  static String targetKind(String target) {
    int colon = target.indexOf(':');
    return colon < 0 ? target : target.substring(0, colon);
  }

  static String targetId(String target) {
    int colon = target.indexOf(':');
    return colon < 0 ? "" : target.substring(colon + 1);
  }

  private static String workspaceOf(String incidentId) {
    if (incidentId == null) {
      return null;
    }
    try {
      return IncidentId.parse(incidentId).workspace().armId();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
