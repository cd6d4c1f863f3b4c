package org.sentinelplaybooks.clients;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * App settings (one environment map) as they are read: each part of the app reads its own settings
 * through the same reader, which keeps every problem found, so that {@link #check()} reports them
 * all at once, each by name, whichever part found them.
 */
public final class SettingsReader {
  private static final Pattern GUID =
      Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final Map<String, String> values;
  private final List<String> problems = new ArrayList<>();

  public SettingsReader(Map<String, String> values) {
    this.values = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(values));
  }

  /** The setting's value, trimmed; null when it is absent or blank. */
  public String text(String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The setting's comma-separated items, trimmed, blanks left out; empty when it is not set. */
  public List<String> list(String name) {
    return items(text(name));
  }

  /** Comma-separated items, trimmed, blanks left out. */
  public static List<String> items(String value) {
    List<String> items = new ArrayList<>();
    if (value != null) {
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
    }
    return items;
  }

  /** {@code true} or {@code false} in any case; {@code fallback} when not set or malformed. */
  public boolean bool(String name, boolean fallback) {
    String value = text(name);
    if (value == null) {
      return fallback;
    }
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    problem(name + ": '" + value + "' is not true or false");
    return fallback;
  }

  /** A {@link #positiveDuration} setting; {@code fallback} when not set or malformed. */
  public Duration duration(String name, Duration fallback) {
    String value = text(name);
    if (value == null) {
      return fallback;
    }
    try {
      return positiveDuration(value);
    } catch (IllegalArgumentException e) {
      problem(name + ": " + e.getMessage());
      return fallback;
    }
  }

  /**
   * An ISO-8601 duration such as {@code P7D} or {@code PT12H}, longer than zero.
   *
   * @throws IllegalArgumentException naming the value
   */
  public static Duration positiveDuration(String value) {
    Duration duration;
    try {
      duration = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not an ISO-8601 duration such as P7D or PT12H", e);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("'" + value + "' is not longer than zero");
    }
    return duration;
  }

  /** Whether the text is a GUID (an Entra ID object or template id). */
  public static boolean isGuid(String text) {
    return GUID.matcher(text).matches();
  }

  /** Records a problem: the setting's name, a colon, and what is wrong or expected. */
  public void problem(String problem) {
    problems.add(problem);
  }

  /** Whether a problem was already recorded for this setting. */
  public boolean hasProblemWith(String name) {
    return problems.stream().anyMatch(problem -> problem.startsWith(name));
  }

  /**
   * @throws SettingsException naming every problem recorded, by whichever part of the app
   */
  public void check() {
    if (!problems.isEmpty()) {
      throw new SettingsException(problems);
    }
  }
}
