package org.sentinelplaybooks.clients;

import java.time.Duration;

/**
 * How hard the clients try: the number of retries after the first try, the back-off between them
 * (used when the service sends no {@code Retry-After}), and how long one response may take.
 */
public record ClientOptions(
    int maxRetries, Duration baseDelay, Duration maxDelay, Duration responseTimeout) {

  public static ClientOptions defaults() {
    return new ClientOptions(
        5, Duration.ofMillis(800), Duration.ofSeconds(30), Duration.ofSeconds(60));
  }

  public ClientOptions withBaseDelay(Duration delay) {
    return new ClientOptions(maxRetries, delay, maxDelay, responseTimeout);
  }

  public ClientOptions withResponseTimeout(Duration timeout) {
    return new ClientOptions(maxRetries, baseDelay, maxDelay, timeout);
  }
}
