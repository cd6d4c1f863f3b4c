package org.sentinelplaybooks.playbooks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ActionStepTest {
  static final Logger LOG = Logger.getLogger(ActionStepTest.class.getName());
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T08:00:00Z"), ZoneOffset.UTC);
  final ActionStep step = ActionStep.on("incident:/subscriptions/s/incidents/i", "label");

  @Test
  void aDryRunPlansAndNeverWrites() {
    ActionResult result =
        step.perform(
            new RunContext(true, LOG, CLOCK),
            "would label ServiceNow:INC1",
            () -> fail("a dry run must not write"));

    assertEquals(
        new ActionResult(step.target(), "label", Outcome.PLANNED, "would label ServiceNow:INC1"),
        result);
  }

  @Test
  void aWriteSaysWhatItDid() {
    ActionResult result =
        step.perform(
            new RunContext(false, LOG, CLOCK), "would label", () -> step.already("labelled"));

    assertEquals(Outcome.ALREADY, result.outcome());
    assertEquals("labelled", result.detail());
  }

  @Test
  void aFailedWriteIsReportedWithItsMessageOnlyNotThrown() {
    ActionResult failed =
        step.perform(
            new RunContext(false, LOG, CLOCK),
            "would label",
            () -> {
              throw new IllegalStateException("Sentinel answered 409: etag changed");
            });
    ActionResult unnamed =
        step.perform(
            new RunContext(false, LOG, CLOCK),
            "would label",
            () -> {
              throw new IllegalStateException();
            });

    assertEquals(
        new ActionResult(
            step.target(), "label", Outcome.FAILED, "Sentinel answered 409: etag changed"),
        failed);
    assertEquals("IllegalStateException", unnamed.detail(), "no stack trace, the type only");
  }
}
