package org.sentinelplaybooks.bench;

import org.sentinelplaybooks.cli.Main;
import picocli.CommandLine;

/**
 * {@code sentinel-playbooks-bench}: the CLI's commands and {@code bench}, which measures them on
 * the embedded emulator. The CLI jar itself does not carry the bench.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(Main.runAsProcess(commandLine(), args));
  }

  /** The CLI's command line, its error handling included, with {@code bench} added. */
  static CommandLine commandLine() {
    return Main.commandLine().addSubcommand(new BenchCommand());
  }
}
