package org.sentinelplaybooks.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The CLI (or a command line built on it) run in this JVM with these arguments, and its output. */
public record CliRun(int exit, String out, String err) {
  static CliRun of(String... args) {
    return of(Main.commandLine(), args);
  }

  public static CliRun of(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exit = commandLine.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
