package org.sentinelplaybooks.clients;

import java.time.Clock;
import java.time.Duration;

/**
 * The clock the clients read and the way they wait (between retries, while throttled, while an
 * operation runs): the system's in production, a test's own clock that a wait advances.
 */
public interface Waiter {
  Clock clock();

  /**
   * Waits this long.
   *
   * @throws IllegalStateException when the thread is interrupted while waiting
   */
  void sleep(Duration duration);

  /** The system clock and {@link Thread#sleep}. */
  static Waiter system() {
    return SystemWaiter.INSTANCE;
  }
}
