package org.sentinelplaybooks.playbooks.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One structured record of what the playbooks did: an {@code action} (one per action of a run, and
 * per change reconcile made), a {@code run} (one per run, with its status and the count of each
 * outcome) or a {@code block} (an address blocked now, as {@code expire-blocks} reads the {@code
 * blocks} table). Its fields are the custom dimensions of the event in Application Insights.
 */
public record PlaybookEvent(Map<String, Object> fields) {
  public static final String EVENT = "event";
  public static final String PLAYBOOK = "playbook";
  public static final String RUN_ID = "runId";
  public static final String INCIDENT_ID = "incidentId";
  public static final String INCIDENT_NUMBER = "incidentNumber";
  public static final String WORKSPACE = "workspace";
  public static final String TARGET_KIND = "targetKind";
  public static final String TARGET_ID = "targetId";
  public static final String ACTION = "action";
  public static final String OUTCOME = "outcome";
  public static final String DETAIL = "detail";
  public static final String DRY_RUN = "dryRun";
  public static final String DURATION_MS = "durationMs";
  public static final String STATUS = "status";
  public static final String ADDRESS = "address";
  public static final String EXPIRES_AT = "expiresAt";

  /** The kinds of event, the value of {@link #EVENT}. */
  public static final String ACTION_EVENT = "action";

  public static final String RUN_EVENT = "run";
  public static final String BLOCK_EVENT = "block";

  /**
   * Every field an event can carry, in the order written: the one list the README and the
   * workbook's test read. A run event also counts its actions per outcome, one field per outcome.
   */
  public static final List<String> FIELDS =
      List.of(
          EVENT,
          PLAYBOOK,
          RUN_ID,
          INCIDENT_ID,
          INCIDENT_NUMBER,
          WORKSPACE,
          TARGET_KIND,
          TARGET_ID,
          ACTION,
          OUTCOME,
          DETAIL,
          DRY_RUN,
          DURATION_MS,
          STATUS,
          "done",
          "already",
          "skipped",
          "planned",
          "failed",
          "refused",
          ADDRESS,
          EXPIRES_AT);

  public PlaybookEvent {
    for (String name : fields.keySet()) {
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("'" + name + "' is not an event field");
      }
    }
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  public String kind() {
    return (String) fields.get(EVENT);
  }

  public Object get(String field) {
    return fields.get(field);
  }
}
