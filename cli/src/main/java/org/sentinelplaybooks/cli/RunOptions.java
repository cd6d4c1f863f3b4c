package org.sentinelplaybooks.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import picocli.CommandLine.Mixin;
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

  @Mixin CommonOptions common;

  /**
   * The incident: the file's trigger body or {@code {"incidentId": ...}} (a {@code dryRun} in the
   * file is honoured); the playbook's options come from its flags.
   */
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
}
