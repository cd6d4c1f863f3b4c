package org.sentinelplaybooks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.playbooks.BadInputException;
import org.sentinelplaybooks.playbooks.PlaybookRequest;
import picocli.CommandLine.Option;

/** The options every {@code run <playbook>} takes. */
final class RunOptions {
  @Option(
      names = "--incident",
      required = true,
      paramLabel = "<file.json | incident ARM id>",
      description =
          "The incident: a file with the Sentinel incident trigger body (or {\"incidentId\": ...}), or the incident's ARM id.")
  String incident;

  @Option(names = "--dry-run", description = "Plan and report; write nothing.")
  boolean dryRun;

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

  /** The request body: the file's JSON or {@code {"incidentId": ...}}. */
  PlaybookRequest request() {
    Path file = Path.of(incident);
    if (!incident.startsWith("/subscriptions/") && Files.isRegularFile(file)) {
      try {
        return PlaybookRequest.parse(Files.readString(file));
      } catch (IOException e) {
        throw new BadInputException("--incident", "cannot read " + file + ": " + e.getMessage());
      }
    }
    if (!incident.startsWith("/")) {
      throw new BadInputException(
          "--incident", "'" + incident + "' is neither a file nor an incident ARM id");
    }
    ObjectNode body = Json.object();
    body.put("incidentId", incident);
    return PlaybookRequest.of(body);
  }

  static JsonNode text(String value) {
    return value == null ? null : Json.MAPPER.getNodeFactory().textNode(value);
  }
}
