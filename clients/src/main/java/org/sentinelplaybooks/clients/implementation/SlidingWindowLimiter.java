package org.sentinelplaybooks.clients.implementation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.sentinelplaybooks.clients.RunDeadline;
import org.sentinelplaybooks.clients.Waiter;

/**
 * At most {@code permits} calls in any window of {@code window}: a call that would be one too many
 * waits until the oldest call in the window leaves it, or, with {@link #tryAcquire}, is refused.
 * Time and waiting come from a {@link Waiter} (a test's clock that a wait advances), and no wait
 * goes past the run's {@link RunDeadline}.
 */
public final class SlidingWindowLimiter {
  private final int permits;
  private final Duration window;
  private final Waiter waiter;
  private final Deque<Instant> starts = new ArrayDeque<>();

  public SlidingWindowLimiter(int permits, Duration window, Waiter waiter) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1");
    }
    this.permits = permits;
    this.window = window;
    this.waiter = waiter;
  }

  public int permits() {
    return permits;
  }

  /**
   * Waits for a slot and takes it: never longer than the window.
   *
   * @throws IllegalStateException when the slot comes after the run's deadline (nothing waited)
   */
  public void acquire() {
    while (true) {
      Duration wait;
      synchronized (starts) {
        wait = waitLocked();
        if (wait.isZero()) {
          starts.addLast(waiter.clock().instant());
          return;
        }
      }
      Instant free = waiter.clock().instant().plus(wait);
      Optional<Instant> deadline = RunDeadline.current();
      if (deadline.isPresent() && free.isAfter(deadline.get())) {
        throw new IllegalStateException(
            "the next call slot, at "
                + free
                + ", comes after the run's deadline "
                + deadline.get());
      }
      waiter.sleep(wait);
    }
  }

  /** Takes a slot if one is free now; false (and nothing taken) otherwise. */
  public boolean tryAcquire() {
    synchronized (starts) {
      if (!waitLocked().isZero()) {
        return false;
      }
      starts.addLast(waiter.clock().instant());
      return true;
    }
  }

  /** When the next slot is free: now, or when the oldest call in the window leaves it. */
  public Instant nextFree() {
    synchronized (starts) {
      return waiter.clock().instant().plus(waitLocked());
    }
  }

  private Duration waitLocked() {
    Instant now = waiter.clock().instant();
    while (!starts.isEmpty() && !starts.peekFirst().plus(window).isAfter(now)) {
      starts.removeFirst();
    }
    if (starts.size() < permits) {
      return Duration.ZERO;
    }
    return Duration.between(now, starts.peekFirst().plus(window));
  }
}
