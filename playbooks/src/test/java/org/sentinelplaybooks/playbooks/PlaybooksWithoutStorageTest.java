package org.sentinelplaybooks.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.playbooks.block.BlockIpPlaybook;
import org.sentinelplaybooks.playbooks.block.BlockSettings;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.identity.ConfirmRiskyUserPlaybook;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketPlaybook;

/**
 * Against real Azure, the playbooks whose records make expiry and {@code already} work refuse to
 * run without storage, before any call: in memory, a restart would forget every block and action.
 */
class PlaybooksWithoutStorageTest {
  static final String WORKSPACE =
      "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-sentinel"
          + "/providers/Microsoft.OperationalInsights/workspaces/law-sentinel-prod";
  static final String INCIDENT =
      "{\"incidentId\":\""
          + WORKSPACE
          + "/providers/Microsoft.SecurityInsights/incidents/63883bf7-5be1-42f4-809a-0417943b837b\"}";

  @Test
  void blockIpCreateTicketAndConfirmRiskyUserRefuseToRunAgainstAzureWithoutStorage() {
    PlaybookSettings settings =
        PlaybookSettings.from(
            Map.of(
                PlaybookSettings.SENTINEL_WORKSPACES,
                WORKSPACE,
                BlockSettings.BLOCK_NSG_IDS,
                "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-network"
                    + "/providers/Microsoft.Network/networkSecurityGroups/nsg-web",
                Settings.SERVICENOW_INSTANCE_URL,
                "https://contoso.service-now.com",
                Settings.SERVICENOW_USERNAME,
                "svc-sentinel",
                Settings.SERVICENOW_PASSWORD,
                "not-used"));
    Playbooks playbooks = Composition.of(settings).playbooks();
    for (String name :
        new String[] {
          BlockIpPlaybook.NAME, CreateTicketPlaybook.NAME, ConfirmRiskyUserPlaybook.NAME
        }) {
      assertTrue(playbooks.names().contains(name), name + " is configured");
      BadInputException e =
          assertThrows(
              BadInputException.class,
              () -> playbooks.run(name, INCIDENT, false, Logger.getAnonymousLogger()));
      assertEquals("playbook", e.field());
      assertTrue(
          e.getMessage().contains(name + " needs storage: set AzureWebJobsStorage"),
          e.getMessage());
      assertTrue(e.getMessage().contains("blocks would never expire"), e.getMessage());
    }
  }
}
