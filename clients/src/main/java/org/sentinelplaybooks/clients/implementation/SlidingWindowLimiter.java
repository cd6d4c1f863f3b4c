package org.sentinelplaybooks.clients.implementation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most {@code permits} calls in any window of {@code window}: a call that would be one too many
 * waits until the oldest call in the window leaves it, or, with {@link #tryAcquire}, is refused.
 * Time comes from a {@link Clock} and waiting is a {@link Pause}, so a test moves a clock instead
 * of sleeping.
 */
public final class SlidingWindowLimiter {
  /** How a limiter waits: production sleeps; a test advances its clock. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration duration);
  }

  /** Sleeps the calling thread. */
  public static final Pause SLEEP =
      duration -> {
        try {
          Thread.sleep(Math.max(1, duration.toMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while pacing calls", e);
        }
      };

  private final int permits;
  private final Duration window;
  private final Clock clock;
  private final Pause pause;
  private final Deque<Instant> starts = new ArrayDeque<>();

  public SlidingWindowLimiter(int permits, Duration window) {
    this(permits, window, Clock.systemUTC(), SLEEP);
  }

  public SlidingWindowLimiter(int permits, Duration window, Clock clock, Pause pause) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1");
    }
    this.permits = permits;
    this.window = window;
    this.clock = clock;
    this.pause = pause;
  }

  public int permits() {
    return permits;
  }

  /** Waits for a slot and takes it: never longer than the window. */
  public void acquire() {
    while (true) {
      Duration wait;
      synchronized (starts) {
        wait = waitLocked();
        if (wait.isZero()) {
          starts.addLast(clock.instant());
          return;
        }
      }
      pause.pause(wait);
    }
  }

  /** Takes a slot if one is free now; false (and nothing taken) otherwise. */
  public boolean tryAcquire() {
    synchronized (starts) {
      if (!waitLocked().isZero()) {
        return false;
      }
      starts.addLast(clock.instant());
      return true;
    }
  }

  /** When the next slot is free: now, or when the oldest call in the window leaves it. */
  public Instant nextFree() {
    synchronized (starts) {
      return clock.instant().plus(waitLocked());
    }
  }

  private Duration waitLocked() {
    Instant now = clock.instant();
    while (!starts.isEmpty() && !starts.peekFirst().plus(window).isAfter(now)) {
      starts.removeFirst();
    }
    if (starts.size() < permits) {
      return Duration.ZERO;
    }
    return Duration.between(now, starts.peekFirst().plus(window));
  }
}
