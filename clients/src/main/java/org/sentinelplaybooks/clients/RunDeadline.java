package org.sentinelplaybooks.clients;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The time by which a run must be over: the Functions host ends an invocation at its {@code
 * functionTimeout} (host.json, 10 minutes), so no client waits (a {@code Retry-After}, a retry's
 * back-off, an operation's poll) past the deadline of the run it works for. A wait that would is
 * not made: the call fails with what it has. Held per thread; work handed to another thread takes
 * it along with {@link #carried}.
 */
public final class RunDeadline {
  /**
   * A run's time: the host's {@code functionTimeout} less a minute to write the audit comment and
   * answer.
   */
  public static final Duration RUN_TIMEOUT = Duration.ofMinutes(9);

  private static final ThreadLocal<Instant> CURRENT = new ThreadLocal<>();

  private RunDeadline() {}

  /** Runs {@code work} with this deadline (or the one already set, if that is sooner). */
  public static <R> R within(Instant deadline, Supplier<R> work) {
    Instant outer = CURRENT.get();
    CURRENT.set(outer != null && outer.isBefore(deadline) ? outer : deadline);
    try {
      return work.get();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /** The deadline of the run this thread works for, if one was set. */
  public static Optional<Instant> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** {@code work}, to run on another thread under this thread's deadline (if any). */
  public static <R> Supplier<R> carried(Supplier<R> work) {
    Instant deadline = CURRENT.get();
    return deadline == null ? work : () -> within(deadline, work);
  }
}
