package org.sentinelplaybooks.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The bench's command line run in this JVM with these arguments, and what it printed. */
record BenchRun(int exit, String out, String err) {
  static BenchRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = BenchMain.commandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exit = commandLine.execute(args);
    return new BenchRun(exit, out.toString(), err.toString());
  }
}
