package org.sentinelplaybooks.playbooks.core;

/** One playbook: takes an incident request, acts, and says what it did. */
public interface Playbook {
  /** The name used in routes, the CLI and results, e.g. {@code close-incident}. */
  String name();

  /**
   * Runs the playbook. Throws {@link BadInputException} before changing anything when the request
   * is unusable; every other problem is reported in the result.
   */
  PlaybookResult run(PlaybookRequest request, RunContext context);
}
