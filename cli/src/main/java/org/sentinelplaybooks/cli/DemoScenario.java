package org.sentinelplaybooks.cli;

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

  /** Where the demo blocks the attacker: an NSG, an IP Group and a named location. */
  static final String NETWORK =
      "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-network"
          + "/providers/Microsoft.Network/";

  static final String NSG = NETWORK + "networkSecurityGroups/nsg-web";
  static final String IP_GROUP = NETWORK + "ipGroups/ipg-blocked-attackers";
  static final String NAMED_LOCATION = "5f2b8a3c-9d4e-4f1a-b6c7-8e9f0a1b2c3d";

  private DemoScenario() {}
}
