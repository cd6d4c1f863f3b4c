package org.sentinelplaybooks.cli;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.resourcegraph.AlertState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code alerts}: the Defender for Cloud alerts still open, by severity, from Resource Graph. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description =
        "List the Defender for Cloud alerts still Active or InProgress in the given subscriptions,"
            + " most severe first (one Resource Graph query, paged).")
final class AlertsCommand extends SettingsCommand {
  private static final Map<String, Integer> SEVERITY =
      Map.of("high", 0, "medium", 1, "low", 2, "informational", 3);

  @Parameters(paramLabel = "SUBSCRIPTION_ID", arity = "1..*", description = "Subscriptions.")
  List<String> subscriptions;

  @Option(names = "--top", defaultValue = "50", description = "At most this many lines.")
  int top;

  @Mixin CommonOptions common;

  @Override
  CommonOptions common() {
    return common;
  }

  @Override
  int run(Settings settings, PrintWriter out, PrintWriter err) {
    List<AlertState> open =
        ServiceClients.create(settings).resourceGraph().openAlerts(Set.copyOf(subscriptions));
    List<AlertState> sorted =
        open.stream()
            .sorted(
                Comparator.comparing(
                    (AlertState a) ->
                        SEVERITY.getOrDefault(String.valueOf(a.severity()).toLowerCase(), 9)))
            .toList();
    out.printf("%d open alert(s)%n", sorted.size());
    for (AlertState alert : sorted.subList(0, Math.min(top, sorted.size()))) {
      out.printf(
          "  %-13s %-10s %s  (%s)%n",
          alert.severity(), alert.status(), alert.displayName(), alert.id().armId());
    }
    out.flush();
    return Main.SUCCEEDED;
  }
}
