package org.sentinelplaybooks.clients;

import java.util.List;

/** One or more app settings are missing or malformed; the message names each one. */
public class SettingsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public SettingsException(List<String> problems) {
    super("Invalid settings:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
