package org.sentinelplaybooks.playbooks;

import java.util.List;

/** The Defender for Cloud alerts of the emulator's built-in attack scenario. */
public final class AttackScenario {
  public static final String SUBSCRIPTION_1 = "/subscriptions/1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6";
  public static final String SUBSCRIPTION_2 = "/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

  /** The five alerts linked to the incident, in the order the incident lists them. */
  public static final List<String> LINKED_ALERTS =
      List.of(
          SUBSCRIPTION_1
              + "/resourceGroups/rg-prod-web/providers/Microsoft.Security/locations/westeurope/alerts/2517538088322968242_7f0ac6b4-1b41-4b9e-9f7c-5d2c6b0e1a11",
          SUBSCRIPTION_1
              + "/resourceGroups/rg-prod-web/providers/Microsoft.Security/locations/westeurope/alerts/2517538088322968243_1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
          SUBSCRIPTION_1
              + "/providers/Microsoft.Security/locations/westeurope/alerts/2517538088322968244_2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
          SUBSCRIPTION_2
              + "/resourceGroups/rg-prod-db/providers/Microsoft.Security/locations/northeurope/alerts/2517538088322968245_3e4f5a6b-7c8d-4e9f-0a1b-2c3d4e5f6a7b",
          SUBSCRIPTION_2
              + "/resourceGroups/rg-prod-db/providers/Microsoft.Security/locations/northeurope/alerts/2517538088322968246_4f5a6b7c-8d9e-4f0a-1b2c-3d4e5f6a7b8c");

  /** An active alert of no incident: no playbook may touch it. */
  /** The Defender for Endpoint alert of the incident, by its Graph id ("da" + providerAlertId). */
  public static final String XDR_ALERT = "da4f1e2d3c-5b6a-4789-9abc-def012345678_1";

  /** Its id as Sentinel's copy gives it (providerAlertId). */
  public static final String XDR_PROVIDER_ALERT_ID = "4f1e2d3c-5b6a-4789-9abc-def012345678_1";

  public static final String UNLINKED_ALERT =
      SUBSCRIPTION_1
          + "/resourceGroups/rg-prod-web/providers/Microsoft.Security/locations/westeurope/alerts/2517538088322968299_9a8b7c6d-0000-4000-8000-000000000099";

  /** The last linked alert's Sentinel copy has no alertLink: it is found by listing this group. */
  public static final String UNLOCATED_ALERT_GROUP_LIST =
      SUBSCRIPTION_2 + "/resourceGroups/rg-prod-db/providers/Microsoft.Security/alerts";

  private AttackScenario() {}
}
