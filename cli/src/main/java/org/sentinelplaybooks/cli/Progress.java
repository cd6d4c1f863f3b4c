package org.sentinelplaybooks.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Progress of long work on standard error, for a person at a terminal: what is being done, how many
 * so far and how fast. Quiet when standard error is not a terminal (unless asked for with {@code
 * --progress}) and always with {@code --output json}, so scripts and logs get only results.
 */
public final class Progress {
  /** How often a count is reported. */
  static final int EVERY = 100;

  private final PrintWriter err;
  private final Clock clock;
  private Instant started;

  private Progress(PrintWriter err, Clock clock) {
    this.err = err;
    this.clock = clock;
    this.started = clock.instant();
  }

  /**
   * Progress for {@code output}: shown on a terminal or with --progress, never for JSON; its rates
   * timed by the run's {@code clock}.
   */
  static Progress of(PrintWriter err, OutputFormat output, ProgressOption option, Clock clock) {
    return shown(output, option.forced) ? new Progress(err, clock) : quiet();
  }

  /** Progress on {@code err} whatever it is (tests, and commands that decided already). */
  static Progress to(PrintWriter err, Clock clock) {
    return new Progress(err, clock);
  }

  /** Progress that shows nothing, so its (fixed) clock is never read for a rate. */
  public static Progress quiet() {
    return new Progress(
        new PrintWriter(Writer.nullWriter()), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
  }

  public static boolean shown(OutputFormat output, boolean forced) {
    return output != OutputFormat.json && (forced || System.console() != null);
  }

  /** Where free-form progress lines go: standard error, or nowhere when quiet. */
  public PrintWriter writer() {
    return err;
  }

  /** A new piece of work starts: its name, and the clock for its rate. */
  void start(String what) {
    started = clock.instant();
    err.println(what + " …");
    err.flush();
  }

  /** {@code done} so far; said every {@link #EVERY}. */
  void count(long done, String unit) {
    if (done > 0 && done % EVERY == 0) {
      err.println("  " + done + " " + unit + rate(done, unit));
      err.flush();
    }
  }

  /** The work is over: how many, in how long. */
  void finish(long done, String unit, String more) {
    Duration took = Duration.between(started, clock.instant());
    err.printf(
        Locale.ROOT,
        "  %d %s%s in %.1f s%s%n",
        done,
        unit,
        more.isEmpty() ? "" : ", " + more,
        took.toMillis() / 1000.0,
        rate(done, unit));
    err.flush();
  }

  private String rate(long done, String unit) {
    long millis = Duration.between(started, clock.instant()).toMillis();
    return millis <= 0
        ? ""
        : String.format(Locale.ROOT, " (%.1f %s/s)", done * 1000.0 / millis, unit);
  }
}
