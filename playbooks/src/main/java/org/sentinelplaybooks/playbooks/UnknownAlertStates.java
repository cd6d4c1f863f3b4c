package org.sentinelplaybooks.playbooks;

import java.util.Collection;
import java.util.List;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.resourcegraph.AlertState;

/**
 * Alerts whose state Resource Graph left unknown, read again from the alerts API. One still unknown
 * there (or that cannot be read) stays unknown, and nothing is decided on it.
 */
final class UnknownAlertStates {
  private UnknownAlertStates() {}

  /** The unknown ones among {@code states}, each as the alerts API now has it. */
  static List<AlertState> readAgain(
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
