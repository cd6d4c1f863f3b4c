package org.sentinelplaybooks.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Logs go to standard error, one line each, so standard output carries only results. */
final class CliLogging {
  static final Logger LOG = Logger.getLogger("sentinel-playbooks");

  private CliLogging() {}

  static void configure(boolean verbose) {
    Logger root = Logger.getLogger("");
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
  }
}
