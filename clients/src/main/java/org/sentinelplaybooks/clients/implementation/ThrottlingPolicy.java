package org.sentinelplaybooks.clients.implementation;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Waits out 429 Too Many Requests for as long as each {@code Retry-After} asks, within a total
 * budget, before the retry policy counts it as a failed try: under ARM's token buckets many calls
 * at once are refused again and again, and throttling must slow a run down, not fail it.
 */
public final class ThrottlingPolicy implements HttpPipelinePolicy {
  private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.fromString("retry-after-ms");

  private final Duration budget;

  public ThrottlingPolicy(Duration budget) {
    this.budget = budget;
  }

  @Override
  public HttpResponse processSync(
      HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    long deadline = System.nanoTime() + budget.toNanos();
    while (true) {
      HttpResponse response = next.clone().processSync();
      Duration wait = waitBeforeAgain(response, deadline);
      if (wait == null) {
        return response;
      }
      response.close();
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while throttled", e);
      }
    }
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    return attempt(next, System.nanoTime() + budget.toNanos());
  }

  private Mono<HttpResponse> attempt(HttpPipelineNextPolicy next, long deadline) {
    return next.clone()
        .process()
        .flatMap(
            response -> {
              Duration wait = waitBeforeAgain(response, deadline);
              if (wait == null) {
                return Mono.just(response);
              }
              response.close();
              return Mono.delay(wait).then(Mono.defer(() -> attempt(next, deadline)));
            });
  }

  /**
   * How long to wait before sending again, or null to hand the response on: it is no 429, names no
   * wait, or the wait would end past the deadline.
   */
  static Duration waitBeforeAgain(HttpResponse response, long deadline) {
    if (response.getStatusCode() != 429) {
      return null;
    }
    Duration wait = retryAfter(response);
    if (wait == null || wait.isZero() || System.nanoTime() + wait.toNanos() > deadline) {
      return null;
    }
    return wait;
  }

  private static Duration retryAfter(HttpResponse response) {
    try {
      String millis = response.getHeaderValue(RETRY_AFTER_MS);
      if (millis != null) {
        return Duration.ofMillis(Long.parseLong(millis.trim()));
      }
      String seconds = response.getHeaderValue(HttpHeaderName.RETRY_AFTER);
      return seconds == null ? null : Duration.ofSeconds(Long.parseLong(seconds.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
