package org.sentinelplaybooks.clients;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard the clients try: the number of retries after the first try, the back-off between them
 * (used when the service sends no {@code Retry-After}), how long one response may take, the longest
 * wait a service may ask for ({@code Retry-After}, an operation's polling interval: a longer one is
 * cut to it), the most one call may spend waiting in all, and how the clients wait.
 */
public record ClientOptions(
    int maxRetries,
    Duration baseDelay,
    Duration maxDelay,
    Duration responseTimeout,
    Duration maxServerWait,
    Duration waitBudget,
    Waiter waiter) {

  /** A service's {@code Retry-After} (or polling interval) is honoured up to this long. */
  public static final Duration DEFAULT_MAX_SERVER_WAIT = Duration.ofSeconds(60);

  /**
   * The most one call waits in all (retries, throttling, an operation's polls): well within the
   * Functions host's {@code functionTimeout} (host.json, 10 minutes), so that a run is ended by its
   * own error and not killed by the host.
   */
  public static final Duration DEFAULT_WAIT_BUDGET = Duration.ofMinutes(5);

  public ClientOptions {
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(maxServerWait, "maxServerWait");
    Objects.requireNonNull(waitBudget, "waitBudget");
    Objects.requireNonNull(waiter, "waiter");
  }

  /** With the default server-wait cap, wait budget and the system's clock. */
  public ClientOptions(
      int maxRetries, Duration baseDelay, Duration maxDelay, Duration responseTimeout) {
    this(
        maxRetries,
        baseDelay,
        maxDelay,
        responseTimeout,
        DEFAULT_MAX_SERVER_WAIT,
        DEFAULT_WAIT_BUDGET,
        Waiter.system());
  }

  public static ClientOptions defaults() {
    return new ClientOptions(
        5, Duration.ofMillis(800), Duration.ofSeconds(30), Duration.ofSeconds(60));
  }

  public ClientOptions withBaseDelay(Duration delay) {
    return new ClientOptions(
        maxRetries, delay, maxDelay, responseTimeout, maxServerWait, waitBudget, waiter);
  }

  public ClientOptions withResponseTimeout(Duration timeout) {
    return new ClientOptions(
        maxRetries, baseDelay, maxDelay, timeout, maxServerWait, waitBudget, waiter);
  }

  /** The same options, waiting with this clock and sleep (a test's, which never really sleeps). */
  public ClientOptions withWaiter(Waiter waiter) {
    return new ClientOptions(
        maxRetries, baseDelay, maxDelay, responseTimeout, maxServerWait, waitBudget, waiter);
  }
}
