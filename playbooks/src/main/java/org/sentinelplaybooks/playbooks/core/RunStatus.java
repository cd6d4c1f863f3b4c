package org.sentinelplaybooks.playbooks.core;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/** The overall status of a playbook run, derived from its actions. */
public enum RunStatus {
  SUCCEEDED,
  PARTIAL,
  FAILED,
  REFUSED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Refused when a guardrail stopped everything; failed when something failed and nothing else got
   * done; partial when some actions failed and others did not; succeeded otherwise.
   */
  public static RunStatus of(List<ActionResult> actions) {
    boolean anyFailed = actions.stream().anyMatch(a -> a.outcome() == Outcome.FAILED);
    boolean allRefused =
        !actions.isEmpty() && actions.stream().allMatch(a -> a.outcome() == Outcome.REFUSED);
    boolean anyProgress =
        actions.stream()
            .anyMatch(a -> a.outcome() != Outcome.FAILED && a.outcome() != Outcome.REFUSED);
    if (allRefused) {
      return REFUSED;
    }
    if (anyFailed) {
      return anyProgress ? PARTIAL : FAILED;
    }
    return SUCCEEDED;
  }
}
