package org.sentinelplaybooks.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentinelplaybooks.emulator.EmulatorHttp.JSON;
import static org.sentinelplaybooks.emulator.EmulatorHttp.errorCode;
import static org.sentinelplaybooks.emulator.EmulatorHttp.errorMessage;
import static org.sentinelplaybooks.emulator.EmulatorHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Defender for Cloud alert suppression rules over HTTP, as the contract files
 * security/alertsSuppressionRules_*.json show them (spec
 * specification/security/resource-manager/Microsoft.Security/preview/2019-01-01-preview/
 * alertsSuppressionRules.json and its examples in Azure/azure-rest-api-specs).
 */
class SuppressionRulesEmulatorTest extends AttackScenarioTest {
  static final String SUBSCRIPTION = "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6";
  static final String RULES =
      "/subscriptions/" + SUBSCRIPTION + "/providers/Microsoft.Security/alertsSuppressionRules";
  static final String VERSION = "?api-version=2019-01-01-preview";
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @BeforeEach
  void fixTheClock() {
    emulator.state().setSuppressionClock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** The body of the spec's PUT example, with the spec's casing (expirationDateUtc). */
  static ObjectNode exampleRule() {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode properties = body.putObject("properties");
    properties
        .put("alertType", "IpAnomaly")
        .put("expirationDateUtc", "2027-01-01T19:50:47.083633Z")
        .put("state", "Enabled")
        .put("reason", "FalsePositive")
        .put("comment", "Test VM");
    var allOf = properties.putObject("suppressionAlertsScope").putArray("allOf");
    allOf.addObject().put("field", "entities.ip.address").putArray("in").add("104.215.95.187");
    allOf
        .addObject()
        .put("field", "entities.process.commandline")
        .put("contains", "POWERSHELL.EXE");
    return body;
  }

  HttpResponse<String> put(String name, JsonNode body) throws Exception {
    return http.send("PUT", RULES + "/" + name + VERSION, body.toString());
  }

  @Test
  void aPutRuleIsReadBackWithItsIdAndTheSpecCasing() throws Exception {
    HttpResponse<String> put = put("dismissIpAnomalyAlerts", exampleRule());
    assertEquals(200, put.statusCode(), put.body());
    JsonNode rule = json(put);
    assertEquals(RULES + "/dismissIpAnomalyAlerts", rule.path("id").asText());
    assertEquals("dismissIpAnomalyAlerts", rule.path("name").asText());
    assertEquals("Microsoft.Security/alertsSuppressionRules", rule.path("type").asText());
    JsonNode properties = rule.path("properties");
    assertEquals(NOW.toString(), properties.path("lastModifiedUtc").asText());
    assertEquals("2027-01-01T19:50:47.083633Z", properties.path("expirationDateUtc").asText());
    assertEquals(
        "104.215.95.187",
        properties
            .path("suppressionAlertsScope")
            .path("allOf")
            .path(0)
            .path("in")
            .path(0)
            .asText());

    HttpResponse<String> get = http.send("GET", RULES + "/dismissIpAnomalyAlerts" + VERSION, null);
    assertEquals(200, get.statusCode());
    assertEquals(rule, json(get));
  }

  @Test
  void theListFiltersByAlertTypeAndADeletedRuleIsGone() throws Exception {
    put("dismissIpAnomalyAlerts", exampleRule());
    ObjectNode other = exampleRule();
    ((ObjectNode) other.path("properties")).put("alertType", "DataExfiltrationAnomaly");
    ((ObjectNode) other.path("properties")).remove("suppressionAlertsScope");
    put("dismissDataExfiltration", other);

    JsonNode all = json(http.send("GET", RULES + VERSION, null));
    assertEquals(2, all.path("value").size(), all.toString());
    JsonNode filtered = json(http.send("GET", RULES + VERSION + "&AlertType=IpAnomaly", null));
    assertEquals(1, filtered.path("value").size());
    assertEquals("dismissIpAnomalyAlerts", filtered.path("value").path(0).path("name").asText());

    HttpResponse<String> deleted =
        http.send("DELETE", RULES + "/dismissIpAnomalyAlerts" + VERSION, null);
    assertEquals(204, deleted.statusCode());
    assertEquals("", deleted.body());
    HttpResponse<String> gone = http.send("GET", RULES + "/dismissIpAnomalyAlerts" + VERSION, null);
    assertEquals(404, gone.statusCode());
    assertEquals("NotFound", errorCode(gone));
    assertEquals(1, json(http.send("GET", RULES + VERSION, null)).path("value").size());
  }

  @Test
  void onlyThePreviewApiVersionIsServed() throws Exception {
    HttpResponse<String> response = http.send("GET", RULES + "?api-version=2022-01-01", null);
    assertEquals(400, response.statusCode());
    assertEquals("InvalidApiVersionParameter", errorCode(response));
  }

  @ParameterizedTest
  @ValueSource(strings = {"alertType", "reason", "state"})
  void aRuleWithoutARequiredPropertyIsRefused(String property) throws Exception {
    ObjectNode body = exampleRule();
    ((ObjectNode) body.path("properties")).remove(property);
    HttpResponse<String> response = put("dismissIpAnomalyAlerts", body);
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(errorMessage(response).contains(property), errorMessage(response));
    assertTrue(emulator.state().suppressionRules().isEmpty());
  }

  @ParameterizedTest
  @CsvSource({
    "state, On",
    "reason, BecauseISaidSo",
    "expirationDateUtc, next week",
  })
  void aRuleWithAValueOutsideTheEnumIsRefused(String property, String value) throws Exception {
    ObjectNode body = exampleRule();
    ((ObjectNode) body.path("properties")).put(property, value);
    HttpResponse<String> response = put("dismissIpAnomalyAlerts", body);
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(errorMessage(response).contains(property), errorMessage(response));
    assertTrue(emulator.state().suppressionRules().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "-leading-dash",
        "has.dot",
        "x123456789012345678901234567890123456789012345678901"
      })
  void aNameOutsideThePortalRuleIsRefused(String name) throws Exception {
    HttpResponse<String> response = put(name, exampleRule());
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(errorMessage(response).contains("2 and 50"), errorMessage(response));
    assertTrue(emulator.state().suppressionRules().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"allOf\": []}",
        "{\"allOf\": [{\"field\": \"entities.ip.adress\", \"in\": [\"1.2.3.4\"]}]}",
        "{\"allOf\": [{\"field\": \"entities.ip.address\"}]}",
        "{\"allOf\": [{\"field\": \"entities.ip.address\", \"in\": []}]}",
      })
  void aScopeThatIsNotAllOfKnownConditionsIsRefused(String scope) throws Exception {
    ObjectNode body = exampleRule();
    ((ObjectNode) body.path("properties")).set("suppressionAlertsScope", JSON.readTree(scope));
    HttpResponse<String> response = put("dismissIpAnomalyAlerts", body);
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(errorMessage(response).contains("suppressionAlertsScope"), errorMessage(response));
    assertTrue(emulator.state().suppressionRules().isEmpty());
  }

  static ObjectNode alert(String name, String alertType, String ip) {
    ObjectNode alert = JSON.createObjectNode();
    alert.put(
        "id",
        "/subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/rg-prod-web/providers/Microsoft.Security/locations/westeurope/alerts/"
            + name);
    alert.put("name", name);
    ObjectNode properties = alert.putObject("properties");
    properties.put("alertType", alertType).put("status", "Active");
    properties.putArray("entities").addObject().put("type", "ip").put("address", ip);
    return alert;
  }

  String statusOf(ObjectNode alert) {
    return emulator
        .state()
        .mdcAlert(alert.path("id").asText())
        .orElseThrow()
        .path("properties")
        .path("status")
        .asText();
  }

  @Test
  void anEnabledRuleDismissesMatchingAlertsRaisedAfterItAndOnlyThose() throws Exception {
    ObjectNode before = alert("before", "IpAnomaly", "104.215.95.187");
    emulator.state().putMdcAlert(before);
    ObjectNode body = exampleRule();
    ((com.fasterxml.jackson.databind.node.ArrayNode)
            body.path("properties").path("suppressionAlertsScope").path("allOf"))
        .remove(1);
    assertEquals(200, put("dismissIpAnomalyAlerts", body).statusCode());

    ObjectNode matching = alert("matching", "IpAnomaly", "104.215.95.187");
    ObjectNode otherIp = alert("other-ip", "IpAnomaly", "198.51.100.7");
    ObjectNode otherType = alert("other-type", "VM_EICAR", "104.215.95.187");
    ObjectNode otherSubscription = alert("other-subscription", "IpAnomaly", "104.215.95.187");
    otherSubscription.put(
        "id",
        otherSubscription
            .path("id")
            .asText()
            .replace(SUBSCRIPTION, "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"));
    for (ObjectNode alert : new ObjectNode[] {matching, otherIp, otherType, otherSubscription}) {
      emulator.state().putMdcAlert(alert);
    }

    assertEquals("Active", statusOf(before), "raised before the rule");
    assertEquals("Dismissed", statusOf(matching));
    assertEquals("Active", statusOf(otherIp));
    assertEquals("Active", statusOf(otherType));
    assertEquals("Active", statusOf(otherSubscription));
  }

  @Test
  void aDisabledOrExpiredRuleDismissesNothing() throws Exception {
    ObjectNode disabled = exampleRule();
    ((ObjectNode) disabled.path("properties")).put("state", "Disabled");
    ((ObjectNode) disabled.path("properties")).remove("suppressionAlertsScope");
    assertEquals(200, put("disabled", disabled).statusCode());
    ObjectNode expiring = exampleRule();
    ((ObjectNode) expiring.path("properties")).put("alertType", "VM_EICAR");
    ((ObjectNode) expiring.path("properties")).remove("suppressionAlertsScope");
    ((ObjectNode) expiring.path("properties"))
        .put("expirationDateUtc", NOW.plus(Duration.ofDays(1)).toString());
    assertEquals(200, put("expiring", expiring).statusCode());

    ObjectNode whileValid = alert("while-valid", "VM_EICAR", "198.51.100.7");
    emulator.state().putMdcAlert(whileValid);
    assertEquals("Dismissed", statusOf(whileValid));

    emulator.state().setSuppressionClock(Clock.fixed(NOW.plus(Duration.ofDays(2)), ZoneOffset.UTC));
    ObjectNode afterExpiry = alert("after-expiry", "VM_EICAR", "198.51.100.7");
    ObjectNode ofDisabled = alert("of-disabled", "IpAnomaly", "104.215.95.187");
    emulator.state().putMdcAlert(afterExpiry);
    emulator.state().putMdcAlert(ofDisabled);
    assertEquals("Active", statusOf(afterExpiry));
    assertEquals("Active", statusOf(ofDisabled));
    assertFalse(emulator.state().suppressionRules().isEmpty());
  }
}
