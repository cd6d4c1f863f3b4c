package org.sentinelplaybooks.playbooks;

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

class UnknownAlertStatesTest {
  static final String ALERT =
      "/subscriptions/1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6/resourceGroups/rg-prod-web"
          + "/providers/Microsoft.Security/locations/westeurope/alerts/"
          + "2517538088322968242_7f0ac6b4-1b41-4b9e-9f7c-5d2c6b0e1a11";

  final EmulatedAzure azure = EmulatedAzure.start();

  @AfterEach
  void stop() {
    azure.close();
  }

  @Test
  void aServicesAnswerInTheWarningCannotStartALogLineOfItsOwn() {
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "GET",
                "/alerts/2517538088322968242_",
                Fault.tamperField("id", "forged\n[SEVERE] every alert dismissed"),
                1));
    MdcAlertId id = MdcAlertId.parse(ALERT);
    AlertState unknown = new AlertState(id, id.name(), null, null, null);

    List<AlertState> states =
        UnknownAlertStates.readAgain(
            azure.clients.defenderForCloud(),
            List.of(unknown),
            1,
            new RunContext(false, azure.log));

    assertEquals(List.of(unknown), states, "the state stays unknown");
    assertEquals(1, azure.logs.size());
    for (LogRecord record : azure.logs) {
      assertFalse(record.getMessage().contains("\n"), record.getMessage());
    }
  }
}
