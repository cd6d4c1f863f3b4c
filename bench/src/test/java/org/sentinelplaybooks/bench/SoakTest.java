package org.sentinelplaybooks.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.emulator.Fault;

/**
 * A small soak with a fixed seed: every run's work is there after the reconcile, and nothing is
 * written twice. {@code -Dsoak.runs=1000} runs it at full size.
 */
class SoakTest {
  @Test
  void underFaultsEveryRunsWorkIsDoneInTheEndAndNothingIsWrittenTwice() {
    int runs = Integer.getInteger("soak.runs", 120);
    StringWriter progress = new StringWriter();
    Soak.Report report =
        Soak.run(new Soak.Options(runs, 0.2, 1, Duration.ofMinutes(10)), new PrintWriter(progress));
    StringWriter printed = new StringWriter();
    report.print(new PrintWriter(printed));
    System.out.println(printed);

    assertEquals(runs, report.finished(), progress.toString());
    assertNotNull(report.reconcile(), report.reconcileError());
    report.mustBeZero().forEach((what, count) -> assertEquals(0, count, what + "\n" + printed));
    assertEquals(0, report.total().undone(), printed.toString());
    for (Fault fault : Soak.FAULTS) {
      assertTrue(report.faults().get(Soak.label(fault)) > 0, Soak.label(fault) + " injected");
    }
    report.tallies().forEach((playbook, tally) -> assertTrue(tally.runs() > 0, playbook));
    assertTrue(report.total().repeats() > 0, "some runs repeat a playbook on an incident");
    assertTrue(report.passed(), printed.toString());
    assertTrue(printed.toString().contains("Result: **passed**"), printed.toString());
  }
}
