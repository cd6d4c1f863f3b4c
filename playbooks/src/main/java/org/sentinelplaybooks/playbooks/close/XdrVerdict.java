package org.sentinelplaybooks.playbooks.close;

import java.util.Arrays;
import org.sentinelplaybooks.clients.graph.XdrAlertUpdate;
import org.sentinelplaybooks.clients.graph.XdrAlertUpdate.Determination;

/**
 * The one table from Sentinel's closing classification and reason to a Defender XDR alert's
 * classification and determination, so that a closed incident's XDR alerts say the same thing.
 * Determinations are the v1.0 CSDL's members (microsoftgraph/msgraph-metadata
 * schemas/v1.0-Prod.csdl; the update doc's property table names some differently); where Sentinel's
 * reason says no more than the classification, the determination is {@code other}.
 */
public enum XdrVerdict {
  TRUE_POSITIVE_SUSPICIOUS_ACTIVITY(
      Classification.TRUE_POSITIVE,
      "SuspiciousActivity",
      XdrAlertUpdate.Classification.TRUE_POSITIVE,
      Determination.OTHER),
  BENIGN_POSITIVE_SUSPICIOUS_BUT_EXPECTED(
      Classification.BENIGN_POSITIVE,
      "SuspiciousButExpected",
      XdrAlertUpdate.Classification.INFORMATIONAL_EXPECTED_ACTIVITY,
      Determination.CONFIRMED_ACTIVITY),
  FALSE_POSITIVE_INCORRECT_ALERT_LOGIC(
      Classification.FALSE_POSITIVE,
      "IncorrectAlertLogic",
      XdrAlertUpdate.Classification.FALSE_POSITIVE,
      Determination.NOT_MALICIOUS),
  FALSE_POSITIVE_INACCURATE_DATA(
      Classification.FALSE_POSITIVE,
      "InaccurateData",
      XdrAlertUpdate.Classification.FALSE_POSITIVE,
      Determination.OTHER),
  UNDETERMINED(
      Classification.UNDETERMINED,
      null,
      XdrAlertUpdate.Classification.UNKNOWN,
      Determination.UNKNOWN);

  private final Classification sentinel;
  private final String reason;
  private final XdrAlertUpdate.Classification classification;
  private final Determination determination;

  XdrVerdict(
      Classification sentinel,
      String reason,
      XdrAlertUpdate.Classification classification,
      Determination determination) {
    this.sentinel = sentinel;
    this.reason = reason;
    this.classification = classification;
    this.determination = determination;
  }

  /**
   * The verdict for a close: the row of the classification and reason, else the classification's
   * first row (for a reason this table does not know yet).
   */
  public static XdrVerdict of(Classification classification, String reason) {
    return Arrays.stream(values())
        .filter(
            v ->
                v.sentinel == classification
                    && v.reason != null
                    && v.reason.equalsIgnoreCase(reason))
        .findFirst()
        .orElseGet(
            () ->
                Arrays.stream(values())
                    .filter(v -> v.sentinel == classification)
                    .findFirst()
                    .orElseThrow());
  }

  /** The alert update that resolves an alert with this verdict. */
  XdrAlertUpdate resolution() {
    return XdrAlertUpdate.resolve(classification, determination);
  }

  /** In words, as Graph spells it: e.g. {@code truePositive / other}. */
  String describe() {
    return classification.wireName() + " / " + determination.wireName();
  }
}
