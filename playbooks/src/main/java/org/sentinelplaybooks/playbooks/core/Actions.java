package org.sentinelplaybooks.playbooks.core;

import java.util.logging.Level;

/** Shared wording and logging of action outcomes. */
public final class Actions {
  private Actions() {}

  /** A one-line description of a failure, safe for results and comments (no stack trace). */
  public static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  public static void log(RunContext context, PlaybookResult result) {
    for (ActionResult action : result.actions()) {
      Level level = action.outcome() == Outcome.FAILED ? Level.WARNING : Level.INFO;
      context.log().log(
          level,
          result.playbook()
              + " "
              + action.action()
              + " "
              + action.outcome().wireName()
              + " "
              + EntityText.forLog(action.target())
              + ": "
              + EntityText.forLog(action.detail()));
    }
    context
        .log()
        .info(result.playbook() + " " + result.incidentId() + ": " + result.status().wireName());
  }
}
