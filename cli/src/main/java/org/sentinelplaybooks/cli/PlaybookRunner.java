package org.sentinelplaybooks.cli;

import java.io.PrintWriter;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;

/** What every {@code run <playbook>} does: settings, clients, run, print, exit code. */
abstract class PlaybookRunner extends SettingsCommand {
  abstract String playbook();

  abstract RunOptions options();

  /** The request with this playbook's options added. */
  abstract PlaybookRequest request();

  @Override
  CommonOptions common() {
    return options().common;
  }

  @Override
  int run(Settings settings, PrintWriter out, PrintWriter err) {
    Playbooks playbooks = Playbooks.create(settings, ServiceClients.create(settings));
    PlaybookResult result = playbooks.run(playbook(), request(), options().dryRun, CliLogging.LOG);
    ResultPrinter.print(out, result, options().common.output);
    return ResultPrinter.exitCode(result);
  }
}
