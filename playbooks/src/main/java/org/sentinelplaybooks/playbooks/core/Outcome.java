package org.sentinelplaybooks.playbooks.core;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What happened to one action of a playbook run. */
public enum Outcome {
  /** Changed now. */
  DONE,
  /** Already as wanted; nothing written. */
  ALREADY,
  /** Not applicable (e.g. the target is gone); nothing written. */
  SKIPPED,
  /** Dry run: would be done. */
  PLANNED,
  FAILED,
  /** A guardrail forbids it. */
  REFUSED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
