package org.sentinelplaybooks.cli;

import java.util.List;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.identity.ConfirmRiskyUserOptions;
import org.sentinelplaybooks.playbooks.identity.ConfirmRiskyUserPlaybook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run confirm-risky-user}. */
@Command(
    name = ConfirmRiskyUserPlaybook.NAME,
    mixinStandardHelpOptions = true,
    description =
        "Confirm the incident's Entra ID users compromised, revoke their sessions, reset their passwords;"
            + " protected accounts are never touched.")
final class RunConfirmRiskyUser extends PlaybookRunner {
  @Mixin RunOptions options;

  @Option(
      names = "--user",
      paramLabel = "ID_OR_UPN",
      description = "A user to act on instead of the incident's accounts (repeatable).")
  List<String> users;

  @Option(
      names = "--actions",
      split = ",",
      paramLabel = "confirm,revoke,reset",
      description = "Which actions; default from IDENTITY_ACTIONS (all three).")
  List<String> actions;

  @Override
  String playbook() {
    return ConfirmRiskyUserPlaybook.NAME;
  }

  @Override
  RunOptions options() {
    return options;
  }

  @Override
  ConfirmRiskyUserOptions playbookOptions(PlaybookSettings settings) {
    return ConfirmRiskyUserOptions.of(users, actions, settings);
  }
}
