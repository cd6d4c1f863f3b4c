package org.sentinelplaybooks.playbooks.core;

import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.sentinelplaybooks.clients.sentinel.IncidentId;

/** The workspace allow-list ({@code SENTINEL_WORKSPACES}), checked before any call is made. */
public final class WorkspaceGuard {
  private WorkspaceGuard() {}

  /** A refused result when the incident's workspace is not allowed; empty when it is. */
  public static Optional<PlaybookResult> check(
      PlaybookSettings settings,
      String playbook,
      IncidentId incident,
      String action,
      RunContext context) {
    if (settings.allowsWorkspace(incident.workspace())) {
      return Optional.empty();
    }
    String why =
        "workspace "
            + incident.workspace().armId()
            + " is not in "
            + PlaybookSettings.SENTINEL_WORKSPACES;
    context.log().log(Level.WARNING, playbook + " refused for " + incident.armId() + ": " + why);
    return Optional.of(
        PlaybookResult.of(
            playbook,
            incident.armId(),
            context.dryRun(),
            List.of(
                ActionResult.of("incident:" + incident.armId(), action, Outcome.REFUSED, why))));
  }
}
