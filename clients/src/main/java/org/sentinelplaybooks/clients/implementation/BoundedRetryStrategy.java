package org.sentinelplaybooks.clients.implementation;

import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.RetryStrategy;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Exponential back-off with full jitter and a fixed number of tries. azure-core's RetryPolicy uses
 * a {@code Retry-After} (or {@code retry-after-ms}) header instead of this delay when the service
 * sends one.
 */
public final class BoundedRetryStrategy implements RetryStrategy {
  private final int maxRetries;
  private final Duration baseDelay;
  private final Duration maxDelay;

  public BoundedRetryStrategy(int maxRetries, Duration baseDelay, Duration maxDelay) {
    this.maxRetries = maxRetries;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
  }

  @Override
  public int getMaxRetries() {
    return maxRetries;
  }

  @Override
  @SuppressFBWarnings(
      value = "PREDICTABLE_RANDOM",
      justification =
          "jitter only spreads retries over time; nothing depends on it being unguessable")
  public Duration calculateRetryDelay(int retryAttempt) {
    long ceiling =
        Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(retryAttempt, 20));
    long half = Math.max(1, ceiling / 2);
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half));
  }

  @Override
  public boolean shouldRetry(HttpResponse response) {
    int status = response.getStatusCode();
    return status == 408
        || status == 429
        || status == 500
        || status == 502
        || status == 503
        || status == 504;
  }

  @Override
  public boolean shouldRetryException(Throwable throwable) {
    Throwable cause = throwable;
    while (cause != null) {
      if (cause instanceof IOException
          || cause instanceof UncheckedIOException
          || cause instanceof TimeoutException) {
        return true;
      }
      cause = cause.getCause();
    }
    return false;
  }
}
