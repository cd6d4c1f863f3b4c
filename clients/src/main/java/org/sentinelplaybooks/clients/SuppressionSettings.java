package org.sentinelplaybooks.clients;

import java.time.Duration;

/**
 * How long a Defender for Cloud suppression rule written on closing lives: {@code ttl} when the
 * close names no duration, never longer than {@code maxTtl}. Every rule gets an expiry.
 */
public record SuppressionSettings(Duration ttl, Duration maxTtl) {
  public static final Duration DEFAULT_TTL = Duration.ofDays(30);
  public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(90);
}
