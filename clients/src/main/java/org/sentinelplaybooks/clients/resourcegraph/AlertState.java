package org.sentinelplaybooks.clients.resourcegraph;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sentinelplaybooks.clients.defender.MdcAlert;
import org.sentinelplaybooks.clients.defender.MdcAlertId;

/**
 * A Defender for Cloud alert's state: id, status, severity, display name. Its status is one of the
 * alerts API's four (Active, InProgress, Resolved, Dismissed: specification/security/.../stable/
 * 2022-01-01/alerts.json, {@code alertStatus}); anything else, an empty status included, is
 * <em>unknown</em>: neither open nor closed, so nothing is decided on it.
 */
public record AlertState(
    MdcAlertId id, String name, String status, String severity, String displayName) {
  private static final Set<String> OPEN = Set.of("active", "inprogress");
  private static final Set<String> CLOSED = Set.of("dismissed", "resolved");

  static AlertState fromRow(Map<String, Object> row) {
    return new AlertState(
        MdcAlertId.parse(ResourceGraphClient.text(row, "id")),
        ResourceGraphClient.text(row, "name"),
        blankToNull(ResourceGraphClient.text(row, "status")),
        blankToNull(ResourceGraphClient.text(row, "severity")),
        blankToNull(ResourceGraphClient.text(row, "displayName")));
  }

  /** The state of an alert read from the alerts API itself. */
  public static AlertState of(MdcAlert alert) {
    return new AlertState(
        alert.id(),
        alert.id().name(),
        blankToNull(alert.status()),
        alert.severity(),
        alert.displayName());
  }

  /** Active or InProgress. */
  public boolean isOpen() {
    return status != null && OPEN.contains(status.toLowerCase(Locale.ROOT));
  }

  /** Dismissed or Resolved. */
  public boolean isClosed() {
    return status != null && CLOSED.contains(status.toLowerCase(Locale.ROOT));
  }

  /** Neither open nor closed: the status is empty or not one the alerts API defines. */
  public boolean isUnknown() {
    return !isOpen() && !isClosed();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
