package org.sentinelplaybooks.playbooks;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Sentinel's closing classifications and the reasons each one takes. */
public enum Classification {
  TRUE_POSITIVE("TruePositive", List.of("SuspiciousActivity")),
  BENIGN_POSITIVE("BenignPositive", List.of("SuspiciousButExpected")),
  FALSE_POSITIVE("FalsePositive", List.of("IncorrectAlertLogic", "InaccurateData")),
  UNDETERMINED("Undetermined", List.of());

  private final String wireName;
  private final List<String> reasons;

  Classification(String wireName, List<String> reasons) {
    this.wireName = wireName;
    this.reasons = reasons;
  }

  public String wireName() {
    return wireName;
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
