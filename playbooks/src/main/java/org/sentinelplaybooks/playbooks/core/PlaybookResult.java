package org.sentinelplaybooks.playbooks.core;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The structured result every playbook returns, the same from the function and the CLI. */
@JsonPropertyOrder({"playbook", "incidentId", "dryRun", "status", "actions"})
public record PlaybookResult(
    String playbook,
    String incidentId,
    boolean dryRun,
    RunStatus status,
    List<ActionResult> actions) {

  public PlaybookResult {
    actions = List.copyOf(actions);
  }

  public static PlaybookResult of(
      String playbook, String incidentId, boolean dryRun, List<ActionResult> actions) {
    return new PlaybookResult(playbook, incidentId, dryRun, RunStatus.of(actions), actions);
  }

  public long count(Outcome outcome) {
    return actions.stream().filter(a -> a.outcome() == outcome).count();
  }
}
