package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;
import java.util.Locale;

/**
 * A row of the {@code actions} table: a playbook completed {@code action} on {@code subject} (an
 * Entra user's object id) for a Sentinel incident, at {@code completedAt}.
 */
public record ActionRecord(
    String incidentArmId, String subject, String action, Instant completedAt) {

  /** The key of the subject and action, as the store compares them (case-insensitive). */
  public static String key(String subject, String action) {
    return (subject + ":" + action).toLowerCase(Locale.ROOT);
  }

  public String key() {
    return key(subject, action);
  }
}
