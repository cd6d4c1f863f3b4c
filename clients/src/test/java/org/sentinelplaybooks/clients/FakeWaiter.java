package org.sentinelplaybooks.clients;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock that only a wait moves: every wait is recorded and advances it, none sleeps. */
public final class FakeWaiter implements Waiter {
  private Instant now = Instant.parse("2026-11-01T00:00:00Z");
  private final List<Duration> waits = new ArrayList<>();

  @Override
  public synchronized Clock clock() {
    Instant at = now;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return FakeWaiter.this.now();
      }

      @Override
      public String toString() {
        return "fake clock from " + at;
      }
    };
  }

  synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized void sleep(Duration duration) {
    waits.add(duration);
    now = now.plus(duration);
  }

  /** Every wait asked for so far, in order. */
  public synchronized List<Duration> waits() {
    return List.copyOf(waits);
  }
}
