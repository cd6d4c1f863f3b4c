package org.sentinelplaybooks.cli;

import java.io.PrintWriter;
import java.time.Instant;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.playbooks.BadInputException;
import org.sentinelplaybooks.playbooks.Playbooks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code status}: what the app's state says now, read from its Azure Tables. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show the app's state from its Azure Tables (AzureWebJobsStorage): addresses blocked and"
            + " until when, blocks due within the hour, tickets linked, each workspace's"
            + " reconcile checkpoint, and the latest identity actions completed.")
final class StatusCommand extends SettingsCommand {
  @Mixin CommonOptions common;

  @Override
  CommonOptions common() {
    return common;
  }

  @Override
  int run(Settings settings, PrintWriter out, PrintWriter err) {
    ServiceClients clients = ServiceClients.create(settings);
    if (clients.tables().isEmpty()) {
      throw new BadInputException(
          Settings.AZURE_WEBJOBS_STORAGE,
          "not set; status reads the app's state from the Azure Tables of that storage account");
    }
    StatusPrinter.print(
        out, Playbooks.create(settings, clients).status(Instant.now()), common.output);
    return Main.SUCCEEDED;
  }
}
