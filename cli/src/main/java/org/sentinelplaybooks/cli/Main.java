package org.sentinelplaybooks.cli;

import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sentinel-playbooks}: run the playbooks from a terminal, try them on the emulator. */
@Command(
    name = "sentinel-playbooks",
    mixinStandardHelpOptions = true,
    version = "sentinel-playbooks 0.1.0",
    description =
        "Microsoft Sentinel playbooks: close incidents, block attacker IPs, contain risky users, open tickets; from a terminal.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      ExpireBlocksCommand.class,
      ReconcileCommand.class,
      StatusCommand.class,
      AlertsCommand.class,
      SuppressionsCommand.class,
      EmulatorCommand.class,
      BenchCommand.class
    })
public final class Main {
  /** Exit code: the run succeeded. */
  public static final int SUCCEEDED = 0;

  /** Exit code: the run was partial or failed. */
  public static final int FAILED = 1;

  /** Exit code: bad input, bad settings, or refused by a guardrail. */
  public static final int BAD_INPUT = 2;

  /** Help and version are printed before a warm-up would pay off. */
  private static final Set<String> HELP_OPTIONS = Set.of("-h", "--help", "-V", "--version");

  public static void main(String[] args) {
    if (Arrays.stream(args).noneMatch(HELP_OPTIONS::contains)) {
      ShortProcess.warmUpInBackground();
    }
    int exitCode = execute(args);
    ShortProcess.releaseHttpClients();
    System.exit(exitCode);
  }

  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The command line with its error handling, for {@link #execute} and for tests. */
  static CommandLine commandLine() {
    CliLogging.configure(false);
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setParameterExceptionHandler(
        (exception, arguments) -> {
          exception.getCommandLine().getErr().println("error: " + exception.getMessage());
          exception.getCommandLine().usage(exception.getCommandLine().getErr());
          return BAD_INPUT;
        });
    return commandLine;
  }
}
