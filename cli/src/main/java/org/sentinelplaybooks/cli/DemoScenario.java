package org.sentinelplaybooks.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.playbooks.block.BlockSettings;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.identity.IdentitySettings;

/** The emulator's built-in attack scenario, as the demo uses it. */
final class DemoScenario {
  static final String NAME = "attack";
  static final String WORKSPACE =
      "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-sentinel"
          + "/providers/Microsoft.OperationalInsights/workspaces/law-sentinel-prod";
  static final String INCIDENT =
      WORKSPACE
          + "/providers/Microsoft.SecurityInsights/incidents/63883bf7-5be1-42f4-809a-0417943b837b";

  /** The compromised user (John Doe) and the Tier 0 group that protects the administrators. */
  static final String USER = "6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89";

  static final String PROTECTED_GROUP = "7a7a7a7a-0001-4000-8000-000000000001";

  /** Bob, a Tier 0 administrator: a member of the protected group through a nested group. */
  static final String PROTECTED_USER = "2c3d4e5f-6071-4829-93a4-b5c6d7e8f9a0";

  /** Where the demo blocks the attacker: an NSG, an IP Group and a named location. */
  static final String NETWORK =
      "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-network"
          + "/providers/Microsoft.Network/";

  static final String NSG = NETWORK + "networkSecurityGroups/nsg-web";
  static final String IP_GROUP = NETWORK + "ipGroups/ipg-blocked-attackers";
  static final String NAMED_LOCATION = "5f2b8a3c-9d4e-4f1a-b6c7-8e9f0a1b2c3d";

  static final String SERVICENOW_USER = "svc-sentinel-playbooks";

  /** The scenario's Defender for Cloud test alert (VM_EICAR on vm-web-02), of no incident yet. */
  static final String TEST_ALERT_SUBSCRIPTION = "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6";

  static final String TEST_ALERT_GROUP =
      "/subscriptions/" + TEST_ALERT_SUBSCRIPTION + "/resourceGroups/rg-prod-web";
  static final String TEST_ALERT_NAME = "2517538088322968299_9a8b7c6d-0000-4000-8000-000000000099";

  /** The false positive the demo closes with a suppression: an incident of the test alert. */
  static final String TEST_ALERT_INCIDENT =
      WORKSPACE
          + "/providers/Microsoft.SecurityInsights/incidents/5e0c9a41-7d2b-4c8e-9f13-2a4b6c8d0e1f";

  private DemoScenario() {}

  /** Sentinel's incident of the test alert, as the Defender for Cloud connector would raise it. */
  static ObjectNode testAlertIncident() {
    ObjectNode incident = Json.object().put("id", TEST_ALERT_INCIDENT);
    incident
        .putObject("properties")
        .put("title", "Azure Security Center test alert (not a threat)")
        .put("description", "The EICAR test file was found on vm-web-02.")
        .put("severity", "Low")
        .put("status", "New")
        .put("incidentNumber", 4219);
    return incident;
  }

  /** The incident's alert: a SecurityAlert entity pointing at the Defender for Cloud alert. */
  static ObjectNode testAlertEntity() {
    ObjectNode entity =
        Json.object()
            .put("id", TEST_ALERT_INCIDENT + "/entities/0d9e8f7a-6b5c-4d3e-a2f1-0e9d8c7b6a51")
            .put("name", "0d9e8f7a-6b5c-4d3e-a2f1-0e9d8c7b6a51")
            .put("kind", "SecurityAlert");
    entity
        .putObject("properties")
        .put("alertDisplayName", "Azure Security Center test alert (not a threat)")
        .put("productName", "Azure Security Center")
        .put("alertType", "VM_EICAR")
        .put("status", "New")
        .put("providerAlertId", TEST_ALERT_NAME)
        .put(
            "alertLink",
            "https://portal.azure.com/#blade/Microsoft_Azure_Security/AlertBlade/alertId/"
                + TEST_ALERT_NAME
                + "/subscriptionId/"
                + TEST_ALERT_SUBSCRIPTION
                + "/resourceGroup/rg-prod-web/referencedFrom/alertDeepLink/location/westeurope");
    return entity;
  }

  /** The same detection a day later, as Defender for Cloud raises it. */
  static ObjectNode testAlertAgain() {
    String name = "2517538088322968399_9a8b7c6d-0000-4000-8000-000000000199";
    ObjectNode alert =
        Json.object()
            .put(
                "id",
                TEST_ALERT_GROUP
                    + "/providers/Microsoft.Security/locations/westeurope/alerts/"
                    + name)
            .put("name", name);
    alert
        .putObject("properties")
        .put("alertType", "VM_EICAR")
        .put("alertDisplayName", "Azure Security Center test alert (not a threat)")
        .put("severity", "Low")
        .put("status", "Active")
        .put("productName", "Azure Security Center")
        .putArray("entities");
    return alert;
  }

  /**
   * The app settings that point every service at an emulator serving this scenario, whose
   * ServiceNow account has this password.
   */
  static Map<String, String> settings(String emulatorUrl, String serviceNowPassword) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(Settings.AZURE_CLOUD, "Local");
    settings.put(Settings.AZURE_ARM_ENDPOINT, emulatorUrl);
    settings.put(Settings.AZURE_GRAPH_ENDPOINT, emulatorUrl);
    settings.put(PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE);
    settings.put(IdentitySettings.PROTECTED_GROUPS, PROTECTED_GROUP);
    settings.put(Settings.MDE_API_ENDPOINT, emulatorUrl);
    settings.put(BlockSettings.BLOCK_NSG_IDS, NSG);
    settings.put(BlockSettings.BLOCK_IP_GROUP_IDS, IP_GROUP);
    settings.put(BlockSettings.BLOCK_NAMED_LOCATION_ID, NAMED_LOCATION);
    settings.put(BlockSettings.BLOCK_MDE, "true");
    settings.put(Settings.SERVICENOW_INSTANCE_URL, emulatorUrl);
    settings.put(Settings.SERVICENOW_USERNAME, SERVICENOW_USER);
    settings.put(Settings.SERVICENOW_PASSWORD, serviceNowPassword);
    return settings;
  }
}
