package org.sentinelplaybooks.clients.implementation;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.UnaryOperator;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.RunDeadline;

/**
 * One call's waiting: what the service asks for ({@code Retry-After} and its millisecond forms),
 * cut to {@link ClientOptions#maxServerWait()}, and every wait kept within the call's budget and
 * the run's {@link RunDeadline}, so a service can slow a run down but never hold it past its
 * function's timeout.
 */
public final class Waits {
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
    return serverWait(name -> headers.getValue(HttpHeaderName.fromString(name)));
  }

  /** The same, the headers read by name from any HTTP stack's answer. */
  public Duration serverWait(UnaryOperator<String> header) {
    Duration asked = asked(header);
    if (asked == null || asked.isNegative()) {
      return null;
    }
    return asked.compareTo(options.maxServerWait()) > 0 ? options.maxServerWait() : asked;
  }

  private Duration asked(UnaryOperator<String> header) {
    try {
      for (String millis : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
        String value = header.apply(millis);
        if (value != null) {
          return Duration.ofMillis(Long.parseLong(value.trim()));
        }
      }
      String value = header.apply("Retry-After");
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
