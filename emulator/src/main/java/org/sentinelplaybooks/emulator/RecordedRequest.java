package org.sentinelplaybooks.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as the emulator received it, with the status it answered (0 when it dropped the
 * connection), when it arrived and when its answer was ready to go out (latency and faults
 * included).
 */
public record RecordedRequest(
    String method,
    String path,
    Map<String, String> query,
    Map<String, List<String>> headers,
    String body,
    int status,
    Instant receivedAt,
    Instant answeredAt) {

  public RecordedRequest {
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
    body = body == null ? "" : body;
  }

  /**
   * Whether the request asked for a change: PUT, PATCH, DELETE, and POST except Sentinel's
   * read-only POSTs that list an incident's alerts or entities, and Resource Graph queries.
   */
  public boolean isWrite() {
    switch (method.toUpperCase(Locale.ROOT)) {
      case "PUT":
      case "PATCH":
      case "DELETE":
        return true;
      case "POST":
        String lower = path.toLowerCase(Locale.ROOT);
        boolean sentinelRead =
            lower.contains("/providers/microsoft.securityinsights/incidents/")
                && (lower.endsWith("/alerts") || lower.endsWith("/entities"));
        return !sentinelRead
            && !lower.equals("/oauth_token.do")
            && !lower.equals("/providers/microsoft.resourcegraph/resources");
      default:
        return false;
    }
  }

  /** The first value of a header, by case-insensitive name, or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
