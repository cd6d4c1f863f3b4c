package org.sentinelplaybooks.playbooks.reconcile;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;

/**
 * What a reconcile is asked to do: one workspace (null: every workspace of {@code
 * SENTINEL_WORKSPACES}), from when (null: from each workspace's checkpoint), and whether a dry run
 * is asked (the {@code DRY_RUN} setting asks for one too). Built from the body of {@code POST
 * /api/reconcile}, or by the CLI from its options; either names its own field when a value is
 * wrong.
 */
public record ReconcileOptions(WorkspaceId workspace, Instant since, boolean dryRun) {
  /**
   * From the body {@code {"workspace": "<ARM id>", "since": "<ISO-8601 instant>", "dryRun": true}},
   * every field optional; {@code dryRunRequested} is the query's {@code ?dryRun=true}.
   */
  public static ReconcileOptions of(PlaybookRequest body, boolean dryRunRequested) {
    WorkspaceId workspace = body.text("workspace").map(w -> workspace("workspace", w)).orElse(null);
    Instant since = body.text("since").map(s -> since("since", s)).orElse(null);
    // Read even when the query already asks for a dry run, so a malformed one is refused.
    boolean inBody = body.dryRunRequested();
    return new ReconcileOptions(workspace, since, dryRunRequested || inBody);
  }

  /** A workspace ARM id given as {@code field}. */
  public static WorkspaceId workspace(String field, String value) {
    try {
      return WorkspaceId.parse(value);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(field, e.getMessage());
    }
  }

  /** An ISO-8601 time with its offset given as {@code field}. */
  public static Instant since(String field, String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadInputException(
          field, "'" + value + "' is not an ISO-8601 time such as 2026-11-01T00:00:00Z");
    }
  }
}
