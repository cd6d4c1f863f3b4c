package org.sentinelplaybooks.playbooks.reconcile;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.RunStatus;

/**
 * What reconciling one workspace did: whether it ran (another run may hold the workspace), the
 * window it read, how many incidents and alerts, how many actions of each kind ended each way, the
 * incidents left for the next run to try again, and the actions themselves, at most {@link
 * #MOST_LISTED} (failed and held ones first), so that a sweep's report does not grow with it.
 */
@JsonPropertyOrder({
  "workspace",
  "ran",
  "dryRun",
  "fullSweep",
  "status",
  "incidents",
  "alerts",
  "retrying",
  "counts",
  "actionsNotListed",
  "actions"
})
public record ReconcileReport(
    String workspace,
    boolean ran,
    boolean dryRun,
    boolean fullSweep,
    RunStatus status,
    int incidents,
    int alerts,
    int retrying,
    Map<String, Long> counts,
    long actionsNotListed,
    List<ActionResult> actions) {

  /** Actions listed at most (failed and held ones first); the counts count them all. */
  public static final int MOST_LISTED = 1000;

  public ReconcileReport {
    counts = Map.copyOf(counts);
    actions = List.copyOf(actions);
  }

  static ReconcileReport notRun(String workspace, boolean dryRun, String why) {
    Builder report = new Builder(workspace, dryRun);
    report.add(ActionResult.of("workspace:" + workspace, "reconcile", Outcome.SKIPPED, why));
    return new ReconcileReport(
        workspace,
        false,
        dryRun,
        false,
        RunStatus.SUCCEEDED,
        0,
        0,
        0,
        report.counts,
        0,
        report.listed);
  }

  /** How many {@code action}s (on any kind of target) ended as {@code outcome}. */
  public long count(String action, Outcome outcome) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().endsWith(" " + action + " " + outcome.wireName()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** How many actions on targets of this kind ({@code mdc-alert}, {@code servicenow}, ...). */
  public long count(String targetKind, String action, Outcome outcome) {
    return counts.getOrDefault(key(targetKind, action, outcome), 0L);
  }

  /** How many actions of any kind ended as {@code outcome}. */
  public long count(Outcome outcome) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().endsWith(" " + outcome.wireName()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static String key(String targetKind, String action, Outcome outcome) {
    return targetKind + " " + action + " " + outcome.wireName();
  }

  /** Gathers a run's report as its incidents finish, from many threads at once. */
  public static final class Builder {
    private final String workspace;
    private final boolean dryRun;
    private final Map<String, Long> counts = new TreeMap<>();
    private final List<ActionResult> listed = new ArrayList<>();
    private long notListed;
    private int incidents;
    private int alerts;

    /** Hears every action as it is added, listed or not (the run's events). */
    private final Consumer<ActionResult> heard;

    public Builder(String workspace, boolean dryRun) {
      this(workspace, dryRun, action -> {});
    }

    public Builder(String workspace, boolean dryRun, Consumer<ActionResult> heard) {
      this.workspace = workspace;
      this.dryRun = dryRun;
      this.heard = heard;
    }

    public synchronized void incident(int alertCount, List<ActionResult> actions) {
      incidents++;
      alerts += alertCount;
      actions.forEach(this::add);
    }

    /** Counts what is not an action of its own (e.g. an alert read), without listing it. */
    public synchronized void count(String targetKind, String action, Outcome outcome) {
      counts.merge(key(targetKind, action, outcome), 1L, Long::sum);
    }

    public synchronized void add(ActionResult action) {
      String kind =
          action.target().contains(":")
              ? action.target().substring(0, action.target().indexOf(':'))
              : action.target();
      counts.merge(key(kind, action.action(), action.outcome()), 1L, Long::sum);
      heard.accept(action);
      boolean mustShow = action.outcome() == Outcome.FAILED || action.outcome() == Outcome.SKIPPED;
      if (listed.size() < MOST_LISTED || (mustShow && dropOneRoutine())) {
        listed.add(action);
      } else {
        notListed++;
      }
    }

    /** Makes room for a failed or held action by dropping a routine one, if there is one. */
    private boolean dropOneRoutine() {
      for (int i = listed.size() - 1; i >= 0; i--) {
        Outcome outcome = listed.get(i).outcome();
        if (outcome != Outcome.FAILED && outcome != Outcome.SKIPPED) {
          listed.remove(i);
          notListed++;
          return true;
        }
      }
      return false;
    }

    public synchronized ReconcileReport build(boolean fullSweep, int retrying) {
      RunStatus status;
      long failed =
          counts.entrySet().stream()
              .filter(e -> e.getKey().endsWith(" " + Outcome.FAILED.wireName()))
              .mapToLong(Map.Entry::getValue)
              .sum();
      long total = counts.values().stream().mapToLong(Long::longValue).sum();
      if (failed == 0) {
        status = RunStatus.SUCCEEDED;
      } else {
        status = failed < total || incidents > retrying ? RunStatus.PARTIAL : RunStatus.FAILED;
      }
      return new ReconcileReport(
          workspace, true, dryRun, fullSweep, status, incidents, alerts, retrying, counts,
          notListed, listed);
    }
  }
}
