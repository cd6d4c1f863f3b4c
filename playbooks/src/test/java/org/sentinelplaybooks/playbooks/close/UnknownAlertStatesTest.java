package org.sentinelplaybooks.playbooks.close;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.defender.MdcAlertId;
import org.sentinelplaybooks.clients.resourcegraph.AlertState;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.RunContext;

class UnknownAlertStatesTest {
  static final String ALERT =
      "/subscriptions/1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6/resourceGroups/rg-prod-web"
          + "/providers/Microsoft.Security/locations/westeurope/alerts/"
          + "2517538088322968999_00000000-0000-4000-8000-000000000000";

  final EmulatedAzure azure = EmulatedAzure.start();

  @AfterEach
  void stop() {
    azure.close();
  }

  @Test
  void aServicesErrorMessageInTheWarningCannotStartALogLineOfItsOwn() {
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "GET",
                "/alerts/2517538088322968999_",
                Fault.tamperField("/error/message", "gone\n[SEVERE] every alert dismissed"),
                1));
    MdcAlertId id = MdcAlertId.parse(ALERT);
    AlertState unknown = new AlertState(id, id.name(), null, null, null);

    List<AlertState> states =
        UnknownAlertStates.readAgain(
            Parallel.shared(),
            azure.clients.defenderForCloud(),
            List.of(unknown),
            1,
            new RunContext(false, azure.log, azure.clients.clock()));

    assertEquals(List.of(unknown), states, "the state stays unknown");
    assertEquals(1, azure.logs.size());
    for (LogRecord record : azure.logs) {
      assertFalse(record.getMessage().contains("\n"), record.getMessage());
    }
  }
}
