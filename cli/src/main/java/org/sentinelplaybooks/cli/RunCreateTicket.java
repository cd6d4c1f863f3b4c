package org.sentinelplaybooks.cli;

import org.sentinelplaybooks.playbooks.CreateTicketPlaybook;
import org.sentinelplaybooks.playbooks.PlaybookRequest;
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
  PlaybookRequest request() {
    return options.request();
  }
}
