package org.sentinelplaybooks.cli;

import picocli.CommandLine.Command;

/** {@code run <playbook>}: one subcommand per playbook, each with its own options. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run a playbook on an incident, against whatever the settings point at (Azure or the emulator).",
    subcommands = {
      RunCloseIncident.class,
      RunCreateTicket.class,
      RunConfirmRiskyUser.class,
      RunBlockIp.class
    })
final class RunCommand {}
