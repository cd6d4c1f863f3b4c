package org.sentinelplaybooks.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every command that reads settings and prints a result. */
final class CommonOptions {
  @Option(
      names = "--output",
      defaultValue = "text",
      paramLabel = "json|text",
      description =
          "text (default) for people, json for scripts: stdout then carries only the result JSON.")
  OutputFormat output;

  @Option(
      names = "--settings",
      paramLabel = "FILE",
      description = "Read the Values of a local.settings.json (they win over the environment).")
  Path settings;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log each step to stderr.")
  boolean verbose;
}
