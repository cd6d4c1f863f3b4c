package org.sentinelplaybooks.playbooks.close;

import java.util.Collection;
import java.util.List;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.resourcegraph.AlertState;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.EntityText;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.RunContext;

/**
 * Alerts whose state Resource Graph left unknown, read again from the alerts API. One still unknown
 * there (or that cannot be read) stays unknown, and nothing is decided on it.
 */
public final class UnknownAlertStates {
  private UnknownAlertStates() {}

  /** The unknown ones among {@code states}, each as the alerts API now has it. */
  public static List<AlertState> readAgain(
      Parallel parallel,
      DefenderForCloudClient defender,
      Collection<AlertState> states,
      int concurrency,
      RunContext context) {
    List<AlertState> unknown = states.stream().filter(AlertState::isUnknown).toList();
    return parallel.each(
        unknown,
        concurrency,
        state -> {
          try {
            return AlertState.of(defender.getAlert(state.id()));
          } catch (RuntimeException e) {
            context
                .log()
                .warning(
                    "alert state still unknown: "
                        + state.id().armId()
                        + ": "
                        + EntityText.forLog(Actions.describe(e)));
            return state;
          }
        });
  }
}
