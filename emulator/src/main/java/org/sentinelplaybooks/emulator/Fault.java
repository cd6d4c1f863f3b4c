package org.sentinelplaybooks.emulator;

import java.time.Duration;

/** Something to do to a request instead of (or before) answering it normally. */
public sealed interface Fault {
  /** Answer with this status and an ARM error body; with {@code Retry-After} when given. */
  static Fault status(int status, Integer retryAfterSeconds) {
    return new Status(status, retryAfterSeconds);
  }

  /** Wait, then answer normally. */
  static Fault delay(Duration delay) {
    return new Delay(delay);
  }

  /** Close the connection without an HTTP response; the client's call fails with an IOException. */
  static Fault dropConnection() {
    return new Drop();
  }

  record Status(int status, Integer retryAfterSeconds) implements Fault {
    public Status {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("a fault status is an error status (400-599)");
      }
      if (retryAfterSeconds != null && retryAfterSeconds < 0) {
        throw new IllegalArgumentException("Retry-After must not be negative");
      }
    }
  }

  record Delay(Duration delay) implements Fault {
    public Delay {
      if (delay == null || delay.isNegative()) {
        throw new IllegalArgumentException("a delay is zero or more");
      }
    }
  }

  record Drop() implements Fault {}
}
