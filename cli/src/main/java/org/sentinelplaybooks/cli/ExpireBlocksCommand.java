package org.sentinelplaybooks.cli;

import java.time.Instant;
import java.util.concurrent.Callable;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.SettingsException;
import org.sentinelplaybooks.playbooks.ExpireBlocks;
import org.sentinelplaybooks.playbooks.PlaybookResult;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expire-blocks}: what the timer does, on demand. */
@Command(
    name = ExpireBlocks.NAME,
    mixinStandardHelpOptions = true,
    description =
        "Lift the IP blocks whose expiry has passed (as the expire-blocks timer does) and comment"
            + " on their incidents.")
final class ExpireBlocksCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dry-run", description = "Say what would be lifted; write nothing.")
  boolean dryRun;

  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    CliLogging.configure(common.verbose);
    try {
      Settings loaded = SettingsSource.load(common.settings);
      Playbooks playbooks = Playbooks.create(loaded, ServiceClients.create(loaded));
      PlaybookResult result =
          playbooks
              .expireBlocks()
              .run(Instant.now(), new RunContext(loaded.dryRun() || dryRun, CliLogging.LOG));
      ResultPrinter.print(spec.commandLine().getOut(), result, common.output);
      return ResultPrinter.exitCode(result);
    } catch (SettingsException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (ApiException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.FAILED;
    }
  }
}
