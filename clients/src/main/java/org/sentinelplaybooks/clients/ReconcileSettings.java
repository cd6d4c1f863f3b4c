package org.sentinelplaybooks.clients;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What {@code reconcile} does: which rules are on, how far back each run reads before its
 * checkpoint (so nothing modified while the last run was reading is missed), how often it reads
 * every open and recently closed incident instead of only the changed ones, and the ServiceNow
 * groups (sys_ids) whose resolutions count as the SOC's own.
 */
public record ReconcileSettings(
    Set<String> rules,
    Duration overlap,
    Duration fullSweepEvery,
    Set<String> serviceNowTrustedGroups) {
  /** Incident closed → its open MDC alerts dismissed (resolved when TruePositive). */
  public static final String CLOSE_ALERTS = "close-alerts";

  /** Every linked MDC alert dismissed or resolved → the open incident closed. */
  public static final String CLOSE_INCIDENT = "close-incident";

  /** ServiceNow ticket resolved or closed → the open incident closed. */
  public static final String TICKET_TO_INCIDENT = "ticket-to-incident";

  /** Incident closed → its open ServiceNow ticket resolved. */
  public static final String INCIDENT_TO_TICKET = "incident-to-ticket";

  /** Incident reopened → its dismissed MDC alerts activated again (off by default). */
  public static final String REOPEN_ALERTS = "reopen-alerts";

  /**
   * Incident closed → its open Defender XDR alerts resolved with the matching verdict (acts only
   * where Microsoft Graph is configured and {@code DEFENDER_XDR_SYNC} is on).
   */
  public static final String CLOSE_XDR_ALERTS = "close-xdr-alerts";

  public static final List<String> RULES =
      List.of(
          CLOSE_ALERTS,
          CLOSE_INCIDENT,
          TICKET_TO_INCIDENT,
          INCIDENT_TO_TICKET,
          REOPEN_ALERTS,
          CLOSE_XDR_ALERTS);
  public static final Set<String> DEFAULT_RULES =
      Set.of(
          CLOSE_ALERTS, CLOSE_INCIDENT, TICKET_TO_INCIDENT, INCIDENT_TO_TICKET, CLOSE_XDR_ALERTS);
  public static final Duration DEFAULT_OVERLAP = Duration.ofMinutes(15);
  public static final Duration DEFAULT_FULL_SWEEP = Duration.ofDays(1);

  /** Full sweeps at most this often, and at least this often (a sweep reads 7 days back). */
  public static final Duration MIN_FULL_SWEEP = Duration.ofHours(1);

  public static final Duration MAX_FULL_SWEEP = Duration.ofDays(7);

  /** Trusted ServiceNow groups at most: one membership query asks about them all. */
  public static final int MOST_TRUSTED_GROUPS = 100;

  public ReconcileSettings {
    rules = Set.copyOf(rules);
    serviceNowTrustedGroups = Set.copyOf(serviceNowTrustedGroups);
  }

  /**
   * Whether this group (a sys_user_group sys_id) is trusted as the SOC: its members' resolutions
   * count.
   */
  public boolean trustsServiceNowGroup(String groupSysId) {
    return groupSysId != null
        && serviceNowTrustedGroups.contains(groupSysId.toLowerCase(java.util.Locale.ROOT));
  }

  public boolean on(String rule) {
    return rules.contains(rule);
  }
}
