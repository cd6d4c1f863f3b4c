package org.sentinelplaybooks.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentinelplaybooks.emulator.EmulatorHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generator of large scenarios, loaded into an emulator and read back over HTTP. */
class GeneratedScenarioTest {
  static final String WORKSPACE =
      "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-sentinel"
          + "/providers/Microsoft.OperationalInsights/workspaces/law-sentinel-prod";
  static final String MDC_SUBSCRIPTION = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
  static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  static final String SENTINEL = "?api-version=2025-06-01";

  @Test
  void theSameSeedGivesTheSameScenario() {
    String first = Scenario.generated(42, NOW, WORKSPACE, MDC_SUBSCRIPTION, 30, 3).toJson();
    assertEquals(first, Scenario.generated(42, NOW, WORKSPACE, MDC_SUBSCRIPTION, 30, 3).toJson());
    assertNotEquals(
        first, Scenario.generated(43, NOW, WORKSPACE, MDC_SUBSCRIPTION, 30, 3).toJson());
    assertThrows(
        IllegalArgumentException.class,
        () -> Scenario.generated(1, NOW, "/subscriptions/x", MDC_SUBSCRIPTION, 1, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> Scenario.generated(1, NOW, WORKSPACE, MDC_SUBSCRIPTION, 1, 0));
  }

  @Test
  void everyStatusAndAlertMixIsPresentAndTheLinksResolve() throws Exception {
    Instant before = NOW;
    try (Emulator emulator =
        Emulator.start(Scenario.generated(7, NOW, WORKSPACE, MDC_SUBSCRIPTION, 48, 2))) {
      EmulatorHttp http = new EmulatorHttp(emulator);
      EmulatorState state = emulator.state();
      List<String> ids = state.incidentIds();
      assertEquals(48, ids.size());
      assertEquals(96, state.mdcAlerts().size());
      Map<String, String> mdcStatus = new HashMap<>();
      for (ObjectNode alert : state.mdcAlerts()) {
        assertTrue(
            alert
                .path("id")
                .asText()
                .startsWith(
                    "/subscriptions/"
                        + MDC_SUBSCRIPTION
                        + "/resourceGroups/rg-generated/providers/Microsoft.Security/locations/westeurope/alerts/"),
            alert.path("id").asText());
        mdcStatus.put(
            alert.path("name").asText(), alert.path("properties").path("status").asText());
      }
      assertEquals(
          Set.of("Active", "InProgress", "Dismissed", "Resolved"),
          new HashSet<>(mdcStatus.values()));

      Set<String> combinations = new HashSet<>();
      Set<String> classifications = new HashSet<>();
      Set<Long> numbers = new HashSet<>();
      for (String id : ids) {
        JsonNode properties = state.incident(id).orElseThrow().path("properties");
        numbers.add(properties.path("incidentNumber").asLong());
        Instant created = Instant.parse(properties.path("createdTimeUtc").asText());
        Instant modified = Instant.parse(properties.path("lastModifiedTimeUtc").asText());
        assertTrue(created.isAfter(before.minus(Duration.ofDays(7))), created.toString());
        assertTrue(!modified.isBefore(created) && modified.isBefore(NOW));

        HttpResponse<String> alerts = http.send("POST", id + "/alerts" + SENTINEL, null);
        assertEquals(200, alerts.statusCode(), alerts.body());
        int open = 0;
        int count = 0;
        for (JsonNode alert : json(alerts).path("value")) {
          JsonNode alertProperties = alert.path("properties");
          assertEquals("Azure Security Center", alertProperties.path("productName").asText());
          String status = mdcStatus.get(alertProperties.path("providerAlertId").asText());
          assertTrue(status != null, "the SecurityAlert links to an MDC alert: " + alert);
          assertTrue(
              alertProperties
                  .path("resourceIdentifiers")
                  .get(0)
                  .path("resourceId")
                  .asText()
                  .startsWith(
                      "/subscriptions/" + MDC_SUBSCRIPTION + "/resourceGroups/rg-generated/"));
          open += Scenario.OPEN_MDC_STATUSES.contains(status) ? 1 : 0;
          count++;
        }
        assertEquals(2, count);
        String mix = open == 0 ? "all closed" : open == count ? "all open" : "some open";
        String status = properties.path("status").asText();
        combinations.add(status + "/" + mix);
        if (status.equals("Closed")) {
          classifications.add(properties.path("classification").asText());
          // Sentinel accepts the generated verdict as it stands.
          HttpResponse<String> put =
              http.send(
                  "PUT",
                  id + SENTINEL,
                  EmulatorTest.putBody(state.incident(id).orElseThrow().deepCopy()));
          assertEquals(200, put.statusCode(), put.body());
        }
      }
      assertEquals(48, numbers.size());
      assertTrue(numbers.contains(1L) && numbers.contains(48L));
      Set<String> expected = new HashSet<>();
      for (String status : List.of("New", "Active", "Closed")) {
        for (String mix : List.of("all closed", "some open", "all open")) {
          expected.add(status + "/" + mix);
        }
      }
      assertEquals(expected, combinations);
      assertEquals(
          Set.of("TruePositive", "BenignPositive", "FalsePositive", "Undetermined"),
          classifications);

      JsonNode graph =
          json(
              http.send(
                  "POST",
                  ResourceGraphEmulatorTest.RESOURCES,
                  ResourceGraphEmulatorTest.body(
                      List.of(MDC_SUBSCRIPTION),
                      ResourceGraphEmulatorTest.ALERTS
                          + " | where tostring(properties.Status) in~ ('Active', 'InProgress')",
                      null,
                      null)));
      assertEquals(
          mdcStatus.values().stream().filter(Scenario.OPEN_MDC_STATUSES::contains).count(),
          graph.path("totalRecords").asLong());
    }
  }

  @Test
  void withOneAlertEachTheSixPossibleMixesArePresent() {
    try (Emulator emulator =
        Emulator.start(Scenario.generated(9, NOW, WORKSPACE, MDC_SUBSCRIPTION, 12, 1))) {
      Map<String, String> mdcStatus = new HashMap<>();
      emulator
          .state()
          .mdcAlerts()
          .forEach(
              a ->
                  mdcStatus.put(
                      a.path("name").asText(), a.path("properties").path("status").asText()));
      Set<String> combinations = new HashSet<>();
      for (String id : emulator.state().incidentIds()) {
        ObjectNode incident = emulator.state().incident(id).orElseThrow();
        assertEquals(
            1, incident.path("properties").path("additionalData").path("alertsCount").asInt());
      }
      Scenario scenario = Scenario.generated(9, NOW, WORKSPACE, MDC_SUBSCRIPTION, 12, 1);
      for (JsonNode incident : scenario.root().path("sentinel").path("incidents")) {
        String providerAlertId =
            incident.path("alerts").get(0).path("properties").path("providerAlertId").asText();
        boolean open = Scenario.OPEN_MDC_STATUSES.contains(mdcStatus.get(providerAlertId));
        combinations.add(incident.path("properties").path("status").asText() + "/" + open);
      }
      assertEquals(6, combinations.size(), combinations.toString());
    }
  }
}
