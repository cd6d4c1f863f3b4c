package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;

/**
 * A row of the {@code actions} table: a playbook completed {@code action} on {@code subject} (an
 * Entra user's object id) for a Sentinel incident, at {@code completedAt}.
 */
public record ActionRecord(
    String incidentArmId, String subject, String action, Instant completedAt) {
  /** The order {@code status} shows them in. */
  public static final Comparator<ActionRecord> NEWEST_FIRST =
      Comparator.comparing(
              ActionRecord::completedAt, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
          .thenComparing(
              ActionRecord::incidentArmId, Comparator.nullsLast(Comparator.<String>naturalOrder()))
          .thenComparing((ActionRecord record) -> record.key());

  /** The key of the subject and action, as the store compares them (case-insensitive). */
  public static String key(String subject, String action) {
    return (subject + ":" + action).toLowerCase(Locale.ROOT);
  }

  public String key() {
    return key(subject, action);
  }
}
