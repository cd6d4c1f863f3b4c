package org.sentinelplaybooks.clients.defender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;

/**
 * Suppression rules over the wire as the spec's examples show them
 * (specification/security/resource-manager/Microsoft.Security/preview/2019-01-01-preview/examples/
 * AlertsSuppressionRules/{Put,Get}AlertsSuppressionRule*_example.json, Azure/azure-rest-api-specs).
 */
class SuppressionRuleClientTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SUBSCRIPTION = "20ff7fc3-e762-44dd-bd96-b71116dcdc23";
  static final ClientOptions FAST =
      new ClientOptions(3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5));

  Emulator emulator;
  DefenderForCloudClient defender;

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.empty());
    defender =
        DefenderForCloudClient.builder().endpoint(emulator.baseUrl()).options(FAST).buildClient();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  static SuppressionRule rule(String name, String alertType) {
    return new SuppressionRule(
        SUBSCRIPTION,
        name,
        alertType,
        "FalsePositive",
        "Enabled",
        Instant.parse("2030-12-01T19:50:47Z"),
        "Test VM",
        List.of(ScopeCondition.in(ScopeCondition.IP_ADDRESS, List.of("104.215.95.187"))),
        null);
  }

  @Test
  void aRuleIsPutInTheSpecsShapeAndReadBack() throws Exception {
    SuppressionRule written =
        defender.putSuppressionRule(rule("dismissIpAnomalyAlerts", "IpAnomaly"));

    RecordedRequest put = emulator.requests().get(0);
    assertEquals("PUT", put.method());
    assertEquals(
        "/subscriptions/"
            + SUBSCRIPTION
            + "/providers/Microsoft.Security/alertsSuppressionRules/dismissIpAnomalyAlerts",
        put.path());
    assertEquals("2019-01-01-preview", put.query().get("api-version"));
    assertEquals(
        JSON.readTree(
            "{\"properties\":{\"alertType\":\"IpAnomaly\",\"reason\":\"FalsePositive\","
                + "\"state\":\"Enabled\",\"expirationDateUtc\":\"2030-12-01T19:50:47Z\","
                + "\"comment\":\"Test VM\",\"suppressionAlertsScope\":{\"allOf\":[{\"field\":"
                + "\"entities.ip.address\",\"in\":[\"104.215.95.187\"]}]}}}"),
        JSON.readTree(put.body()));
    assertEquals(SUBSCRIPTION, written.subscriptionId());
    assertTrue(written.lastModified() != null, "the service stamps lastModifiedUtc");
    assertEquals(
        written,
        defender.findSuppressionRule(SUBSCRIPTION, "dismissIpAnomalyAlerts").orElseThrow());
    assertTrue(defender.findSuppressionRule(SUBSCRIPTION, "absent").isEmpty());
  }

  @Test
  void theListFollowsNextLinkToTheEnd() {
    for (int i = 0; i < 120; i++) {
      defender.putSuppressionRule(rule("rule-" + i, "Type" + i));
    }
    List<SuppressionRule> rules = new ArrayList<>();
    defender.listSuppressionRules(SUBSCRIPTION).forEach(rules::add);
    assertEquals(120, rules.size());
    assertEquals(
        3,
        emulator.requests().stream().filter(r -> r.method().equals("GET")).count(),
        "pages of 50");
  }

  @Test
  void aNameOrSubscriptionOutsideTheRulesIsRefusedBeforeAnyCall() {
    assertThrows(
        IllegalArgumentException.class,
        () -> defender.deleteSuppressionRule(SUBSCRIPTION, "../alerts/x"));
    assertThrows(IllegalArgumentException.class, () -> defender.listSuppressionRules("not-a-guid"));
    assertEquals(List.of(), emulator.requests());
  }
}
