package org.sentinelplaybooks.playbooks;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What reconciling one workspace did: whether it ran (another run may hold the workspace), the
 * window it read, how many incidents and alerts, and every action taken, as a playbook's.
 */
@JsonPropertyOrder({
  "workspace",
  "ran",
  "dryRun",
  "fullSweep",
  "status",
  "incidents",
  "alerts",
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
    List<ActionResult> actions) {

  public ReconcileReport {
    actions = List.copyOf(actions);
  }

  static ReconcileReport notRun(String workspace, boolean dryRun, String why) {
    return new ReconcileReport(
        workspace,
        false,
        dryRun,
        false,
        RunStatus.SUCCEEDED,
        0,
        0,
        List.of(ActionResult.of("workspace:" + workspace, "reconcile", Outcome.SKIPPED, why)));
  }

  public long count(Outcome outcome) {
    return actions.stream().filter(a -> a.outcome() == outcome).count();
  }

  public long count(String action, Outcome outcome) {
    return actions.stream()
        .filter(a -> a.action().equals(action) && a.outcome() == outcome)
        .count();
  }
}
