package org.sentinelplaybooks.clients.implementation;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.RunDeadline;

/**
 * One call's waiting: what the service asks for ({@code Retry-After} and its millisecond forms),
 * cut to {@link ClientOptions#maxServerWait()}, and every wait kept within the call's budget and
 * the run's {@link RunDeadline}, so a service can slow a run down but never hold it past its
 * function's timeout.
 */
public final class Waits {
  private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.fromString("retry-after-ms");
  private static final HttpHeaderName X_MS_RETRY_AFTER_MS =
      HttpHeaderName.fromString("x-ms-retry-after-ms");

  private final ClientOptions options;
  private final Instant deadline;

  private Waits(ClientOptions options, Duration budget) {
    this.options = options;
    Instant end = options.waiter().clock().instant().plus(budget);
    Instant run = RunDeadline.current().orElse(end);
    this.deadline = run.isBefore(end) ? run : end;
  }

  /** Waiting for one call, within the options' wait budget from now. */
  public static Waits forCall(ClientOptions options) {
    return new Waits(options, options.waitBudget());
  }

  /** Waiting within {@code budget} from now (and never past the options' wait budget). */
  public static Waits within(ClientOptions options, Duration budget) {
    return new Waits(
        options, budget.compareTo(options.waitBudget()) < 0 ? budget : options.waitBudget());
  }

  /**
   * The wait these headers ask for ({@code retry-after-ms}, {@code x-ms-retry-after-ms}, or {@code
   * Retry-After} in seconds or as an HTTP date), at most {@link ClientOptions#maxServerWait()};
   * null when they ask for none or it cannot be read.
   */
  public Duration serverWait(HttpHeaders headers) {
    Duration asked = asked(headers);
    if (asked == null || asked.isNegative()) {
      return null;
    }
    return asked.compareTo(options.maxServerWait()) > 0 ? options.maxServerWait() : asked;
  }

  /** {@code Retry-After} in seconds as a header value, capped; null when absent or unreadable. */
  public Duration serverWait(String retryAfter) {
    return serverWait(
        retryAfter == null
            ? new HttpHeaders()
            : new HttpHeaders().set(HttpHeaderName.RETRY_AFTER, retryAfter));
  }

  private Duration asked(HttpHeaders headers) {
    try {
      for (HttpHeaderName millis : new HttpHeaderName[] {RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS}) {
        String value = headers.getValue(millis);
        if (value != null) {
          return Duration.ofMillis(Long.parseLong(value.trim()));
        }
      }
      String value = headers.getValue(HttpHeaderName.RETRY_AFTER);
      if (value == null) {
        return null;
      }
      if (value.trim().matches("\\d{1,18}")) {
        return Duration.ofSeconds(Long.parseLong(value.trim()));
      }
      Instant at =
          ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Duration.between(options.waiter().clock().instant(), at);
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      return null;
    }
  }

  /** Whether a wait this long still ends within the budget. */
  public boolean fits(Duration wait) {
    return !options.waiter().clock().instant().plus(wait).isAfter(deadline);
  }

  public void sleep(Duration wait) {
    options.waiter().sleep(wait);
  }
}
