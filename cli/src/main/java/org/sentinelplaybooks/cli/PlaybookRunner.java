package org.sentinelplaybooks.cli;

import java.util.concurrent.Callable;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.SettingsException;
import org.sentinelplaybooks.playbooks.BadInputException;
import org.sentinelplaybooks.playbooks.PlaybookRequest;
import org.sentinelplaybooks.playbooks.PlaybookResult;
import org.sentinelplaybooks.playbooks.Playbooks;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every {@code run <playbook>} does: settings, clients, run, print, exit code. */
abstract class PlaybookRunner implements Callable<Integer> {
  @Spec CommandSpec spec;

  abstract String playbook();

  abstract RunOptions options();

  /** The request with this playbook's options added. */
  abstract PlaybookRequest request();

  @Override
  public Integer call() {
    RunOptions options = options();
    CliLogging.configure(options.common.verbose);
    try {
      Settings settings = SettingsSource.load(options.common.settings);
      Playbooks playbooks = Playbooks.create(settings, ServiceClients.create(settings));
      PlaybookResult result = playbooks.run(playbook(), request(), options.dryRun, CliLogging.LOG);
      ResultPrinter.print(spec.commandLine().getOut(), result, options.common.output);
      return ResultPrinter.exitCode(result);
    } catch (BadInputException | SettingsException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (ApiException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.FAILED;
    }
  }
}
