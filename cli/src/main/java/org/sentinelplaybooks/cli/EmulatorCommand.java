package org.sentinelplaybooks.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code emulator}: serve the emulator on a loopback port until stopped. */
@Command(
    name = "emulator",
    mixinStandardHelpOptions = true,
    description = "Serve the emulator of the Azure APIs on 127.0.0.1 until Ctrl-C.")
final class EmulatorCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "8480",
      description = "The port (0 for any free one). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--scenario",
      defaultValue = DemoScenario.NAME,
      description = "A built-in scenario name or a scenario JSON file. Default: ${DEFAULT-VALUE}.")
  String scenario;

  @Override
  public Integer call() throws InterruptedException {
    Path file = Path.of(scenario);
    Scenario seed;
    try {
      seed =
          Files.isRegularFile(file)
              ? Scenario.fromJson(Files.readString(file))
              : Scenario.builtIn(scenario);
    } catch (java.io.IOException | RuntimeException e) {
      System.err.println("error: --scenario: cannot load '" + scenario + "': " + e.getMessage());
      return Main.BAD_INPUT;
    }
    Emulator emulator = Emulator.start(seed, port);
    Map<String, String> settings = EmbeddedEmulator.settings(emulator);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emulator.close();
                  stopped.countDown();
                }));
    System.out.println(
        "Emulator listening on "
            + emulator.baseUrl()
            + " (scenario "
            + scenario
            + "). Point the playbooks at it with:");
    // The ServiceNow password is made for this emulator run only: it opens nothing else.
    settings.forEach((name, value) -> System.out.println("  export " + name + "=" + value));
    System.out.println("Ctrl-C stops it.");
    System.out.flush();
    stopped.await();
    return Main.SUCCEEDED;
  }
}
