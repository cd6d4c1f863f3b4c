package org.sentinelplaybooks.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.cli.CliRun;
import org.sentinelplaybooks.cli.Main;

/** {@code bench}'s parts that start the packaged CLI in JVMs of their own. */
class BenchIT {
  static final Path JAR =
      Path.of(System.getProperty("cli.jar", "../cli/target/sentinel-playbooks.jar"));

  @Test
  void coldStartClosesTheIncidentInAProcessOfItsOwnAndTheScaleRunFailsNoWrite() {
    assertTrue(Files.isRegularFile(JAR), JAR + " is built before the integration tests");
    CliRun run =
        CliRun.of(
            BenchMain.commandLine(),
            "bench",
            "--part",
            "startup,scale",
            "--jar",
            JAR.toString(),
            "--cold-runs",
            "1",
            "--incidents",
            "300",
            "--latency",
            "5",
            "--arm-scale",
            "1");

    String report = run.out();
    assertEquals(Main.SUCCEEDED, run.exit(), report + run.err());
    assertTrue(report.contains("new JVM each run, 1 runs: median"), report);
    assertTrue(report.contains("over 300 incidents and 600 Defender for Cloud alerts"), report);
    assertTrue(report.contains("zero failed writes met"), report);
    assertTrue(report.contains("reads 250 at 25/s, writes 200 at 10/s"), report);
  }
}
