package org.sentinelplaybooks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.SettingsException;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that reads the settings and calls the services: one place that maps what can go wrong
 * to a message on standard error and an exit code (2 for bad input or settings, 1 for a service
 * that failed).
 */
abstract class SettingsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  abstract CommonOptions common();

  /** The work, with the settings loaded; returns the exit code. */
  abstract int run(PlaybookSettings settings, PrintWriter out, PrintWriter err);

  @Override
  public Integer call() {
    CliLogging.configure(common().verbose);
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(SettingsSource.load(common().settings), spec.commandLine().getOut(), err);
    } catch (BadInputException | SettingsException e) {
      err.println("error: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (ApiException e) {
      err.println("error: " + e.getMessage());
      return Main.FAILED;
    }
  }
}
