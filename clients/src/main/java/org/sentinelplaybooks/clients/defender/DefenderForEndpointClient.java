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
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.Waiter;
import org.sentinelplaybooks.clients.implementation.RestCaller;
import org.sentinelplaybooks.clients.implementation.SlidingWindowLimiter;

/**
 * Microsoft Defender for Endpoint indicators ({@code /api/indicators}). The API allows "100 calls
 * per minute and 1500 calls per hour" (MicrosoftDocs/defender-docs
 * defender-endpoint/api/post-ti-indicator.md; ../shared/contracts/defender-endpoint/limits.md);
 * this client keeps under both, with {@link #CALLS_PER_MINUTE} in any minute (waiting for a slot)
 * and {@link #CALLS_PER_HOUR} in any hour. A call that would pass the hour does not wait up to an
 * hour, past any function's timeout: it fails at once with {@link CallBudgetSpentException}, as
 * does one whose minute slot would come after the run's deadline.
 */
public final class DefenderForEndpointClient {
  public static final int CALLS_PER_MINUTE = 90;
  public static final int CALLS_PER_HOUR = 1350;

  private final RestCaller rest;
  private final SlidingWindowLimiter minute;
  private final SlidingWindowLimiter hour;

  /**
   * A call refused here, unsent: this hour's budget of calls is spent, or the minute's next slot
   * comes after the run's deadline.
   */
  public static final class CallBudgetSpentException extends ApiException {
    CallBudgetSpentException(String service, String message) {
      super(service, 429, CALL_BUDGET_SPENT, message);
    }
  }

  private DefenderForEndpointClient(HttpPipeline pipeline, URI endpoint, ClientOptions options) {
    this(new RestCaller("Defender for Endpoint", pipeline, endpoint), options.waiter());
  }

  private DefenderForEndpointClient(RestCaller rest, Waiter waiter) {
    this.rest = rest;
    this.minute = new SlidingWindowLimiter(CALLS_PER_MINUTE, Duration.ofMinutes(1), waiter);
    this.hour = new SlidingWindowLimiter(CALLS_PER_HOUR, Duration.ofHours(1), waiter);
  }

  public static ClientBuilder<DefenderForEndpointClient> builder() {
    return ClientBuilder.withOptions(DefenderForEndpointClient::new);
  }

  /**
   * This client with its pacing timed and waited by {@code waiter}, its budgets fresh: for tests,
   * which move a clock instead of sleeping.
   */
  public DefenderForEndpointClient withPacing(Waiter waiter) {
    return new DefenderForEndpointClient(rest, waiter);
  }

  /**
   * Takes a slot of this hour (or fails at once) and then one of this minute (waiting for it, but
   * not past the run's deadline).
   */
  private void pace() {
    if (!hour.tryAcquire()) {
      throw new CallBudgetSpentException(
          rest.service(),
          "Defender for Endpoint allows 1,500 indicator calls an hour, and this hour's "
              + CALLS_PER_HOUR
              + " are spent; the next call is possible at "
              + hour.nextFree().truncatedTo(ChronoUnit.SECONDS));
    }
    try {
      minute.acquire();
    } catch (IllegalStateException e) {
      throw new CallBudgetSpentException(
          rest.service(),
          "Defender for Endpoint allows 100 indicator calls a minute: " + e.getMessage());
    }
  }

  /** The indicators for one value (an IP address, a hash, ...), of any type and action. */
  public List<Indicator> findIndicators(String value) {
    pace();
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
    pace();
    return Indicator.fromJson(
        rest.send(HttpMethod.POST, rest.url("/api/indicators", Map.of()), body).body());
  }
}
