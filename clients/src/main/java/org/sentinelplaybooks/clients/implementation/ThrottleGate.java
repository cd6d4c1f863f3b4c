package org.sentinelplaybooks.clients.implementation;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds back every call to a throttled bucket, not only the call that was refused. Azure Resource
 * Manager throttles with token buckets per subscription and per kind of operation (reads, writes,
 * deletes; MicrosoftDocs/azure-docs
 * articles/azure-resource-manager/management/request-limits-and-throttling.md). When each refused
 * call waits its own {@code Retry-After} while the others keep sending, the others take every token
 * as it is refilled and the refused ones are refused again until their budget runs out; held back
 * together, the calls share the refill and a long run proceeds at the rate the bucket allows.
 */
final class ThrottleGate {
  /** A gate opens past the service's wait at most this long after a refusal. */
  private final Map<String, Instant> closedUntil = new ConcurrentHashMap<>();

  /**
   * The bucket a request draws on: its host, its subscription (ARM's scope, or none), and its kind.
   */
  static String bucketOf(String method, URI url) {
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    String[] segments = path.split("/");
    String scope =
        segments.length > 2 && segments[1].equalsIgnoreCase("subscriptions")
            ? segments[2].toLowerCase(Locale.ROOT)
            : "-";
    String kind =
        switch (method.toUpperCase(Locale.ROOT)) {
          case "GET", "HEAD" -> "reads";
          case "DELETE" -> "deletes";
          default -> "writes";
        };
    return url.getHost() + ":" + url.getPort() + "/" + scope + "/" + kind;
  }

  /** How long a call to this bucket must still wait at {@code now}, or zero. */
  Duration heldFor(String bucket, Instant now) {
    Instant until = closedUntil.get(bucket);
    if (until == null || !until.isAfter(now)) {
      return Duration.ZERO;
    }
    return Duration.between(now, until);
  }

  /** A call to this bucket was refused with this wait: no call to it is sent before then. */
  void close(String bucket, Instant until) {
    closedUntil.merge(bucket, until, (a, b) -> a.isAfter(b) ? a : b);
  }
}
