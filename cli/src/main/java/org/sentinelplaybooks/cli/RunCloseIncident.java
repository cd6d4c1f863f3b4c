package org.sentinelplaybooks.cli;

import org.sentinelplaybooks.playbooks.close.CloseIncidentOptions;
import org.sentinelplaybooks.playbooks.close.CloseIncidentPlaybook;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run close-incident}. */
@Command(
    name = CloseIncidentPlaybook.NAME,
    mixinStandardHelpOptions = true,
    description =
        "Close the incident with a classification and close its Defender for Cloud alerts as it means:"
            + " resolved for TruePositive, dismissed otherwise.")
final class RunCloseIncident extends PlaybookRunner {
  @Mixin RunOptions options;

  @Option(
      names = "--classification",
      required = true,
      description = "TruePositive, BenignPositive, FalsePositive or Undetermined.")
  String classification;

  @Option(
      names = "--classification-reason",
      description =
          "Defaults from the classification: SuspiciousActivity, SuspiciousButExpected, IncorrectAlertLogic.")
  String classificationReason;

  @Option(names = "--comment", description = "The closing comment.")
  String comment;

  @Option(
      names = "--keep-alerts",
      description = "Close the incident only; leave its Defender for Cloud alerts as they are.")
  boolean keepAlerts;

  @Option(
      names = "--suppress",
      description =
          "FalsePositive or BenignPositive only: also write a Defender for Cloud suppression rule per"
              + " subscription and alert type of the incident's alerts, with an expiry.")
  boolean suppress;

  @Option(
      names = "--suppress-for",
      paramLabel = "DURATION",
      description =
          "How long the suppression rules last (ISO 8601, e.g. P14D); default SUPPRESSION_TTL"
              + " (P30D), at most SUPPRESSION_MAX_TTL (P90D).")
  String suppressFor;

  @Option(
      names = "--suppress-scope",
      paramLabel = "alertType|entities",
      description =
          "alertType (default): every alert of the type; entities: only alerts with the alerts' own"
              + " IP addresses, host names and Azure resource ids.")
  String suppressScope;

  @Override
  String playbook() {
    return CloseIncidentPlaybook.NAME;
  }

  @Override
  RunOptions options() {
    return options;
  }

  @Override
  CloseIncidentOptions playbookOptions(PlaybookSettings settings) {
    return CloseIncidentOptions.of(
        classification,
        classificationReason,
        comment,
        !keepAlerts,
        suppress,
        suppressFor,
        suppressScope,
        settings);
  }
}
