package org.sentinelplaybooks.playbooks.core;

import java.time.Clock;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * How a run goes: whether it may write, where it logs (the Functions invocation's logger, so
 * Application Insights ties the lines to the invocation, or the CLI's), and its telemetry (its id
 * and where its events go).
 */
public record RunContext(boolean dryRun, Logger log, RunTelemetry telemetry) {
  /** A run with an id of its own, its events written to {@code log}, timed by {@code clock}. */
  public RunContext(boolean dryRun, Logger log, Clock clock) {
    this(dryRun, log, UUID.randomUUID().toString(), clock);
  }

  /**
   * A run under a given id (the Functions invocation id), its events written to {@code log}, timed
   * by {@code clock}.
   */
  public RunContext(boolean dryRun, Logger log, String runId, Clock clock) {
    this(dryRun, log, new RunTelemetry(runId, new LoggerEventSink(log), clock));
  }
}
