package org.sentinelplaybooks.clients.sentinel;

import java.time.Instant;

/**
 * Which incidents a list asks Sentinel for: an OData {@code $filter} on incident properties, which
 * Incidents_List takes (azure-rest-api-specs, specification/securityinsights/resource-manager/
 * Microsoft.SecurityInsights/stable/2025-06-01/Incidents.json, Incidents_List).
 */
public final class IncidentFilter {
  private final String odata;

  private IncidentFilter(String odata) {
    this.odata = odata;
  }

  /** Incidents modified at or after {@code since}. */
  public static IncidentFilter modifiedSince(Instant since) {
    return new IncidentFilter("properties/lastModifiedTimeUtc ge " + since);
  }

  /** Incidents not closed, and those modified at or after {@code since} whatever their status. */
  public static IncidentFilter openOrModifiedSince(Instant since) {
    return new IncidentFilter(
        "properties/status ne 'Closed' or properties/lastModifiedTimeUtc ge " + since);
  }

  /**
   * The incidents that the product which created them knows by this id (for Defender XDR, its
   * incident id). The spec has no example of a filter on providerIncidentId, so a caller checks
   * each answer too.
   */
  public static IncidentFilter providerIncidentId(String providerIncidentId) {
    return new IncidentFilter(
        "properties/providerIncidentId eq '" + providerIncidentId.replace("'", "''") + "'");
  }

  String odata() {
    return odata;
  }

  @Override
  public String toString() {
    return odata;
  }
}
