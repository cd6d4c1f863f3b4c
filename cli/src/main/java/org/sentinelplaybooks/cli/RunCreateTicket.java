package org.sentinelplaybooks.cli;

import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketOptions;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketPlaybook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code run create-ticket}. */
@Command(
    name = CreateTicketPlaybook.NAME,
    mixinStandardHelpOptions = true,
    description = "Open (once) a ServiceNow incident for the Sentinel incident and link the two.")
final class RunCreateTicket extends PlaybookRunner {
  @Mixin RunOptions options;

  @Override
  String playbook() {
    return CreateTicketPlaybook.NAME;
  }

  @Override
  RunOptions options() {
    return options;
  }

  @Override
  CreateTicketOptions playbookOptions(PlaybookSettings settings) {
    return CreateTicketOptions.NONE;
  }
}
