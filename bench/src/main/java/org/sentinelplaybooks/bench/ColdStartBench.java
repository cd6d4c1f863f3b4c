package org.sentinelplaybooks.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.cli.DemoScenario;
import org.sentinelplaybooks.cli.EmbeddedEmulator;
import org.sentinelplaybooks.cli.Main;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Scenario;

/**
 * A whole process, from JVM start to a finished {@code run close-incident} that closes the attack
 * incident and resolves its alerts against an emulator already running, each time on a fresh one.
 */
final class ColdStartBench {
  static final List<String> ARGUMENTS =
      List.of(
          "run",
          "close-incident",
          "--incident",
          DemoScenario.INCIDENT,
          "--classification",
          "TruePositive",
          "--classification-reason",
          "SuspiciousActivity",
          "--comment",
          "SSH brute force confirmed.");

  private ColdStartBench() {}

  /** The wall times of {@code runs} processes, after one unmeasured run that fills file caches. */
  static List<Duration> measure(Path jar, int runs, PrintWriter progress) {
    once(jar);
    List<Duration> walls = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      walls.add(once(jar));
    }
    progress.printf("  cold start: %d processes%n", runs);
    progress.flush();
    return walls;
  }

  private static Duration once(Path jar) {
    try (Emulator emulator = Emulator.start(Scenario.builtIn(DemoScenario.NAME))) {
      ChildJvm.Finished finished =
          ChildJvm.run(
              jar,
              List.of(),
              EmbeddedEmulator.settings(emulator),
              ARGUMENTS,
              Duration.ofMinutes(2));
      boolean closed =
          emulator
              .state()
              .incident(DemoScenario.INCIDENT)
              .map(i -> "Closed".equals(i.path("properties").path("status").asText()))
              .orElse(false);
      if (finished.exitCode() != Main.SUCCEEDED || !closed) {
        throw new IllegalStateException(
            "run close-incident exited "
                + finished.exitCode()
                + (closed ? "" : " and the incident is still open")
                + ": "
                + finished.err().strip());
      }
      return finished.wall();
    }
  }
}
