package org.sentinelplaybooks.playbooks.close;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.sentinelplaybooks.clients.graph.DefenderXdrClient;
import org.sentinelplaybooks.clients.graph.XdrAlert;
import org.sentinelplaybooks.clients.graph.XdrIncident;
import org.sentinelplaybooks.clients.sentinel.SecurityAlert;

/**
 * Finds the Defender XDR alert behind a Sentinel alert, without guessing. The references do not say
 * how Sentinel's {@code providerAlertId} relates to the Graph alert id: Graph's doc examples show
 * {@code id == providerAlertId}, a live answer showed {@code id == "da" + providerAlertId}
 * (../shared/contracts/graph/security_alerts_v2_get.json, idRelations). So the alert is looked up
 * by the id as given, then by the other form (which must name the given id as its own or its
 * provider's), then among the alerts of the Defender XDR incident the Sentinel incident names,
 * where exactly one may match.
 */
public final class XdrAlertLookup {
  /** The Graph alert ids of Defender for Endpoint alerts start so; other products' need not. */
  static final String MDE_PREFIX = "da";

  /** The alert, or why it is not known. */
  public sealed interface Found {
    record Alert(XdrAlert alert, String how) implements Found {}

    record Missing(String reason) implements Found {}
  }

  private final DefenderXdrClient xdr;

  XdrAlertLookup(DefenderXdrClient xdr) {
    this.xdr = xdr;
  }

  /**
   * @param xdrIncident the Defender XDR incident the Sentinel incident names, read once when first
   *     needed; empty where the Sentinel incident names none
   */
  public Found find(SecurityAlert alert, Supplier<Optional<XdrIncident>> xdrIncident) {
    String given = alert.providerAlertId();
    if (given == null || given.isBlank()) {
      return new Found.Missing("names no providerAlertId to find it in Defender XDR");
    }
    Optional<XdrAlert> asGiven = xdr.getAlert(given);
    if (asGiven.isPresent()) {
      return new Found.Alert(asGiven.get(), "by its id");
    }
    String other =
        given.startsWith(MDE_PREFIX) ? given.substring(MDE_PREFIX.length()) : MDE_PREFIX + given;
    if (!other.isEmpty()) {
      Optional<XdrAlert> byOther = xdr.getAlert(other);
      if (byOther.isPresent()) {
        if (byOther.get().hasId(given)) {
          return new Found.Alert(byOther.get(), "by the id " + other);
        }
        return new Found.Missing(
            "Defender XDR's alert "
                + other
                + " does not name "
                + given
                + " as its provider's id; not taken for it");
      }
    }
    Optional<XdrIncident> incident = xdrIncident.get();
    if (incident.isEmpty()) {
      return new Found.Missing("not found in Defender XDR as " + given + " or " + other);
    }
    List<XdrAlert> matching = incident.get().alerts().stream().filter(a -> a.hasId(given)).toList();
    if (matching.size() == 1) {
      return new Found.Alert(
          matching.get(0), "among the alerts of incident " + incident.get().id());
    }
    return new Found.Missing(
        matching.isEmpty()
            ? "not found in Defender XDR, nor among the alerts of incident " + incident.get().id()
            : matching.size()
                + " alerts of Defender XDR incident "
                + incident.get().id()
                + " match "
                + given
                + "; none is taken for it");
  }
}
