package org.sentinelplaybooks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.ManualClock;
import org.sentinelplaybooks.emulator.Scenario;

/** Long work says how it goes on stderr for a person, and nothing for scripts. */
class ProgressTest {
  @TempDir Path folder;
  Emulator emulator;
  Path settings;

  @BeforeEach
  void start() throws Exception {
    emulator = Emulator.start(Scenario.builtIn(DemoScenario.NAME));
    settings = folder.resolve("local.settings.json");
    Files.writeString(
        settings,
        "{\"Values\":{\"AZURE_CLOUD\":\"Local\",\"AZURE_ARM_ENDPOINT\":\""
            + emulator.baseUrl()
            + "\",\"SENTINEL_WORKSPACES\":\""
            + DemoScenario.WORKSPACE
            + "\"}}");
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void countsAndARateOnTheClockOfTheWork() {
    StringWriter text = new StringWriter();
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
    Progress progress = Progress.to(new PrintWriter(text), clock);

    progress.start("reconciling law");
    clock.advance(Duration.ofSeconds(2));
    progress.count(99, "incidents");
    progress.count(200, "incidents");
    clock.advance(Duration.ofSeconds(2));
    progress.finish(250, "incidents", "3 changes");

    assertEquals(
        "reconciling law …\n"
            + "  200 incidents (100.0 incidents/s)\n"
            + "  250 incidents, 3 changes in 4.0 s (62.5 incidents/s)\n",
        text.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void reconcileAndExpireBlocksShowProgressWhenAskedAndNotWhenStderrIsNotATerminal() {
    CliRun asked = CliRun.of("reconcile", "--settings", settings.toString(), "--progress");
    assertEquals(Main.SUCCEEDED, asked.exit(), asked.err());
    assertTrue(asked.err().contains("reconciling law-sentinel-prod …"), asked.err());
    assertTrue(asked.err().contains("incidents, "), asked.err());

    CliRun piped = CliRun.of("reconcile", "--settings", settings.toString());
    assertEquals(Main.SUCCEEDED, piped.exit(), piped.err());
    assertFalse(piped.err().contains("reconciling"), piped.err());

    CliRun expire = CliRun.of("expire-blocks", "--settings", settings.toString(), "--progress");
    assertTrue(expire.err().contains("lifting expired blocks …"), expire.err());
  }

  @Test
  void jsonOutputIsQuietEvenWhenProgressIsAskedFor() {
    CliRun json =
        CliRun.of("reconcile", "--settings", settings.toString(), "--output", "json", "--progress");

    assertEquals(Main.SUCCEEDED, json.exit(), json.err());
    assertEquals("", json.err());
    assertTrue(json.out().trim().startsWith("["), json.out());
  }
}
