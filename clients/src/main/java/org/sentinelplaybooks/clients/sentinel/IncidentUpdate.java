package org.sentinelplaybooks.clients.sentinel;

import java.util.List;

/**
 * The changes to make to an incident; every property not named here keeps its current value. A null
 * field means "leave as it is", except that a classification replaces the whole verdict: its reason
 * and comment are the ones given here, and none when null (closing again as Undetermined keeps no
 * earlier reason or comment).
 */
public record IncidentUpdate(
    String status,
    String classification,
    String classificationReason,
    String classificationComment,
    List<String> addLabels) {

  public IncidentUpdate {
    addLabels = addLabels == null ? List.of() : List.copyOf(addLabels);
  }

  public static IncidentUpdate close(String classification, String reason, String comment) {
    return new IncidentUpdate("Closed", classification, reason, comment, List.of());
  }

  public static IncidentUpdate addLabel(String label) {
    return new IncidentUpdate(null, null, null, null, List.of(label));
  }
}
