package org.sentinelplaybooks.clients;

import java.time.Clock;
import java.time.Duration;

/** {@link Waiter#system()}: the UTC system clock and {@link Thread#sleep}. */
enum SystemWaiter implements Waiter {
  INSTANCE;

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public void sleep(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
