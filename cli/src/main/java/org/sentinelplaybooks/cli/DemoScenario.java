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

  private DemoScenario() {}
}
