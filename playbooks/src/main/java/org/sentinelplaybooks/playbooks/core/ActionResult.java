package org.sentinelplaybooks.playbooks.core;

/**
 * One action of a run: its target ({@code incident:<id>}, {@code mdc-alert:<id>}, ...), what was to
 * be done, what happened, and a line for people.
 */
public record ActionResult(String target, String action, Outcome outcome, String detail) {
  public static ActionResult of(String target, String action, Outcome outcome, String detail) {
    return new ActionResult(target, action, outcome, detail);
  }
}
