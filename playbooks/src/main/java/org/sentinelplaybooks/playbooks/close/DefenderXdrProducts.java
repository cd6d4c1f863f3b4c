package org.sentinelplaybooks.playbooks.close;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.SecurityAlert;

/**
 * Which Sentinel alerts are Defender XDR's, and which Sentinel incidents Defender XDR owns: the one
 * table of the product names Sentinel uses, old and new.
 *
 * <p>The old names are Sentinel's {@code MicrosoftSecurityProductName} values (azure-rest-api-specs
 * SecurityInsights, the product filter of Microsoft security incident-creation rules) and the
 * {@code SecurityAlert.ProductName} values the Microsoft Defender XDR data connector counts
 * (Azure/Azure-Sentinel, its connectivity query); the new names are the products' names since their
 * renaming, which newer alerts carry.
 */
public final class DefenderXdrProducts {
  /** Sentinel alert product name, lower case → the product, in words. */
  private static final Map<String, String> ALERT_PRODUCTS =
      Map.ofEntries(
          Map.entry("microsoft defender advanced threat protection", "Defender for Endpoint"),
          Map.entry("microsoft defender for endpoint", "Defender for Endpoint"),
          Map.entry("microsoft 365 defender", "Defender XDR"),
          Map.entry("microsoft defender xdr", "Defender XDR"),
          Map.entry("azure advanced threat protection", "Defender for Identity"),
          Map.entry("microsoft defender for identity", "Defender for Identity"),
          Map.entry("office 365 advanced threat protection", "Defender for Office 365"),
          Map.entry("microsoft defender for office 365", "Defender for Office 365"),
          Map.entry("microsoft cloud app security", "Defender for Cloud Apps"),
          Map.entry("microsoft defender for cloud apps", "Defender for Cloud Apps"));

  /**
   * Incident provider names of incidents Defender XDR created and keeps in step with Sentinel
   * itself: "Microsoft 365 Defender" before the renaming, "Microsoft Defender XDR" and "Microsoft
   * XDR" after it (Azure/Azure-Sentinel#10446: every incident of a workspace connected to the
   * Defender portal carries the XDR provider name).
   */
  private static final Set<String> OWNING_PROVIDERS =
      Set.of("microsoft 365 defender", "microsoft defender xdr", "microsoft xdr");

  private DefenderXdrProducts() {}

  /** Whether Defender XDR holds the alert (its product is one of the table's). */
  public static boolean isXdrAlert(SecurityAlert alert) {
    return alert.productName() != null
        && ALERT_PRODUCTS.containsKey(alert.productName().trim().toLowerCase(Locale.ROOT));
  }

  /** The alert's product in words, e.g. {@code Defender for Endpoint}. */
  public static String product(SecurityAlert alert) {
    return ALERT_PRODUCTS.getOrDefault(
        alert.productName() == null ? "" : alert.productName().trim().toLowerCase(Locale.ROOT),
        String.valueOf(alert.productName()));
  }

  /** Whether Defender XDR owns the incident and syncs its status, and its alerts', both ways. */
  public static boolean ownsIncident(Incident incident) {
    return incident.providerName() != null
        && OWNING_PROVIDERS.contains(incident.providerName().trim().toLowerCase(Locale.ROOT));
  }
}
