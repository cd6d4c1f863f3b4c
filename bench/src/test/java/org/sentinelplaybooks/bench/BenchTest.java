package org.sentinelplaybooks.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentinelplaybooks.cli.CliRun;
import org.sentinelplaybooks.cli.Main;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.close.CloseIncidentPlaybook;

/** What {@code bench} measures, checked by what the emulator saw, never by how fast it went. */
class BenchTest {
  static final Duration LATENCY = Duration.ofMillis(20);

  @TempDir Path folder;

  @Test
  void everyPlaybookRunsToTheEndEachWayAndOneAtATimeEveryCallWaitsForTheLast() {
    List<PlaybookBench.Result> results =
        PlaybookBench.measure(LATENCY, 0, 1, new PrintWriter(new StringWriter()));

    assertEquals(
        List.of("close-incident", "block-ip", "confirm-risky-user", "create-ticket"),
        results.stream().map(r -> r.benchCase().playbook()).toList());
    for (PlaybookBench.Result result : results) {
      PlaybookBench.Run concurrent = result.concurrent().get(0);
      PlaybookBench.Run sequential = result.oneAtATime().get(0);
      String playbook = result.benchCase().playbook();
      assertNull(concurrent.error(), playbook);
      assertNull(sequential.error(), playbook);
      assertTrue(concurrent.writes() > 0, playbook + " did its work on a fresh emulator");
      assertEquals(
          concurrent.calls().size(),
          sequential.calls().size(),
          playbook + " makes the same calls either way");
      assertEquals(
          sequential.calls().size(),
          sequential.criticalPath().size(),
          playbook + ": one at a time, each call waits for the one before it");
      assertTrue(
          concurrent.criticalPath().size() < concurrent.calls().size(),
          playbook + ": some calls ran at the same time");
      assertTrue(
          concurrent.wall().compareTo(LATENCY.multipliedBy(concurrent.criticalPath().size())) >= 0,
          playbook + ": the calls of a critical path do not overlap");
    }
  }

  @Test
  void theCriticalPathRunsBackFromTheLastAnswerThroughTheCallsEachWaitedFor() {
    RecordedRequest first = call("GET", "/a", 0, 50);
    RecordedRequest alongside = call("GET", "/b", 0, 60);
    RecordedRequest second = call("PUT", "/a", 55, 105);
    RecordedRequest last = call("PUT", "/c", 110, 160);

    assertEquals(
        List.of(first, second, last),
        PlaybookBench.criticalPath(List.of(alongside, last, second, first)));
    assertEquals(Duration.ZERO, PlaybookBench.pacedWaits(List.of(first, second, last)));
    RecordedRequest paced = call("POST", "/v1.0/identityProtection/riskyUsers/x", 1150, 1200);
    assertEquals(
        Duration.ofMillis(990), PlaybookBench.pacedWaits(List.of(first, second, last, paced)));
  }

  @Test
  void benchPrintsTheTableAndWeighsTheFunctionsPackage() throws Exception {
    Path app = Files.createDirectories(folder.resolve("app/lib"));
    Files.write(app.resolve("a.jar"), new byte[3_000_000]);
    Files.write(app.resolve("b.jar"), new byte[1_500_000]);
    CliRun run =
        CliRun.of(
            BenchMain.commandLine(),
            "bench",
            "--part",
            "playbooks,footprint",
            "--runs",
            "1",
            "--warm-up",
            "0",
            "--latency",
            "20",
            "--functions-app",
            folder.resolve("app").toString());

    assertEquals(Main.SUCCEEDED, run.exit(), run.out() + run.err());
    String report = run.out();
    assertTrue(report.contains("| " + CloseIncidentPlaybook.NAME + " |"), report);
    assertTrue(report.contains("| create-ticket |"), report);
    assertTrue(report.contains("**4.5 MB** in 2 files; target ≤ 40 MB: met"), report);
    assertTrue(report.contains("- `lib/a.jar` 3.0 MB"), report);
  }

  @Test
  void theBenchIsACommandOfItsOwnJarNotOfTheCli() {
    assertFalse(Main.commandLine().getSubcommands().containsKey("bench"));
    assertTrue(BenchMain.commandLine().getSubcommands().containsKey("bench"));
    assertTrue(BenchMain.commandLine().getSubcommands().containsKey("reconcile"));
  }

  @Test
  void startingTheCliWithoutItsJarIsRefusedAndNamesTheOption() {
    Path missing = folder.resolve("missing.jar");
    CliRun run =
        CliRun.of(
            BenchMain.commandLine(), "bench", "--part", "startup", "--jar", missing.toString());

    assertEquals(Main.BAD_INPUT, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("--jar: " + missing + " is not a file"), run.err());
    assertFalse(run.out().contains("## Cold start"), run.out());
  }

  private static RecordedRequest call(String method, String path, long from, long to) {
    java.time.Instant zero = java.time.Instant.parse("2026-01-01T00:00:00Z");
    return new RecordedRequest(
        method,
        path,
        java.util.Map.of(),
        java.util.Map.of(),
        "",
        200,
        zero.plusMillis(from),
        zero.plusMillis(to));
  }
}
