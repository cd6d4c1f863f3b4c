package org.sentinelplaybooks.cli;

import java.io.PrintWriter;
import org.sentinelplaybooks.playbooks.Composition;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.core.PlaybookOptions;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;

/** What every {@code run <playbook>} does: settings, clients, run, print, exit code. */
abstract class PlaybookRunner extends SettingsCommand {
  abstract String playbook();

  abstract RunOptions options();

  /** This playbook's options, from the command's flags, checked against the settings. */
  abstract PlaybookOptions playbookOptions(PlaybookSettings settings);

  @Override
  CommonOptions common() {
    return options().common;
  }

  @Override
  int run(PlaybookSettings settings, PrintWriter out, PrintWriter err) {
    Playbooks playbooks = Composition.of(settings).playbooks();
    PlaybookResult result =
        playbooks.run(
            playbook(),
            options().request(),
            () -> playbookOptions(settings),
            options().dryRun,
            CliLogging.LOG);
    ResultPrinter.print(out, result, options().common.output);
    return ResultPrinter.exitCode(result);
  }
}
