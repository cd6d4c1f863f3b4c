package org.sentinelplaybooks.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.defender.SuppressionRule;
import org.sentinelplaybooks.playbooks.Composition;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.state.AppStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code status}: what the app's state says now, read from its Azure Tables. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show the app's state from its Azure Tables (AzureWebJobsStorage): addresses blocked and"
            + " until when, blocks due within the hour, tickets linked, each workspace's"
            + " reconcile checkpoint, the latest identity actions completed, and with"
            + " --suppressions-in the suppression rules the playbooks wrote.")
final class StatusCommand extends SettingsCommand {
  @Mixin CommonOptions common;

  @Option(
      names = "--suppressions-in",
      split = ",",
      paramLabel = "SUBSCRIPTION_ID",
      description =
          "Also list the Defender for Cloud suppression rules the playbooks wrote in these"
              + " subscriptions (they live in Defender for Cloud, not in the tables).")
  List<String> suppressionSubscriptions = List.of();

  @Override
  CommonOptions common() {
    return common;
  }

  @Override
  int run(PlaybookSettings settings, PrintWriter out, PrintWriter err) {
    ServiceClients clients = ServiceClients.create(settings.clients());
    if (clients.tables().isEmpty()) {
      throw new BadInputException(
          Settings.AZURE_WEBJOBS_STORAGE,
          "not set; status reads the app's state from the Azure Tables of that storage account");
    }
    if (suppressionSubscriptions.size() > SuppressionsCommand.MAX_SUBSCRIPTIONS) {
      throw new BadInputException(
          "--suppressions-in",
          suppressionSubscriptions.size()
              + " subscriptions; at most "
              + SuppressionsCommand.MAX_SUBSCRIPTIONS);
    }
    List<String> checked = new ArrayList<>();
    for (String value : suppressionSubscriptions) {
      checked.add(SuppressionsCommand.subscription("--suppressions-in", value));
    }
    AppStatus status =
        Composition.of(settings, clients).playbooks().status(clients.clock().instant());
    List<SuppressionRule> rules =
        checked.isEmpty()
            ? List.of()
            : SuppressionsCommand.read(clients.defenderForCloud(), checked, false, err);
    StatusPrinter.print(out, status, rules, common.output);
    return Main.SUCCEEDED;
  }
}
