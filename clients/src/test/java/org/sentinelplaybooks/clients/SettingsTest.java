package org.sentinelplaybooks.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;

class SettingsTest {
  static final String WORKSPACE =
      "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-sentinel"
          + "/providers/Microsoft.OperationalInsights/workspaces/law-sentinel-prod";

  @Test
  void defaultsToAzureCloudEndpoints() {
    Settings settings = Settings.from(Map.of(Settings.SENTINEL_WORKSPACES, WORKSPACE));
    assertEquals(AzureEnvironment.AZURE_CLOUD, settings.cloud());
    assertEquals(URI.create("https://management.azure.com"), settings.armEndpoint());
    assertEquals(URI.create("https://graph.microsoft.com"), settings.graphEndpoint());
    assertEquals("https://management.azure.com/.default", settings.cloud().armScope());
    assertFalse(settings.dryRun());
  }

  @Test
  void defenderXdrSyncIsOnWhereGraphIsReachedAndCanBeTurnedOff() {
    assertTrue(Settings.from(Map.of(Settings.SENTINEL_WORKSPACES, WORKSPACE)).defenderXdrSync());
    assertFalse(
        Settings.from(
                Map.of(
                    Settings.SENTINEL_WORKSPACES, WORKSPACE, Settings.DEFENDER_XDR_SYNC, "false"))
            .defenderXdrSync());
    Map<String, String> localWithoutGraph =
        Map.of(
            Settings.AZURE_CLOUD, "Local",
            Settings.AZURE_ARM_ENDPOINT, "http://127.0.0.1:8480",
            Settings.SENTINEL_WORKSPACES, WORKSPACE);
    assertFalse(Settings.from(localWithoutGraph).defenderXdrSync());
    Map<String, String> asked = new java.util.HashMap<>(localWithoutGraph);
    asked.put(Settings.DEFENDER_XDR_SYNC, "true");
    SettingsException e = assertThrows(SettingsException.class, () -> Settings.from(asked));
    assertTrue(e.getMessage().contains("DEFENDER_XDR_SYNC: true needs Microsoft Graph"));
    asked.put(Settings.DEFENDER_XDR_SYNC, "yes");
    assertTrue(
        assertThrows(SettingsException.class, () -> Settings.from(asked))
            .getMessage()
            .contains("DEFENDER_XDR_SYNC: 'yes' is not true or false"));
  }

  @Test
  void governmentAndChinaCloudsHaveTheirOwnRootsAndScopes() {
    Settings gov =
        Settings.from(
            Map.of(
                Settings.AZURE_CLOUD,
                "AzureUSGovernment",
                Settings.SENTINEL_WORKSPACES,
                WORKSPACE));
    assertEquals(URI.create("https://management.usgovcloudapi.net"), gov.armEndpoint());
    assertEquals("https://management.usgovcloudapi.net/.default", gov.cloud().armScope());
    assertEquals("https://login.microsoftonline.us/", gov.cloud().authorityHost());
    Settings china =
        Settings.from(
            Map.of(
                Settings.AZURE_CLOUD, "azurechinacloud", Settings.SENTINEL_WORKSPACES, WORKSPACE));
    assertEquals(URI.create("https://management.chinacloudapi.cn"), china.armEndpoint());
    assertEquals(URI.create("https://microsoftgraph.chinacloudapi.cn"), china.graphEndpoint());
  }

  @Test
  void everyProblemIsReportedByName() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.from(
                    Map.of(
                        Settings.AZURE_CLOUD, "Mars",
                        Settings.AZURE_ARM_ENDPOINT, "ftp://example",
                        Settings.DRY_RUN, "maybe")));
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
                Settings.from(
                    Map.of(
                        Settings.SENTINEL_WORKSPACES, WORKSPACE,
                        Settings.RECONCILE_FULL_SWEEP, "P30D",
                        Settings.SERVICENOW_TRUSTED_GROUPS, "SOC Tier 2")));
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("RECONCILE_FULL_SWEEP: PT720H is not from"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("SERVICENOW_TRUSTED_GROUPS: 'SOC Tier 2' is not a ServiceNow group"),
        e.getMessage());

    Settings settings =
        Settings.from(
            Map.of(
                Settings.SENTINEL_WORKSPACES,
                WORKSPACE,
                Settings.SERVICENOW_TRUSTED_GROUPS,
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
                Settings.from(
                    Map.of(
                        Settings.SENTINEL_WORKSPACES,
                        WORKSPACE,
                        Settings.SERVICENOW_TRUSTED_GROUPS,
                        tooMany)));
    assertTrue(
        many.getMessage().contains("SERVICENOW_TRUSTED_GROUPS: 101 groups, more than 100"),
        many.getMessage());
    assertTrue(
        Settings.from(Map.of(Settings.SENTINEL_WORKSPACES, WORKSPACE))
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
            () -> Settings.from(Map.of(Settings.SENTINEL_WORKSPACES, WORKSPACE + ",law-prod")));
    assertTrue(
        e.getMessage().contains("SENTINEL_WORKSPACES: 'law-prod' is not a workspace ARM id"),
        e.getMessage());
  }

  @Test
  void localRequiresLoopbackEndpoints() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.from(
                    Map.of(
                        Settings.AZURE_CLOUD, "Local",
                        Settings.AZURE_ARM_ENDPOINT, "http://management.example.com:8480",
                        Settings.SENTINEL_WORKSPACES, WORKSPACE)));
    assertTrue(
        e.getMessage()
            .contains(
                "AZURE_ARM_ENDPOINT: 'http://management.example.com:8480' is not a loopback address"),
        e.getMessage());
    SettingsException missing =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.from(
                    Map.of(
                        Settings.AZURE_CLOUD, "Local", Settings.SENTINEL_WORKSPACES, WORKSPACE)));
    assertTrue(
        missing.getMessage().contains("AZURE_ARM_ENDPOINT: required when AZURE_CLOUD=Local"),
        missing.getMessage());
  }

  @Test
  void endpointsAreServiceRootsOverHttpsOutsideLocal() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.from(
                    Map.of(
                        Settings.AZURE_ARM_ENDPOINT, "https://management.azure.com/subscriptions",
                        Settings.AZURE_GRAPH_ENDPOINT, "http://graph.microsoft.com",
                        Settings.SENTINEL_WORKSPACES, WORKSPACE)));
    assertTrue(e.getMessage().contains("has a path"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("AZURE_GRAPH_ENDPOINT: 'http://graph.microsoft.com' must use https"),
        e.getMessage());
  }

  @Test
  void outsideLocalEndpointsMustBeHostsOfTheConfiguredCloud() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.from(
                    Map.of(
                        Settings.AZURE_ARM_ENDPOINT, "https://management.usgovcloudapi.net",
                        Settings.AZURE_GRAPH_ENDPOINT, "https://graph.attacker.example",
                        Settings.MDE_API_ENDPOINT, "https://api.securitycenter.attacker.example",
                        Settings.SENTINEL_WORKSPACES, WORKSPACE)));
    assertTrue(
        e.getMessage()
            .contains(
                "AZURE_ARM_ENDPOINT: management.usgovcloudapi.net is not a host of this service"
                    + " in AZURE_CLOUD=AzureCloud"),
        e.getMessage());
    assertTrue(e.getMessage().contains("AZURE_GRAPH_ENDPOINT: graph.attacker.example"));
    assertTrue(e.getMessage().contains("MDE_API_ENDPOINT: api.securitycenter.attacker.example"));
  }

  @Test
  void documentedRegionalAndGovernmentHostsAreTaken() {
    Settings commercial =
        Settings.from(
            Map.of(
                Settings.MDE_API_ENDPOINT,
                "https://eu.api.security.microsoft.com",
                Settings.SENTINEL_WORKSPACES,
                WORKSPACE));
    assertEquals("eu.api.security.microsoft.com", commercial.mdeEndpoint().getHost());
    Settings gcc =
        Settings.from(
            Map.of(
                Settings.MDE_API_ENDPOINT,
                "https://api-gcc.securitycenter.microsoft.us",
                Settings.SENTINEL_WORKSPACES,
                WORKSPACE));
    assertEquals("api-gcc.securitycenter.microsoft.us", gcc.mdeEndpoint().getHost());
    Settings dod =
        Settings.from(
            Map.of(
                Settings.AZURE_CLOUD, "AzureUSGovernment",
                Settings.AZURE_GRAPH_ENDPOINT, "https://dod-graph.microsoft.us",
                Settings.SENTINEL_WORKSPACES, WORKSPACE));
    assertEquals("dod-graph.microsoft.us", dod.graphEndpoint().getHost());
  }

  @Test
  void anEndpointWithAQueryOrFragmentIsRefusedWithoutRepeatingIt() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.from(
                    Map.of(
                        Settings.AZURE_ARM_ENDPOINT, "https://management.azure.com?sig=S3cr3t-sig",
                        Settings.SERVICENOW_INSTANCE_URL, "https://contoso.service-now.com#S3cr3t",
                        Settings.SENTINEL_WORKSPACES, WORKSPACE)));
    assertTrue(
        e.getMessage().contains("AZURE_ARM_ENDPOINT: has a query or fragment"), e.getMessage());
    assertTrue(
        e.getMessage().contains("SERVICENOW_INSTANCE_URL: has a query or fragment"),
        e.getMessage());
    assertFalse(e.getMessage().contains("S3cr3t"), e.getMessage());
  }

  @Test
  void allowListComparesIdsCaseInsensitively() {
    Settings settings =
        Settings.from(Map.of(Settings.SENTINEL_WORKSPACES, " " + WORKSPACE + " , "));
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
                Settings.from(
                    Map.of(
                        Settings.SENTINEL_WORKSPACES, WORKSPACE,
                        Settings.SERVICENOW_INSTANCE_URL, "https://contoso.service-now.com",
                        Settings.SERVICENOW_USERNAME, "svc")));
    assertTrue(
        e.getMessage()
            .contains(
                "SERVICENOW_USERNAME and SERVICENOW_PASSWORD: required with SERVICENOW_INSTANCE_URL"),
        e.getMessage());

    Settings settings =
        Settings.from(
            Map.of(
                Settings.SENTINEL_WORKSPACES, WORKSPACE,
                Settings.SERVICENOW_INSTANCE_URL, "https://contoso.service-now.com",
                Settings.SERVICENOW_USERNAME, "svc",
                Settings.SERVICENOW_PASSWORD, "s3cr3t-Value!",
                Settings.AZURE_WEBJOBS_STORAGE,
                    "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k3yMaterial=="));
    assertEquals("svc", settings.serviceNow().username());
    assertEquals("Solved (Permanently)", settings.serviceNow().closeCode());
    assertFalse(settings.toString().contains("s3cr3t-Value!"), settings.toString());
    assertFalse(settings.toString().contains("k3yMaterial"), settings.toString());
    assertEquals("s3cr3t-Value!", settings.serviceNow().password().reveal());
  }

  @Test
  void withoutServiceNowTheSettingIsAbsent() {
    assertEquals(null, Settings.from(Map.of(Settings.SENTINEL_WORKSPACES, WORKSPACE)).serviceNow());
  }

  @Test
  void loopbackIsDecidedByLiteralAddressOnly() {
    assertTrue(Loopback.isLoopback(URI.create("http://127.0.0.1:8480")));
    assertTrue(Loopback.isLoopback(URI.create("http://127.10.0.3")));
    assertTrue(Loopback.isLoopback(URI.create("http://[::1]:80")));
    assertFalse(Loopback.isLoopback(URI.create("http://localhost:8480")));
    assertFalse(Loopback.isLoopback(URI.create("http://127.0.0.1.example.com")));
    assertFalse(Loopback.isLoopback(URI.create("http://10.0.0.1")));
    assertFalse(Loopback.isLoopback(URI.create("http://127.0.0.256")));
  }

  @Test
  void blockSettingsAreParsedWithDefaults() {
    String nsg =
        "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-network"
            + "/providers/Microsoft.Network/networkSecurityGroups/nsg-web";
    Settings settings =
        Settings.from(
            Map.of(
                Settings.SENTINEL_WORKSPACES,
                WORKSPACE,
                Settings.BLOCK_NSG_IDS,
                nsg + "/",
                Settings.BLOCK_NEVER,
                "198.51.100.0/24, 2001:db8:ff::/48",
                Settings.BLOCK_TTL,
                "pt12h"));
    BlockSettings block = settings.block();
    assertEquals(java.util.List.of(nsg), block.nsgIds());
    assertEquals(java.time.Duration.ofHours(12), block.ttl());
    assertEquals(BlockSettings.DEFAULT_MAX_TTL, block.maxTtl());
    assertEquals(100, block.nsgRulePriority());
    assertEquals(50, block.maxAddresses());
    assertEquals("[198.51.100.0/24, 2001:db8:ff::/48]", block.never().toString());
    assertTrue(block.anyTarget());
    assertFalse(Settings.from(Map.of(Settings.SENTINEL_WORKSPACES, WORKSPACE)).block().anyTarget());
  }

  @Test
  void badBlockSettingsAreEachNamed() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.from(
                    Map.of(
                        Settings.SENTINEL_WORKSPACES, WORKSPACE,
                        Settings.BLOCK_NSG_IDS, WORKSPACE,
                        Settings.BLOCK_IP_GROUP_IDS, "ipg-blocked",
                        Settings.BLOCK_NAMED_LOCATION_ID, "Blocked IPs",
                        Settings.BLOCK_TTL, "7 days",
                        Settings.BLOCK_NSG_RULE_PRIORITY, "50",
                        Settings.BLOCK_NEVER, "10.0.0.0/33",
                        Settings.BLOCK_MDE, "yes",
                        Settings.BLOCK_MAX_ADDRESSES, "0")));
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
        Settings.from(Map.of(Settings.SENTINEL_WORKSPACES, WORKSPACE)).identity();
    assertEquals(29, defaults.protectedRoles().size());
    assertEquals(
        "Global Administrator",
        defaults.protectedRoles().get("62e90394-69f5-4237-9190-012177145e10"));
    assertEquals(IdentitySettings.DEFAULT_MAX_USERS, defaults.maxUsers());

    IdentitySettings more =
        Settings.from(
                Map.of(
                    Settings.SENTINEL_WORKSPACES, WORKSPACE,
                    Settings.PROTECTED_ROLES, "privileged, 29232CDF-9323-42FD-ADE2-1D097AF3E4DE",
                    Settings.IDENTITY_MAX_USERS, "25"))
            .identity();
    assertEquals(30, more.protectedRoles().size());
    assertTrue(more.protectedRoles().containsKey("29232cdf-9323-42fd-ade2-1d097af3e4de"));
    assertEquals(25, more.maxUsers());

    SettingsException e =
        refused(Settings.PROTECTED_ROLES, "Global Administrator", Settings.IDENTITY_MAX_USERS, "0");
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("PROTECTED_ROLES: 'Global Administrator' is neither"));
    assertTrue(e.getMessage().contains("IDENTITY_MAX_USERS: '0' is not a number of users"));
  }

  /** What Settings says of the workspace and these names and values. */
  static SettingsException refused(String... namesAndValues) {
    Map<String, String> values = new java.util.HashMap<>();
    values.put(Settings.SENTINEL_WORKSPACES, WORKSPACE);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return assertThrows(SettingsException.class, () -> Settings.from(values));
  }

  @Test
  void aUrlWithUserInfoIsRefusedByNameWithoutRepeatingIt() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.from(
                    Map.of(
                        Settings.SENTINEL_WORKSPACES, WORKSPACE,
                        Settings.SERVICENOW_INSTANCE_URL,
                            "https://svc-sentinel:Sn0w-p%40ss@contoso.service-now.com",
                        Settings.SERVICENOW_USERNAME, "svc-sentinel",
                        Settings.SERVICENOW_PASSWORD, "other",
                        Settings.AZURE_ARM_ENDPOINT, "https://arm-user@management.azure.com",
                        Settings.AZURE_GRAPH_ENDPOINT, "https://u:Gr4ph-secret@graph.microsoft.com",
                        Settings.MDE_API_ENDPOINT,
                            "https://u:Md3-secret@@api.securitycenter.microsoft.com")));
    assertEquals(4, e.problems().size(), e.getMessage());
    for (String name :
        new String[] {
          Settings.SERVICENOW_INSTANCE_URL,
          Settings.AZURE_ARM_ENDPOINT,
          Settings.AZURE_GRAPH_ENDPOINT,
          Settings.MDE_API_ENDPOINT
        }) {
      assertTrue(
          e.problems().stream().anyMatch(p -> p.startsWith(name + ": carries user info")),
          e.getMessage());
    }
    for (String secret : new String[] {"Sn0w-p", "arm-user", "Gr4ph-secret", "Md3-secret"}) {
      assertFalse(e.getMessage().contains(secret), e.getMessage());
    }
  }

  /**
   * GCC's API host takes its own audience, GCC High and DoD theirs ("Microsoft Defender for
   * Endpoint for US Government customers", learn.microsoft.com/defender-endpoint/gov, API section).
   */
  @Test
  void defenderForEndpointsAudienceFollowsTheUsGovernmentHost() {
    assertEquals(
        "https://api-gcc.securitycenter.microsoft.us/.default",
        AzureEnvironment.mdeScope(
            AzureEnvironment.AZURE_CLOUD,
            URI.create("https://api-gcc.securitycenter.microsoft.us")));
    assertEquals(
        "https://api-gcc.securitycenter.microsoft.us/.default",
        AzureEnvironment.mdeScope(
            AzureEnvironment.AZURE_US_GOVERNMENT,
            URI.create("https://api-gcc.securitycenter.microsoft.us")));
    assertEquals(
        "https://api-gov.securitycenter.microsoft.us/.default",
        AzureEnvironment.mdeScope(
            AzureEnvironment.AZURE_US_GOVERNMENT,
            URI.create(AzureEnvironment.AZURE_US_GOVERNMENT.mdeEndpoint())));
    assertEquals(
        "https://api.securitycenter.microsoft.com/.default",
        AzureEnvironment.mdeScope(
            AzureEnvironment.AZURE_CLOUD, URI.create("https://us.api.security.microsoft.com")));
  }

  @Test
  void recordsAreKeptWithStorageOrLocallyOnly() {
    assertFalse(Settings.from(Map.of(Settings.SENTINEL_WORKSPACES, WORKSPACE)).keepsRecords());
    assertTrue(
        Settings.from(
                Map.of(
                    Settings.SENTINEL_WORKSPACES,
                    WORKSPACE,
                    Settings.AZURE_WEBJOBS_STORAGE_ACCOUNT,
                    "stplaybooks"))
            .keepsRecords());
    assertTrue(
        Settings.from(
                Map.of(
                    Settings.SENTINEL_WORKSPACES,
                    WORKSPACE,
                    Settings.AZURE_CLOUD,
                    "Local",
                    Settings.AZURE_ARM_ENDPOINT,
                    "http://127.0.0.1:8480"))
            .keepsRecords());
  }

  @Test
  void suppressionLastsThirtyDaysByDefaultAndNeverBeyondItsMaximum() {
    Settings defaults = Settings.from(Map.of(Settings.SENTINEL_WORKSPACES, WORKSPACE));
    assertEquals(java.time.Duration.ofDays(30), defaults.suppression().ttl());
    assertEquals(java.time.Duration.ofDays(90), defaults.suppression().maxTtl());

    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.from(
                    Map.of(
                        Settings.SENTINEL_WORKSPACES, WORKSPACE,
                        Settings.SUPPRESSION_TTL, "P120D",
                        Settings.SUPPRESSION_MAX_TTL, "P90D")));
    assertTrue(
        e.getMessage().contains("SUPPRESSION_TTL: PT2880H is longer than SUPPRESSION_MAX_TTL"),
        e.getMessage());
    SettingsException never =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.from(
                    Map.of(
                        Settings.SENTINEL_WORKSPACES,
                        WORKSPACE,
                        Settings.SUPPRESSION_MAX_TTL,
                        "forever")));
    assertTrue(never.getMessage().contains("SUPPRESSION_MAX_TTL: 'forever'"), never.getMessage());
  }
}
