package org.sentinelplaybooks.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.resourcegraph.AlertSummary;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code alerts}: the Defender for Cloud alerts still open, as the portal's "Open query" lists
 * them: filtered by severity, most severe first, then by system alert id.
 */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description =
        "List the Defender for Cloud alerts still Active or InProgress in the given subscriptions,"
            + " most severe first, then by system alert id (one Resource Graph query, paged).")
final class AlertsCommand extends SettingsCommand {
  /** The alerts API's severities (2022-01-01 alerts.json, alertSeverity), most severe first. */
  private static final List<String> SEVERITIES = List.of("High", "Medium", "Low", "Informational");

  @Parameters(paramLabel = "SUBSCRIPTION_ID", arity = "1..*", description = "Subscriptions.")
  List<String> subscriptions;

  @Option(
      names = "--severity",
      split = ",",
      paramLabel = "High,Medium",
      description = "Only these severities (High, Medium, Low, Informational); default all.")
  List<String> severities = new ArrayList<>();

  @Option(names = "--top", defaultValue = "50", description = "At most this many lines.")
  int top;

  @Mixin CommonOptions common;

  @Override
  CommonOptions common() {
    return common;
  }

  @Override
  int run(PlaybookSettings settings, PrintWriter out, PrintWriter err) {
    List<String> wanted = new ArrayList<>();
    for (String severity : severities) {
      wanted.add(
          SEVERITIES.stream()
              .filter(s -> s.equalsIgnoreCase(severity.trim()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new BadInputException(
                          "--severity",
                          "'"
                              + severity
                              + "' is not a severity; expected "
                              + String.join(", ", SEVERITIES))));
    }
    if (top < 1) {
      throw new BadInputException("--top", "must be at least 1");
    }
    List<AlertSummary> sorted =
        ServiceClients.create(settings.clients())
            .resourceGraph()
            .openAlertSummaries(Set.copyOf(subscriptions), wanted)
            .stream()
            .sorted(
                Comparator.comparing((AlertSummary a) -> rank(a.severity()))
                    .thenComparing(a -> String.valueOf(a.systemAlertId())))
            .toList();
    List<AlertSummary> shown = sorted.subList(0, Math.min(top, sorted.size()));
    if (common.output == OutputFormat.json) {
      ResultPrinter.printJson(out, shown.stream().map(AlertsCommand::row).toList());
      return Main.SUCCEEDED;
    }
    out.printf("%d open alert(s)%n", sorted.size());
    for (AlertSummary alert : shown) {
      out.printf(
          "  %-13s %-10s %s  (%s)%n",
          alert.severity(), alert.status(), alert.displayName(), alert.id().armId());
    }
    out.flush();
    return Main.SUCCEEDED;
  }

  private static int rank(String severity) {
    for (int i = 0; i < SEVERITIES.size(); i++) {
      if (SEVERITIES.get(i).equalsIgnoreCase(severity)) {
        return i;
      }
    }
    return SEVERITIES.size();
  }

  private static Map<String, Object> row(AlertSummary alert) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", alert.id().armId());
    row.put("name", alert.name());
    row.put("severity", alert.severity());
    row.put("status", alert.status());
    row.put("displayName", alert.displayName());
    row.put("timeGenerated", alert.timeGenerated());
    row.put("productName", alert.productName());
    return row;
  }
}
