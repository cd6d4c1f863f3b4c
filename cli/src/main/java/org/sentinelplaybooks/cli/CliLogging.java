package org.sentinelplaybooks.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Logs go to standard error, one line each, so standard output carries only results. */
public final class CliLogging {
  static final Logger LOG = Logger.getLogger("sentinel-playbooks");
  // Held here so that the levels set on them are not lost when the LogManager lets them go.
  private static final Logger ROOT = Logger.getLogger("");
  private static final Logger AZURE_HTTP = Logger.getLogger("com.azure.core.http.jdk.httpclient");

  private CliLogging() {}

  public static void configure(boolean verbose) {
    Logger root = ROOT;
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(
        new Formatter() {
          @Override
          public String format(LogRecord record) {
            return record.getLevel().getName().toLowerCase()
                + ": "
                + formatMessage(record)
                + System.lineSeparator();
          }
        });
    Level level = verbose ? Level.INFO : Level.WARNING;
    handler.setLevel(level);
    root.addHandler(handler);
    root.setLevel(level);
    // azure-core sets Content-Length, which the JDK client computes itself and warns about.
    AZURE_HTTP.setLevel(Level.SEVERE);
  }
}
