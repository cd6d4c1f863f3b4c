package org.sentinelplaybooks.playbooks.reconcile;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.sentinelplaybooks.clients.SettingsReader;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;

/**
 * What {@code reconcile} does: which rules are on, how far back each run reads before its
 * checkpoint (so nothing modified while the last run was reading is missed), how often it reads
 * every open and recently closed incident instead of only the changed ones, and the ServiceNow
 * groups (sys_ids) whose resolutions count as the SOC's own.
 */
public record ReconcileSettings(
    Set<ReconcileRule> rules,
    Duration overlap,
    Duration fullSweepEvery,
    Set<String> serviceNowTrustedGroups) {
  public static final String RECONCILE_RULES = "RECONCILE_RULES";
  public static final String RECONCILE_OVERLAP = "RECONCILE_OVERLAP";
  public static final String RECONCILE_FULL_SWEEP = "RECONCILE_FULL_SWEEP";
  public static final String SERVICENOW_TRUSTED_GROUPS = "SERVICENOW_TRUSTED_GROUPS";

  /** The names of the settings read here. */
  public static final List<String> NAMES =
      List.of(RECONCILE_RULES, RECONCILE_OVERLAP, RECONCILE_FULL_SWEEP, SERVICENOW_TRUSTED_GROUPS);

  /** Every rule but {@link ReconcileRule#REOPEN_ALERTS}. */
  public static final Set<ReconcileRule> DEFAULT_RULES =
      Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.of(ReconcileRule.REOPEN_ALERTS)));

  public static final Duration DEFAULT_OVERLAP = Duration.ofMinutes(15);
  public static final Duration DEFAULT_FULL_SWEEP = Duration.ofDays(1);

  /** Full sweeps at most this often, and at least this often (a sweep reads 7 days back). */
  public static final Duration MIN_FULL_SWEEP = Duration.ofHours(1);

  public static final Duration MAX_FULL_SWEEP = Duration.ofDays(7);

  /** Trusted ServiceNow groups at most: one membership query asks about them all. */
  public static final int MOST_TRUSTED_GROUPS = ServiceNowClient.MOST_GROUPS;

  public ReconcileSettings {
    EnumSet<ReconcileRule> on = EnumSet.noneOf(ReconcileRule.class);
    on.addAll(rules);
    rules = Collections.unmodifiableSet(on);
    serviceNowTrustedGroups = Set.copyOf(serviceNowTrustedGroups);
  }

  /**
   * Whether this group (a sys_user_group sys_id) is trusted as the SOC: its members' resolutions
   * count.
   */
  public boolean trustsServiceNowGroup(String groupSysId) {
    return groupSysId != null
        && serviceNowTrustedGroups.contains(groupSysId.toLowerCase(Locale.ROOT));
  }

  public boolean on(ReconcileRule rule) {
    return rules.contains(rule);
  }

  /** The reconcile settings, each problem recorded on the reader. */
  public static ReconcileSettings read(SettingsReader values) {
    String rulesValue = values.text(RECONCILE_RULES);
    Set<ReconcileRule> rules = new LinkedHashSet<>();
    if (rulesValue == null) {
      rules.addAll(DEFAULT_RULES);
    } else if (!rulesValue.equalsIgnoreCase("none")) {
      for (String name : SettingsReader.items(rulesValue.toLowerCase(Locale.ROOT))) {
        Optional<ReconcileRule> rule = ReconcileRule.named(name);
        if (rule.isPresent()) {
          rules.add(rule.get());
        } else {
          values.problem(
              RECONCILE_RULES
                  + ": '"
                  + name
                  + "' is not one of "
                  + Arrays.stream(ReconcileRule.values())
                      .map(ReconcileRule::settingName)
                      .collect(Collectors.joining(", "))
                  + " (or none)");
        }
      }
    }
    Duration fullSweep = values.duration(RECONCILE_FULL_SWEEP, DEFAULT_FULL_SWEEP);
    if (fullSweep.compareTo(MIN_FULL_SWEEP) < 0 || fullSweep.compareTo(MAX_FULL_SWEEP) > 0) {
      values.problem(
          RECONCILE_FULL_SWEEP
              + ": "
              + fullSweep
              + " is not from "
              + MIN_FULL_SWEEP
              + " to "
              + MAX_FULL_SWEEP);
    }
    Set<String> trusted = new LinkedHashSet<>();
    for (String group : values.list(SERVICENOW_TRUSTED_GROUPS)) {
      if (group.matches("(?i)[0-9a-f]{32}")) {
        trusted.add(group.toLowerCase(Locale.ROOT));
      } else {
        values.problem(
            SERVICENOW_TRUSTED_GROUPS
                + ": '"
                + group
                + "' is not a ServiceNow group sys_id (32 hexadecimal digits)");
      }
    }
    if (trusted.size() > MOST_TRUSTED_GROUPS) {
      values.problem(
          SERVICENOW_TRUSTED_GROUPS
              + ": "
              + trusted.size()
              + " groups, more than "
              + MOST_TRUSTED_GROUPS
              + " (each resolver's membership is asked of them all in one query)");
    }
    return new ReconcileSettings(
        rules, values.duration(RECONCILE_OVERLAP, DEFAULT_OVERLAP), fullSweep, trusted);
  }
}
