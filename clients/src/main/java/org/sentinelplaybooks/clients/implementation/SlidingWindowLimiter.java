package org.sentinelplaybooks.clients.implementation;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most {@code permits} calls in any window of {@code window}: a call that would be one too many
 * waits until the oldest call in the window leaves it. Calls under the limit go at once.
 */
public final class SlidingWindowLimiter {
  private final int permits;
  private final long windowNanos;
  private final Deque<Long> starts = new ArrayDeque<>();

  public SlidingWindowLimiter(int permits, Duration window) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1");
    }
    this.permits = permits;
    this.windowNanos = window.toNanos();
  }

  /** Waits for a slot and takes it. */
  public void acquire() {
    while (true) {
      long wait;
      synchronized (starts) {
        long now = System.nanoTime();
        while (!starts.isEmpty() && now - starts.peekFirst() >= windowNanos) {
          starts.removeFirst();
        }
        if (starts.size() < permits) {
          starts.addLast(now);
          return;
        }
        wait = starts.peekFirst() + windowNanos - now;
      }
      try {
        Thread.sleep(Math.max(1, wait / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while pacing calls", e);
      }
    }
  }
}
