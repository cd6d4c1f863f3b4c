package org.sentinelplaybooks.playbooks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;

/**
 * The one comment a run leaves on the incident it changed, saying what it did. Its id is derived
 * from the playbook, the incident's etag before the run and the text, so a retried write lands on
 * the same comment while a later run that changes the incident again adds a new one.
 */
final class AuditComment {
  static final String SIGNATURE = "sentinel-playbooks";

  private AuditComment() {}

  /**
   * Writes the comment ({@link #message}) when the run changed anything, and returns the comment's
   * own action (nothing when there is nothing to say).
   */
  static List<ActionResult> write(
      SentinelClient sentinel,
      IncidentId incident,
      String etagBefore,
      String playbook,
      List<ActionResult> actions,
      String headline,
      RunContext context) {
    String message = message(playbook, actions, headline);
    boolean changed = actions.stream().anyMatch(a -> a.outcome() == Outcome.DONE);
    if (!changed || context.dryRun()) {
      return List.of();
    }
    String target = "incident:" + incident.armId();
    String commentId =
        UUID.nameUUIDFromBytes(
                (playbook + "|" + incident.armId() + "|" + etagBefore + "|" + message)
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    try {
      sentinel.putComment(incident, commentId, message);
      return List.of(
          ActionResult.of(target, "comment", Outcome.DONE, "audit comment " + commentId));
    } catch (ApiException e) {
      context.log().log(
          Level.WARNING,
          playbook
              + ": audit comment failed on "
              + incident.name()
              + ": "
              + EntityText.forLog(e.getMessage()));
      return List.of(ActionResult.of(target, "comment", Outcome.FAILED, e.getMessage()));
    }
  }

  /** The comment's text: a heading, the playbook's own lines, and one line per action. */
  static String message(String playbook, List<ActionResult> actions, String headline) {
    StringBuilder text = new StringBuilder("[").append(SIGNATURE).append("] ").append(playbook);
    if (headline != null && !headline.isBlank()) {
      // The headline's own lines stay lines; what is in them is escaped like any entity text.
      for (String line : headline.split("\n", -1)) {
        text.append('\n').append(EntityText.forComment(line));
      }
    }
    for (ActionResult action : actions) {
      text.append("\n- ")
          .append(action.action())
          .append(' ')
          .append(action.outcome().wireName())
          .append(": ")
          .append(EntityText.forComment(action.detail()));
      if (!action.target().startsWith("incident:")) {
        text.append(" [").append(EntityText.forComment(action.target())).append(']');
      }
    }
    return text.toString();
  }
}
