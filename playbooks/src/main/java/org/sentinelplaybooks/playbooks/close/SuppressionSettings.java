package org.sentinelplaybooks.playbooks.close;

import java.time.Duration;
import java.util.List;
import org.sentinelplaybooks.clients.SettingsReader;

/**
 * How long a Defender for Cloud suppression rule written on closing lives: {@code ttl} when the
 * close names no duration, never longer than {@code maxTtl}. Every rule gets an expiry.
 */
public record SuppressionSettings(Duration ttl, Duration maxTtl) {
  public static final String SUPPRESSION_TTL = "SUPPRESSION_TTL";
  public static final String SUPPRESSION_MAX_TTL = "SUPPRESSION_MAX_TTL";

  /** The names of the settings read here. */
  public static final List<String> NAMES = List.of(SUPPRESSION_TTL, SUPPRESSION_MAX_TTL);

  public static final Duration DEFAULT_TTL = Duration.ofDays(30);
  public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(90);

  /** The suppression settings, each problem recorded on the reader. */
  public static SuppressionSettings read(SettingsReader values) {
    Duration ttl = values.duration(SUPPRESSION_TTL, DEFAULT_TTL);
    Duration maxTtl = values.duration(SUPPRESSION_MAX_TTL, DEFAULT_MAX_TTL);
    if (ttl.compareTo(maxTtl) > 0) {
      values.problem(
          SUPPRESSION_TTL
              + ": "
              + ttl
              + " is longer than "
              + SUPPRESSION_MAX_TTL
              + " ("
              + maxTtl
              + ")");
    }
    return new SuppressionSettings(ttl, maxTtl);
  }
}
