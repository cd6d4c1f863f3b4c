package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Times in Azure Tables: written as Edm.DateTime (UTC), read back as either form. */
final class TableTimes {
  private TableTimes() {}

  static OffsetDateTime toTable(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** The instant a column holds, or null when the column is missing. */
  static Instant fromTable(Object value) {
    if (value instanceof OffsetDateTime time) {
      return time.toInstant();
    }
    return value == null ? null : Instant.parse(value.toString());
  }
}
