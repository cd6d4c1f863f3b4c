package org.sentinelplaybooks.playbooks.close;

import java.util.Optional;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.PlaybookOptions;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;

/**
 * The options of a close, checked before anything is read or written: the classification and its
 * reason, the closing comment, whether the incident's alerts are closed too, and the suppression of
 * similar alerts it asks for (if any).
 */
public record CloseIncidentOptions(
    Classification classification,
    String reason,
    String comment,
    boolean closeAlerts,
    Optional<SimilarAlertSuppression.Request> suppress)
    implements PlaybookOptions {
  static final String CLASSIFICATION = "classification";
  static final String CLASSIFICATION_REASON = "classificationReason";
  static final String COMMENT = "comment";
  static final String DISMISS_ALERTS = "dismissAlerts";
  static final int MAX_COMMENT_LENGTH = 4000;

  /** The options in a request body. */
  public static CloseIncidentOptions of(PlaybookRequest request, PlaybookSettings settings) {
    return of(
        request.text(CLASSIFICATION).orElse(null),
        request.text(CLASSIFICATION_REASON).orElse(null),
        request.text(COMMENT).orElse(null),
        request.bool(DISMISS_ALERTS).orElse(true),
        request.bool(SimilarAlertSuppression.SUPPRESS).orElse(false),
        request.text(SimilarAlertSuppression.SUPPRESS_FOR).orElse(null),
        request.text(SimilarAlertSuppression.SUPPRESS_SCOPE).orElse(null),
        settings);
  }

  /**
   * The options as given (the CLI's flags); each text is taken as the body's field of the same name
   * would be, and bad input names that field.
   */
  public static CloseIncidentOptions of(
      String classification,
      String reason,
      String comment,
      boolean closeAlerts,
      boolean suppress,
      String suppressFor,
      String suppressScope,
      PlaybookSettings settings) {
    Classification parsed =
        Classification.parse(
            CLASSIFICATION,
            PlaybookOptions.given(classification)
                .orElseThrow(
                    () ->
                        new BadInputException(
                            CLASSIFICATION,
                            "required to close an incident: TruePositive, BenignPositive, FalsePositive or Undetermined")));
    String checkedReason =
        parsed.checkReason(CLASSIFICATION_REASON, PlaybookOptions.given(reason).orElse(null));
    String closingComment = PlaybookOptions.given(comment).orElse(null);
    if (closingComment != null && closingComment.length() > MAX_COMMENT_LENGTH) {
      throw new BadInputException(
          COMMENT, "is " + closingComment.length() + " characters; at most " + MAX_COMMENT_LENGTH);
    }
    return new CloseIncidentOptions(
        parsed,
        checkedReason,
        closingComment,
        closeAlerts,
        SimilarAlertSuppression.of(
            suppress,
            PlaybookOptions.given(suppressFor),
            PlaybookOptions.given(suppressScope),
            parsed,
            closeAlerts,
            settings));
  }

  @Override
  public String playbook() {
    return CloseIncidentPlaybook.NAME;
  }

  /** The classification and its reason, as results and comments say them. */
  String describe() {
    return classification.wireName() + (reason == null ? "" : " / " + reason);
  }
}
