package org.sentinelplaybooks.clients.servicenow;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A ServiceNow encoded query ({@code sysparm_query}) of equality conditions joined by AND. The
 * encoded-query syntax has no escape for its separators, so a value that holds {@code ^} (or a line
 * break) is refused: no field of an incident can ever add a condition of its own.
 */
final class EncodedQuery {
  private static final Pattern FIELD = Pattern.compile("[a-z_][a-z0-9_.]{0,79}");

  private final List<String> conditions = new ArrayList<>();

  private EncodedQuery() {}

  static EncodedQuery where(String field, String value) {
    return new EncodedQuery().and(field, value);
  }

  EncodedQuery and(String field, String value) {
    if (!FIELD.matcher(field).matches()) {
      throw new IllegalArgumentException("'" + field + "' is not a ServiceNow field name");
    }
    if (value == null
        || value.isEmpty()
        || value.indexOf('^') >= 0
        || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "a ServiceNow query value may not be empty or hold '^' or control characters: refused "
              + field);
    }
    conditions.add(field + "=" + value);
    return this;
  }

  @Override
  public String toString() {
    return String.join("^", conditions);
  }
}
