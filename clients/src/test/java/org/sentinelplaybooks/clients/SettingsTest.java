package org.sentinelplaybooks.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The client settings alone; how they are reported together with the playbooks' own is tested with
 * {@code PlaybookSettings} in the playbooks module.
 */
class SettingsTest {
  static final String WORKSPACE =
      "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-sentinel"
          + "/providers/Microsoft.OperationalInsights/workspaces/law-sentinel-prod";

  @Test
  void governmentAndChinaCloudsHaveTheirOwnRootsAndScopes() {
    Settings gov = Settings.from(Map.of(Settings.AZURE_CLOUD, "AzureUSGovernment"));
    assertEquals(URI.create("https://management.usgovcloudapi.net"), gov.armEndpoint());
    assertEquals("https://management.usgovcloudapi.net/.default", gov.cloud().armScope());
    assertEquals("https://login.microsoftonline.us/", gov.cloud().authorityHost());
    Settings china = Settings.from(Map.of(Settings.AZURE_CLOUD, "azurechinacloud"));
    assertEquals(URI.create("https://management.chinacloudapi.cn"), china.armEndpoint());
    assertEquals(URI.create("https://microsoftgraph.chinacloudapi.cn"), china.graphEndpoint());
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
                        Settings.AZURE_ARM_ENDPOINT, "http://management.example.com:8480")));
    assertTrue(
        e.getMessage()
            .contains(
                "AZURE_ARM_ENDPOINT: 'http://management.example.com:8480' is not a loopback address"),
        e.getMessage());
    SettingsException missing =
        assertThrows(
            SettingsException.class, () -> Settings.from(Map.of(Settings.AZURE_CLOUD, "Local")));
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
                        Settings.AZURE_GRAPH_ENDPOINT, "http://graph.microsoft.com")));
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
                        Settings.MDE_API_ENDPOINT, "https://api.securitycenter.attacker.example")));
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
        Settings.from(Map.of(Settings.MDE_API_ENDPOINT, "https://eu.api.security.microsoft.com"));
    assertEquals("eu.api.security.microsoft.com", commercial.mdeEndpoint().getHost());
    Settings gcc =
        Settings.from(
            Map.of(Settings.MDE_API_ENDPOINT, "https://api-gcc.securitycenter.microsoft.us"));
    assertEquals("api-gcc.securitycenter.microsoft.us", gcc.mdeEndpoint().getHost());
    Settings dod =
        Settings.from(
            Map.of(
                Settings.AZURE_CLOUD, "AzureUSGovernment",
                Settings.AZURE_GRAPH_ENDPOINT, "https://dod-graph.microsoft.us"));
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
                        Settings.SERVICENOW_INSTANCE_URL,
                            "https://contoso.service-now.com#S3cr3t")));
    assertTrue(
        e.getMessage().contains("AZURE_ARM_ENDPOINT: has a query or fragment"), e.getMessage());
    assertTrue(
        e.getMessage().contains("SERVICENOW_INSTANCE_URL: has a query or fragment"),
        e.getMessage());
    assertFalse(e.getMessage().contains("S3cr3t"), e.getMessage());
  }

  @Test
  void withoutServiceNowTheSettingIsAbsent() {
    assertEquals(null, Settings.from(Map.of()).serviceNow());
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
  void aUrlWithUserInfoIsRefusedByNameWithoutRepeatingIt() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.from(
                    Map.of(
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
}
