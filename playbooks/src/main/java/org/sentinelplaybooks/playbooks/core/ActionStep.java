package org.sentinelplaybooks.playbooks.core;

import java.util.function.Supplier;

/**
 * One action on one target, and the results it can have. {@link #perform} is the pattern every
 * write follows: a dry run plans it; otherwise it is done (or found already done), and a failure is
 * reported with a description safe for results and comments rather than thrown.
 */
public record ActionStep(String target, String action) {
  public static ActionStep on(String target, String action) {
    return new ActionStep(target, action);
  }

  /**
   * {@code planned} with {@code plan} in a dry run; otherwise what {@code write} returns, or {@code
   * failed} when it throws.
   */
  public ActionResult perform(RunContext context, String plan, Supplier<ActionResult> write) {
    if (context.dryRun()) {
      return planned(plan);
    }
    try {
      return write.get();
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  public ActionResult result(Outcome outcome, String detail) {
    return ActionResult.of(target, action, outcome, detail);
  }

  public ActionResult planned(String detail) {
    return result(Outcome.PLANNED, detail);
  }

  public ActionResult done(String detail) {
    return result(Outcome.DONE, detail);
  }

  public ActionResult already(String detail) {
    return result(Outcome.ALREADY, detail);
  }

  public ActionResult skipped(String detail) {
    return result(Outcome.SKIPPED, detail);
  }

  public ActionResult refused(String detail) {
    return result(Outcome.REFUSED, detail);
  }

  /** {@code failed}, described by {@link Actions#describe} (no stack trace, no secret). */
  public ActionResult failed(Throwable e) {
    return result(Outcome.FAILED, Actions.describe(e));
  }
}
