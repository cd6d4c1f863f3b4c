package org.sentinelplaybooks.cli;

import picocli.CommandLine.Option;

/** The option of the commands that show progress: long work, watched from a terminal. */
public final class ProgressOption {
  @Option(
      names = "--progress",
      description =
          "Show progress on stderr even when it is not a terminal (it shows on a terminal; never"
              + " with --output json).")
  public boolean forced;
}
