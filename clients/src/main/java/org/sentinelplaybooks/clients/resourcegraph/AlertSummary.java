package org.sentinelplaybooks.clients.resourcegraph;

import java.util.Map;
import org.sentinelplaybooks.clients.defender.MdcAlertId;

/**
 * An open Defender for Cloud alert as the portal's "Open query" lists it: what a person scans to
 * pick the alerts to handle.
 */
public record AlertSummary(
    MdcAlertId id,
    String name,
    String severity,
    String status,
    String displayName,
    String timeGenerated,
    String productName,
    String systemAlertId) {

  static AlertSummary fromRow(Map<String, Object> row) {
    return new AlertSummary(
        MdcAlertId.parse(ResourceGraphClient.text(row, "id")),
        ResourceGraphClient.text(row, "name"),
        ResourceGraphClient.text(row, "severity"),
        ResourceGraphClient.text(row, "status"),
        ResourceGraphClient.text(row, "displayName"),
        ResourceGraphClient.text(row, "timeGenerated"),
        ResourceGraphClient.text(row, "productName"),
        ResourceGraphClient.text(row, "systemAlertId"));
  }
}
