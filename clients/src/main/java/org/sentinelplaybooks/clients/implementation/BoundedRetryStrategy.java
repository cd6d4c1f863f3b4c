package org.sentinelplaybooks.clients.implementation;

import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.RetryStrategy;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.sentinelplaybooks.clients.ClientOptions;

/**
 * Exponential back-off with full jitter and a fixed number of tries. azure-core's RetryPolicy uses
 * a {@code Retry-After} (or {@code retry-after-ms}) header instead of this delay when the service
 * sends one.
 */
public final class BoundedRetryStrategy implements RetryStrategy {
  private final int maxRetries;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final boolean refusalsOnly;

  public BoundedRetryStrategy(int maxRetries, Duration baseDelay, Duration maxDelay) {
    this(maxRetries, baseDelay, maxDelay, false);
  }

  private BoundedRetryStrategy(
      int maxRetries, Duration baseDelay, Duration maxDelay, boolean refusalsOnly) {
    this.maxRetries = maxRetries;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    this.refusalsOnly = refusalsOnly;
  }

  /** The retries and back-off of the options. */
  public static BoundedRetryStrategy of(ClientOptions options) {
    return new BoundedRetryStrategy(options.maxRetries(), options.baseDelay(), options.maxDelay());
  }

  /**
   * For a request that must not be carried out twice, such as a create: retried only when the
   * service answered that it did nothing (408, 429, 503), never when the outcome is unknown (no
   * answer, 500, 502, 504); the caller looks before sending it again.
   */
  public static BoundedRetryStrategy refusalsOnly(ClientOptions options) {
    return new BoundedRetryStrategy(
        options.maxRetries(), options.baseDelay(), options.maxDelay(), true);
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
    return shouldRetryStatus(response.getStatusCode());
  }

  /**
   * Whether an answer with this status is worth another try: timeouts, throttling, 5xx that pass.
   */
  public boolean shouldRetryStatus(int status) {
    boolean refused = status == 408 || status == 429 || status == 503;
    return refused || (!refusalsOnly && (status == 500 || status == 502 || status == 504));
  }

  @Override
  public boolean shouldRetryException(Throwable throwable) {
    if (refusalsOnly) {
      return false;
    }
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
