package org.sentinelplaybooks.playbooks.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes each event as one line on the run's logger: {@value #PREFIX} and the fields as a JSON
 * object. In Azure the logger is the invocation's ({@code ExecutionContext.getLogger()}), which the
 * Functions host sends to Application Insights as a {@code traces} row of the invocation; the host
 * keeps the message, not extra properties, so the fields travel in it and the workbook's queries
 * lift them into {@code customDimensions}.
 */
public final class LoggerEventSink implements EventSink {
  /** What starts the message of every event, and nothing else the app logs. */
  public static final String PREFIX = "playbook-event ";

  private final Logger log;

  public LoggerEventSink(Logger log) {
    this.log = log;
  }

  @Override
  public void emit(PlaybookEvent event) {
    if (log.isLoggable(Level.INFO)) {
      log.log(Level.INFO, line(event));
    }
  }

  /** The message of one event. */
  public static String line(PlaybookEvent event) {
    try {
      return PREFIX + PlaybookJson.write(event.fields());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an event could not be written as JSON", e);
    }
  }
}
