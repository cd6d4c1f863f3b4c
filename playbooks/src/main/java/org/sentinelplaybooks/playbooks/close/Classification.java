package org.sentinelplaybooks.playbooks.close;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.sentinelplaybooks.playbooks.core.BadInputException;

/**
 * Sentinel's closing classifications, the reasons each one takes, and what closing with each does
 * to the incident's Defender for Cloud alerts: a true positive was handled, so its alerts are
 * resolved; every other verdict dismisses them. This is the one place that says so, for {@code
 * close-incident} and {@code reconcile} alike.
 */
public enum Classification {
  TRUE_POSITIVE("TruePositive", List.of("SuspiciousActivity"), AlertChange.RESOLVE),
  BENIGN_POSITIVE("BenignPositive", List.of("SuspiciousButExpected"), AlertChange.DISMISS),
  FALSE_POSITIVE(
      "FalsePositive", List.of("IncorrectAlertLogic", "InaccurateData"), AlertChange.DISMISS),
  UNDETERMINED("Undetermined", List.of(), AlertChange.DISMISS);

  private final String wireName;
  private final List<String> reasons;
  private final AlertChange alertClosure;

  Classification(String wireName, List<String> reasons, AlertChange alertClosure) {
    this.wireName = wireName;
    this.reasons = reasons;
    this.alertClosure = alertClosure;
  }

  public String wireName() {
    return wireName;
  }

  /** What closing an incident with this classification does to its Defender for Cloud alerts. */
  public AlertChange alertClosure() {
    return alertClosure;
  }

  /**
   * The classification a closed incident carries, as Sentinel reports it; Undetermined when it
   * carries none this service defines.
   */
  public static Classification ofClosed(String wireName) {
    return Arrays.stream(values())
        .filter(c -> c.wireName.equalsIgnoreCase(wireName))
        .findFirst()
        .orElse(UNDETERMINED);
  }

  /** The reason used when none is given: the first valid one, or null for Undetermined. */
  public String defaultReason() {
    return reasons.isEmpty() ? null : reasons.get(0);
  }

  public static Classification parse(String field, String value) {
    return Arrays.stream(values())
        .filter(c -> c.wireName.equalsIgnoreCase(value))
        .findFirst()
        .orElseThrow(
            () ->
                new BadInputException(
                    field,
                    "'"
                        + value
                        + "' is not a classification; expected one of "
                        + Arrays.stream(values())
                            .map(c -> c.wireName)
                            .collect(Collectors.joining(", "))));
  }

  /** The reason in Sentinel's spelling, or bad input when it does not fit this classification. */
  public String checkReason(String field, String reason) {
    if (reason == null) {
      return defaultReason();
    }
    return reasons.stream()
        .filter(r -> r.equalsIgnoreCase(reason))
        .findFirst()
        .orElseThrow(
            () ->
                new BadInputException(
                    field,
                    "'"
                        + reason
                        + "' does not fit the classification "
                        + wireName
                        + (reasons.isEmpty()
                            ? ", which takes no reason"
                            : "; expected one of " + String.join(", ", reasons))));
  }
}
