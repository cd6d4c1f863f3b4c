package org.sentinelplaybooks.clients;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What {@code reconcile} does: which rules are on, how far back each run reads before its
 * checkpoint (so nothing modified while the last run was reading is missed), and how often it reads
 * every open and recently closed incident instead of only the changed ones.
 */
public record ReconcileSettings(Set<String> rules, Duration overlap, Duration fullSweepEvery) {
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

  public static final List<String> RULES =
      List.of(CLOSE_ALERTS, CLOSE_INCIDENT, TICKET_TO_INCIDENT, INCIDENT_TO_TICKET, REOPEN_ALERTS);
  public static final Set<String> DEFAULT_RULES =
      Set.of(CLOSE_ALERTS, CLOSE_INCIDENT, TICKET_TO_INCIDENT, INCIDENT_TO_TICKET);
  public static final Duration DEFAULT_OVERLAP = Duration.ofMinutes(15);
  public static final Duration DEFAULT_FULL_SWEEP = Duration.ofDays(1);

  public ReconcileSettings {
    rules = Set.copyOf(rules);
  }

  public boolean on(String rule) {
    return rules.contains(rule);
  }
}
