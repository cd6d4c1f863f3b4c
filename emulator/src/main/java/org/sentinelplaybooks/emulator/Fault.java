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

  /**
   * Answer with a redirect instead: this 3xx status and {@code Location}, no body. A client that
   * follows it sends the request (body and all) to wherever {@code location} points.
   */
  static Fault redirect(int status, String location) {
    return new Redirect(status, location);
  }

  /**
   * Answer normally, then set this response header to {@code value}: a tampered answer, e.g. an
   * {@code Azure-AsyncOperation} or {@code Location} that points at another host.
   */
  static Fault tamperHeader(String name, String value) {
    return new TamperHeader(name, value);
  }

  /**
   * Answer normally, then set this top-level field of the JSON body to {@code value}: a tampered
   * answer, e.g. a {@code nextLink} or {@code @odata.nextLink} that points at another host. A name
   * that starts with {@code /} is a JSON Pointer to a field of a nested object ({@code
   * /result/number}).
   */
  static Fault tamperField(String name, String value) {
    return new TamperField(name, value);
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

  record Redirect(int status, String location) implements Fault {
    public Redirect {
      if (status < 300 || status > 399) {
        throw new IllegalArgumentException("a redirect status is 3xx");
      }
      java.util.Objects.requireNonNull(location, "location");
    }
  }

  record TamperHeader(String name, String value) implements Fault {
    public TamperHeader {
      java.util.Objects.requireNonNull(name, "name");
      java.util.Objects.requireNonNull(value, "value");
    }
  }

  record TamperField(String name, String value) implements Fault {
    public TamperField {
      java.util.Objects.requireNonNull(name, "name");
      java.util.Objects.requireNonNull(value, "value");
    }
  }
}
