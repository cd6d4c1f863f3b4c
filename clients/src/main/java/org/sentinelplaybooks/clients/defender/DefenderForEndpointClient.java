package org.sentinelplaybooks.clients.defender;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.implementation.RestCaller;
import org.sentinelplaybooks.clients.implementation.SlidingWindowLimiter;

/**
 * Microsoft Defender for Endpoint indicators ({@code /api/indicators}). The API allows 100 calls a
 * minute per tenant; this client stays under it with {@link #CALLS_PER_MINUTE} in any minute.
 */
public final class DefenderForEndpointClient {
  public static final int CALLS_PER_MINUTE = 90;

  private final RestCaller rest;
  private final SlidingWindowLimiter limiter;

  private DefenderForEndpointClient(HttpPipeline pipeline, URI endpoint) {
    this(pipeline, endpoint, new SlidingWindowLimiter(CALLS_PER_MINUTE, Duration.ofMinutes(1)));
  }

  private DefenderForEndpointClient(
      HttpPipeline pipeline, URI endpoint, SlidingWindowLimiter limiter) {
    this.rest = new RestCaller("Defender for Endpoint", pipeline, endpoint);
    this.limiter = limiter;
  }

  public static ClientBuilder<DefenderForEndpointClient> builder() {
    return new ClientBuilder<>(DefenderForEndpointClient::new);
  }

  /** The indicators for one value (an IP address, a hash, ...), of any type and action. */
  public List<Indicator> findIndicators(String value) {
    limiter.acquire();
    List<Indicator> found = new ArrayList<>();
    String filter = "indicatorValue eq '" + value.replace("'", "''") + "'";
    rest.send(HttpMethod.GET, rest.url("/api/indicators", Map.of("$filter", filter)), null)
        .body()
        .path("value")
        .forEach(i -> found.add(Indicator.fromJson(i)));
    return found;
  }

  /**
   * Submits or updates (the API keys indicators by value and type) a Block indicator for one IP
   * address, expiring at {@code expiration}.
   */
  public Indicator blockIpAddress(
      String address, OffsetDateTime expiration, String title, String description) {
    ObjectNode body = Json.object();
    body.put("indicatorValue", address)
        .put("indicatorType", "IpAddress")
        .put("action", "Block")
        .put("title", title)
        .put("description", description)
        .put("severity", "High")
        .put("application", "sentinel-playbooks")
        .put("generateAlert", true)
        .put(
            "expirationTime",
            expiration
                .withOffsetSameInstant(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    limiter.acquire();
    return Indicator.fromJson(
        rest.send(HttpMethod.POST, rest.url("/api/indicators", Map.of()), body).body());
  }
}
