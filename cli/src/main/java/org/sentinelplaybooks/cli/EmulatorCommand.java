package org.sentinelplaybooks.cli;

import java.nio.file.Files;
import java.nio.file.Path;
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
    String serviceNowPassword = java.util.UUID.randomUUID().toString();
    emulator
        .state()
        .setServiceNowAccount(DemoCommand.DEMO_SERVICENOW_USER, serviceNowPassword, null, null);
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
    System.out.println("  export AZURE_CLOUD=Local");
    System.out.println("  export AZURE_ARM_ENDPOINT=" + emulator.baseUrl());
    System.out.println("  export AZURE_GRAPH_ENDPOINT=" + emulator.baseUrl());
    System.out.println("  export SENTINEL_WORKSPACES=" + DemoScenario.WORKSPACE);
    System.out.println("  export PROTECTED_GROUPS=" + DemoScenario.PROTECTED_GROUP);
    System.out.println("  export MDE_API_ENDPOINT=" + emulator.baseUrl());
    System.out.println("  export BLOCK_NSG_IDS=" + DemoScenario.NSG);
    System.out.println("  export BLOCK_IP_GROUP_IDS=" + DemoScenario.IP_GROUP);
    System.out.println("  export BLOCK_NAMED_LOCATION_ID=" + DemoScenario.NAMED_LOCATION);
    System.out.println("  export BLOCK_MDE=true");
    System.out.println("  export SERVICENOW_INSTANCE_URL=" + emulator.baseUrl());
    System.out.println("  export SERVICENOW_USERNAME=" + DemoCommand.DEMO_SERVICENOW_USER);
    // A password made for this emulator run only: it opens nothing else.
    System.out.println("  export SERVICENOW_PASSWORD=" + serviceNowPassword);
    System.out.println("Ctrl-C stops it.");
    System.out.flush();
    stopped.await();
    return Main.SUCCEEDED;
  }
}
