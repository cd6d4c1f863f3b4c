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

  /** Close the connection without any response. */
  static Fault dropConnection() {
    return new Drop();
  }

  record Status(int status, Integer retryAfterSeconds) implements Fault {}

  record Delay(Duration delay) implements Fault {}

  record Drop() implements Fault {}
}
