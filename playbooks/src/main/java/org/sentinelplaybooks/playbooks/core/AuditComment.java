package org.sentinelplaybooks.playbooks.core;

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
public final class AuditComment {
  public static final String SIGNATURE = "sentinel-playbooks";

  private AuditComment() {}

  /**
   * Writes the comment ({@link #message}) when the run changed anything, and returns the comment's
   * own action (nothing when there is nothing to say).
   */
  public static List<ActionResult> write(
      SentinelClient sentinel,
      IncidentId incident,
      String etagBefore,
      String playbook,
      List<ActionResult> actions,
      String headline,
      RunContext context) {
    return writeLines(
        sentinel,
        incident,
        etagBefore,
        playbook,
        actions,
        headline == null ? List.of() : List.of(headline),
        context);
  }

  /** {@link #write}, with a headline of several lines, each one line whatever it holds. */
  public static List<ActionResult> writeLines(
      SentinelClient sentinel,
      IncidentId incident,
      String etagBefore,
      String playbook,
      List<ActionResult> actions,
      List<String> headline,
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
              + EntityText.forLog(incident.name())
              + ": "
              + EntityText.forLog(e.getMessage()));
      return List.of(ActionResult.of(target, "comment", Outcome.FAILED, e.getMessage()));
    }
  }

  /**
   * The comment's text: a heading, the playbook's own lines, and one line per action. Each headline
   * line is escaped whole, a line break in it too: a headline line may carry a service's answer or
   * a caller's comment, and neither may forge a line of its own (an action's, say).
   */
  static String message(String playbook, List<ActionResult> actions, List<String> headline) {
    StringBuilder text = new StringBuilder("[").append(SIGNATURE).append("] ").append(playbook);
    for (String line : headline) {
      if (line != null && !line.isBlank()) {
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
