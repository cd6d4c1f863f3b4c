package org.sentinelplaybooks.playbooks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.AzureEnvironment;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.SettingsException;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.playbooks.block.BlockSettings;
import org.sentinelplaybooks.playbooks.close.SuppressionSettings;
import org.sentinelplaybooks.playbooks.identity.IdentitySettings;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileRule;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileSettings;
import org.sentinelplaybooks.playbooks.tickets.TicketSettings;

class PlaybookSettingsTest {
  static final String WORKSPACE =
      "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-sentinel"
          + "/providers/Microsoft.OperationalInsights/workspaces/law-sentinel-prod";

  @Test
  void defaultsToAzureCloudEndpoints() {
    PlaybookSettings settings =
        PlaybookSettings.from(Map.of(PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE));
    assertEquals(AzureEnvironment.AZURE_CLOUD, settings.clients().cloud());
    assertEquals(URI.create("https://management.azure.com"), settings.clients().armEndpoint());
    assertEquals(URI.create("https://graph.microsoft.com"), settings.clients().graphEndpoint());
    assertEquals("https://management.azure.com/.default", settings.clients().cloud().armScope());
    assertFalse(settings.dryRun());
  }

  @Test
  void defenderXdrSyncIsOnWhereGraphIsReachedAndCanBeTurnedOff() {
    assertTrue(
        PlaybookSettings.from(Map.of(PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE))
            .defenderXdrSync());
    assertFalse(
        PlaybookSettings.from(
                Map.of(
                    PlaybookSettings.SENTINEL_WORKSPACES,
                    WORKSPACE,
                    PlaybookSettings.DEFENDER_XDR_SYNC,
                    "false"))
            .defenderXdrSync());
    Map<String, String> localWithoutGraph =
        Map.of(
            Settings.AZURE_CLOUD, "Local",
            Settings.AZURE_ARM_ENDPOINT, "http://127.0.0.1:8480",
            PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE);
    assertFalse(PlaybookSettings.from(localWithoutGraph).defenderXdrSync());
    Map<String, String> asked = new java.util.HashMap<>(localWithoutGraph);
    asked.put(PlaybookSettings.DEFENDER_XDR_SYNC, "true");
    SettingsException e = assertThrows(SettingsException.class, () -> PlaybookSettings.from(asked));
    assertTrue(e.getMessage().contains("DEFENDER_XDR_SYNC: true needs Microsoft Graph"));
    asked.put(PlaybookSettings.DEFENDER_XDR_SYNC, "yes");
    assertTrue(
        assertThrows(SettingsException.class, () -> PlaybookSettings.from(asked))
            .getMessage()
            .contains("DEFENDER_XDR_SYNC: 'yes' is not true or false"));
  }

  @Test
  void everyProblemIsReportedByName() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                PlaybookSettings.from(
                    Map.of(
                        Settings.AZURE_CLOUD, "Mars",
                        Settings.AZURE_ARM_ENDPOINT, "ftp://example",
                        PlaybookSettings.DRY_RUN, "maybe")));
    assertEquals(4, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("AZURE_CLOUD: 'Mars' is not a cloud"), e.getMessage());
    assertTrue(e.getMessage().contains("AZURE_ARM_ENDPOINT: 'ftp://example'"), e.getMessage());
    assertTrue(e.getMessage().contains("DRY_RUN: 'maybe' is not true or false"), e.getMessage());
    assertTrue(e.getMessage().contains("SENTINEL_WORKSPACES: required"), e.getMessage());
  }

  @Test
  void reconcileSettingsAreBoundedAndTrustedGroupsAreSysIds() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                PlaybookSettings.from(
                    Map.of(
                        PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE,
                        ReconcileSettings.RECONCILE_FULL_SWEEP, "P30D",
                        ReconcileSettings.SERVICENOW_TRUSTED_GROUPS, "SOC Tier 2")));
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("RECONCILE_FULL_SWEEP: PT720H is not from"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("SERVICENOW_TRUSTED_GROUPS: 'SOC Tier 2' is not a ServiceNow group"),
        e.getMessage());

    PlaybookSettings settings =
        PlaybookSettings.from(
            Map.of(
                PlaybookSettings.SENTINEL_WORKSPACES,
                WORKSPACE,
                ReconcileSettings.SERVICENOW_TRUSTED_GROUPS,
                "A1B2C3D4E5F60718293A4B5C6D7E8F90"));
    assertTrue(settings.reconcile().trustsServiceNowGroup("a1b2c3d4e5f60718293a4b5c6d7e8f90"));
    assertTrue(!settings.reconcile().trustsServiceNowGroup(null));
    String tooMany =
        String.join(
            ",",
            java.util.stream.IntStream.rangeClosed(1, 101)
                .mapToObj(i -> String.format("%032x", i))
                .toList());
    SettingsException many =
        assertThrows(
            SettingsException.class,
            () ->
                PlaybookSettings.from(
                    Map.of(
                        PlaybookSettings.SENTINEL_WORKSPACES,
                        WORKSPACE,
                        ReconcileSettings.SERVICENOW_TRUSTED_GROUPS,
                        tooMany)));
    assertTrue(
        many.getMessage().contains("SERVICENOW_TRUSTED_GROUPS: 101 groups, more than 100"),
        many.getMessage());
    assertTrue(
        PlaybookSettings.from(Map.of(PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE))
            .reconcile()
            .serviceNowTrustedGroups()
            .isEmpty(),
        "no group is trusted by default");
  }

  @Test
  void aWorkspaceThatIsNotAnArmIdIsNamed() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                PlaybookSettings.from(
                    Map.of(PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE + ",law-prod")));
    assertTrue(
        e.getMessage().contains("SENTINEL_WORKSPACES: 'law-prod' is not a workspace ARM id"),
        e.getMessage());
  }

  @Test
  void allowListComparesIdsCaseInsensitively() {
    PlaybookSettings settings =
        PlaybookSettings.from(
            Map.of(PlaybookSettings.SENTINEL_WORKSPACES, " " + WORKSPACE + " , "));
    assertTrue(
        settings.allowsWorkspace(
            WorkspaceId.parse(WORKSPACE.toUpperCase().replace("SUBSCRIPTIONS", "subscriptions"))));
    assertFalse(
        settings.allowsWorkspace(
            WorkspaceId.parse(WORKSPACE.replace("law-sentinel-prod", "law-other"))));
  }

  @Test
  void serviceNowNeedsCredentialsAndHidesThem() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                PlaybookSettings.from(
                    Map.of(
                        PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE,
                        Settings.SERVICENOW_INSTANCE_URL, "https://contoso.service-now.com",
                        Settings.SERVICENOW_USERNAME, "svc")));
    assertTrue(
        e.getMessage()
            .contains(
                "SERVICENOW_USERNAME and SERVICENOW_PASSWORD: required with SERVICENOW_INSTANCE_URL"),
        e.getMessage());

    PlaybookSettings settings =
        PlaybookSettings.from(
            Map.of(
                PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE,
                Settings.SERVICENOW_INSTANCE_URL, "https://contoso.service-now.com",
                Settings.SERVICENOW_USERNAME, "svc",
                Settings.SERVICENOW_PASSWORD, "s3cr3t-Value!",
                Settings.AZURE_WEBJOBS_STORAGE,
                    "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k3yMaterial=="));
    assertEquals("svc", settings.clients().serviceNow().username());
    assertEquals("Solved (Permanently)", settings.tickets().closeCode());
    assertFalse(settings.toString().contains("s3cr3t-Value!"), settings.toString());
    assertFalse(settings.toString().contains("k3yMaterial"), settings.toString());
    assertEquals("s3cr3t-Value!", settings.clients().serviceNow().password().reveal());
  }

  @Test
  void blockSettingsAreParsedWithDefaults() {
    String nsg =
        "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-network"
            + "/providers/Microsoft.Network/networkSecurityGroups/nsg-web";
    PlaybookSettings settings =
        PlaybookSettings.from(
            Map.of(
                PlaybookSettings.SENTINEL_WORKSPACES,
                WORKSPACE,
                BlockSettings.BLOCK_NSG_IDS,
                nsg + "/",
                BlockSettings.BLOCK_NEVER,
                "198.51.100.0/24, 2001:db8:ff::/48",
                BlockSettings.BLOCK_TTL,
                "pt12h"));
    BlockSettings block = settings.block();
    assertEquals(java.util.List.of(nsg), block.nsgIds());
    assertEquals(java.time.Duration.ofHours(12), block.ttl());
    assertEquals(BlockSettings.DEFAULT_MAX_TTL, block.maxTtl());
    assertEquals(100, block.nsgRulePriority());
    assertEquals(50, block.maxAddresses());
    assertEquals("[198.51.100.0/24, 2001:db8:ff::/48]", block.never().toString());
    assertTrue(block.anyTarget());
    assertFalse(
        PlaybookSettings.from(Map.of(PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE))
            .block()
            .anyTarget());
  }

  @Test
  void badBlockSettingsAreEachNamed() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                PlaybookSettings.from(
                    Map.of(
                        PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE,
                        BlockSettings.BLOCK_NSG_IDS, WORKSPACE,
                        BlockSettings.BLOCK_IP_GROUP_IDS, "ipg-blocked",
                        BlockSettings.BLOCK_NAMED_LOCATION_ID, "Blocked IPs",
                        BlockSettings.BLOCK_TTL, "7 days",
                        BlockSettings.BLOCK_NSG_RULE_PRIORITY, "50",
                        BlockSettings.BLOCK_NEVER, "10.0.0.0/33",
                        BlockSettings.BLOCK_MDE, "yes",
                        BlockSettings.BLOCK_MAX_ADDRESSES, "0")));
    assertEquals(8, e.problems().size(), e.getMessage());
    assertTrue(
        e.getMessage().contains("BLOCK_MAX_ADDRESSES: '0' is not a number of addresses from 1"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("BLOCK_NSG_IDS: '" + WORKSPACE + "' is not the ARM id of an NSG"));
    assertTrue(e.getMessage().contains("BLOCK_IP_GROUP_IDS: 'ipg-blocked'"), e.getMessage());
    assertTrue(e.getMessage().contains("BLOCK_NAMED_LOCATION_ID: 'Blocked IPs'"), e.getMessage());
    assertTrue(e.getMessage().contains("BLOCK_TTL: '7 days' is not an ISO-8601 duration"));
    assertTrue(e.getMessage().contains("BLOCK_NSG_RULE_PRIORITY: '50'"), e.getMessage());
    assertTrue(e.getMessage().contains("BLOCK_NEVER: '10.0.0.0/33' has a bad prefix length"));
    assertTrue(e.getMessage().contains("BLOCK_MDE: 'yes'"), e.getMessage());
  }

  @Test
  void privilegedRolesAreProtectedByDefaultAndTheCapIsBounded() {
    IdentitySettings defaults =
        PlaybookSettings.from(Map.of(PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE)).identity();
    assertEquals(29, defaults.protectedRoles().size());
    assertEquals(
        "Global Administrator",
        defaults.protectedRoles().get("62e90394-69f5-4237-9190-012177145e10"));
    assertEquals(IdentitySettings.DEFAULT_MAX_USERS, defaults.maxUsers());

    IdentitySettings more =
        PlaybookSettings.from(
                Map.of(
                    PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE,
                    IdentitySettings.PROTECTED_ROLES,
                        "privileged, 29232CDF-9323-42FD-ADE2-1D097AF3E4DE",
                    IdentitySettings.IDENTITY_MAX_USERS, "25"))
            .identity();
    assertEquals(30, more.protectedRoles().size());
    assertTrue(more.protectedRoles().containsKey("29232cdf-9323-42fd-ade2-1d097af3e4de"));
    assertEquals(25, more.maxUsers());

    SettingsException e =
        refused(
            IdentitySettings.PROTECTED_ROLES,
            "Global Administrator",
            IdentitySettings.IDENTITY_MAX_USERS,
            "0");
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("PROTECTED_ROLES: 'Global Administrator' is neither"));
    assertTrue(e.getMessage().contains("IDENTITY_MAX_USERS: '0' is not a number of users"));
  }

  /** What PlaybookSettings says of the workspace and these names and values. */
  static SettingsException refused(String... namesAndValues) {
    Map<String, String> values = new java.util.HashMap<>();
    values.put(PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return assertThrows(SettingsException.class, () -> PlaybookSettings.from(values));
  }

  @Test
  void recordsAreKeptWithStorageOrLocallyOnly() {
    assertFalse(
        PlaybookSettings.from(Map.of(PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE))
            .keepsRecords());
    assertTrue(
        PlaybookSettings.from(
                Map.of(
                    PlaybookSettings.SENTINEL_WORKSPACES,
                    WORKSPACE,
                    Settings.AZURE_WEBJOBS_STORAGE_ACCOUNT,
                    "stplaybooks"))
            .keepsRecords());
    assertTrue(
        PlaybookSettings.from(
                Map.of(
                    PlaybookSettings.SENTINEL_WORKSPACES,
                    WORKSPACE,
                    Settings.AZURE_CLOUD,
                    "Local",
                    Settings.AZURE_ARM_ENDPOINT,
                    "http://127.0.0.1:8480"))
            .keepsRecords());
  }

  @Test
  void suppressionLastsThirtyDaysByDefaultAndNeverBeyondItsMaximum() {
    PlaybookSettings defaults =
        PlaybookSettings.from(Map.of(PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE));
    assertEquals(java.time.Duration.ofDays(30), defaults.suppression().ttl());
    assertEquals(java.time.Duration.ofDays(90), defaults.suppression().maxTtl());

    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                PlaybookSettings.from(
                    Map.of(
                        PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE,
                        SuppressionSettings.SUPPRESSION_TTL, "P120D",
                        SuppressionSettings.SUPPRESSION_MAX_TTL, "P90D")));
    assertTrue(
        e.getMessage().contains("SUPPRESSION_TTL: PT2880H is longer than SUPPRESSION_MAX_TTL"),
        e.getMessage());
    SettingsException never =
        assertThrows(
            SettingsException.class,
            () ->
                PlaybookSettings.from(
                    Map.of(
                        PlaybookSettings.SENTINEL_WORKSPACES,
                        WORKSPACE,
                        SuppressionSettings.SUPPRESSION_MAX_TTL,
                        "forever")));
    assertTrue(never.getMessage().contains("SUPPRESSION_MAX_TTL: 'forever'"), never.getMessage());
  }

  @Test
  void clientAndPlaybookProblemsAreReportedTogether() {
    SettingsException e =
        refused(
            Settings.AZURE_GRAPH_ENDPOINT, "http://graph.microsoft.com",
            Settings.SERVICENOW_INSTANCE_URL, "https://contoso.service-now.com",
            Settings.SERVICENOW_CLIENT_ID, "sentinel-playbooks",
            BlockSettings.BLOCK_TTL, "a week",
            ReconcileSettings.RECONCILE_RULES, "close-alerts,close-everything");
    assertEquals(4, e.problems().size(), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("AZURE_GRAPH_ENDPOINT: 'http://graph.microsoft.com' must use https"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("SERVICENOW_CLIENT_SECRET: required with SERVICENOW_CLIENT_ID"),
        e.getMessage());
    assertTrue(e.getMessage().contains("BLOCK_TTL: 'a week' is not an ISO-8601"), e.getMessage());
    assertTrue(
        e.getMessage().contains("RECONCILE_RULES: 'close-everything' is not one of"),
        e.getMessage());
  }

  @Test
  void reconcileRulesAreReadByTheNamesUsersWrite() {
    assertEquals(
        java.util.Set.of(ReconcileRule.CLOSE_ALERTS, ReconcileRule.REOPEN_ALERTS),
        PlaybookSettings.from(
                Map.of(
                    PlaybookSettings.SENTINEL_WORKSPACES,
                    WORKSPACE,
                    ReconcileSettings.RECONCILE_RULES,
                    " close-alerts, REOPEN-ALERTS "))
            .reconcile()
            .rules());
    ReconcileSettings defaults =
        PlaybookSettings.from(Map.of(PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE)).reconcile();
    assertTrue(defaults.on(ReconcileRule.CLOSE_XDR_ALERTS));
    assertFalse(defaults.on(ReconcileRule.REOPEN_ALERTS), "reopen-alerts is off by default");
    assertEquals(
        java.util.Set.of(),
        PlaybookSettings.from(
                Map.of(
                    PlaybookSettings.SENTINEL_WORKSPACES,
                    WORKSPACE,
                    ReconcileSettings.RECONCILE_RULES,
                    "None"))
            .reconcile()
            .rules());
    SettingsException e = refused(ReconcileSettings.RECONCILE_RULES, "close_alerts");
    assertEquals(
        "RECONCILE_RULES: 'close_alerts' is not one of close-alerts, close-incident,"
            + " ticket-to-incident, incident-to-ticket, reopen-alerts, close-xdr-alerts (or none)",
        e.problems().get(0));
  }

  @Test
  void everySettingNameIsListedOnce() {
    assertEquals(38, PlaybookSettings.NAMES.size(), PlaybookSettings.NAMES.toString());
    assertEquals(38, new java.util.HashSet<>(PlaybookSettings.NAMES).size());
    assertTrue(PlaybookSettings.NAMES.containsAll(Settings.NAMES));
    assertTrue(PlaybookSettings.NAMES.contains(TicketSettings.SERVICENOW_CLOSE_CODE));
  }
}
