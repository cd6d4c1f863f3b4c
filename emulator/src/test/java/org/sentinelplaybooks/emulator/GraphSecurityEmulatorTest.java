package org.sentinelplaybooks.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentinelplaybooks.emulator.EmulatorHttp.JSON;
import static org.sentinelplaybooks.emulator.EmulatorHttp.errorCode;
import static org.sentinelplaybooks.emulator.EmulatorHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Graph security API's alerts and incidents over HTTP, as
 * ../shared/contracts/graph/security_alerts_v2_*.json and security_incidents_get.json record them.
 */
class GraphSecurityEmulatorTest extends AttackScenarioTest {
  static final String ALERT = "da637551227677560813_-961444813";
  static final String PATH = "/v1.0/security/alerts_v2/" + ALERT;

  void seed(String id, String incidentId, String created) {
    emulator
        .state()
        .putXdrAlert(
            JSON.createObjectNode()
                .put("id", id)
                .put("incidentId", incidentId)
                .put("createdDateTime", created)
                .put("title", "Suspicious execution of hidden file"));
  }

  @Test
  void anUpdateAnswers200WithTheUpdatedAlert() throws Exception {
    seed(ALERT, "28282", "2021-04-27T12:19:27Z");
    // The update doc's own request body.
    HttpResponse<String> response =
        http.send(
            "PATCH",
            PATH,
            "{\"assignedTo\":\"secAdmin@contoso.onmicrosoft.com\",\"classification\":\"truePositive\","
                + "\"determination\":\"malware\",\"status\":\"inProgress\"}");
    assertEquals(200, response.statusCode());
    JsonNode alert = json(response);
    assertEquals(ALERT, alert.path("id").asText());
    assertEquals("inProgress", alert.path("status").asText());
    assertEquals("truePositive", alert.path("classification").asText());
    assertEquals("malware", alert.path("determination").asText());
    assertEquals("secAdmin@contoso.onmicrosoft.com", alert.path("assignedTo").asText());
    assertEquals(
        "inProgress", emulator.state().xdrAlert(ALERT).orElseThrow().path("status").asText());

    HttpResponse<String> resolved = http.send("PATCH", PATH, "{\"status\":\"resolved\"}");
    assertEquals(200, resolved.statusCode());
    assertTrue(json(resolved).path("resolvedDateTime").isTextual());
  }

  @Test
  void anUpdateWithAValueOutsideTheCsdlIsRefusedAndChangesNothing() throws Exception {
    seed(ALERT, "28282", "2021-04-27T12:19:27Z");
    // The docs' property tables name determinations the CSDL does not have; an older doc had
    // benignPositive; customDetails is not updatable.
    for (String body :
        List.of(
            "{\"determination\":\"compromisedUser\"}",
            "{\"determination\":\"clean\"}",
            "{\"classification\":\"benignPositive\"}",
            "{\"classification\":\"TruePositive\"}",
            "{\"status\":\"closed\"}",
            "{\"status\":\"unknown\"}",
            "{\"customDetails\":{\"a\":\"b\"}}",
            "{}")) {
      HttpResponse<String> response = http.send("PATCH", PATH, body);
      assertEquals(400, response.statusCode(), body);
      assertEquals("BadRequest", errorCode(response), body);
      assertTrue(json(response).path("error").path("innerError").path("request-id").isTextual());
    }
    JsonNode alert = emulator.state().xdrAlert(ALERT).orElseThrow();
    assertEquals("new", alert.path("status").asText());
    assertEquals("unknown", alert.path("classification").asText());
    assertEquals("unknown", alert.path("determination").asText());
  }

  @Test
  void anUnknownAlertOrIncidentIs404InGraphsErrorShape() throws Exception {
    for (String path : List.of(PATH, PATH + "/comments", "/v1.0/security/incidents/999999")) {
      HttpResponse<String> response =
          http.send(path.endsWith("comments") ? "POST" : "GET", path, "{\"comment\":\"x\"}");
      assertEquals(404, response.statusCode(), path);
      assertEquals("NotFound", errorCode(response));
    }
    HttpResponse<String> patch = http.send("PATCH", PATH, "{\"status\":\"resolved\"}");
    assertEquals(404, patch.statusCode());
  }

  @Test
  void theListComesNewestFirstInPagesFollowedByNextLink() throws Exception {
    for (int i = 0; i < 5; i++) {
      seed("da10" + i + "_1", "1", "2025-01-0" + (i + 1) + "T00:00:00Z");
    }
    List<String> ids = new ArrayList<>();
    String next = "/v1.0/security/alerts_v2?$top=2";
    int pages = 0;
    while (next != null) {
      HttpResponse<String> response = http.send("GET", next, null);
      assertEquals(200, response.statusCode());
      JsonNode page = json(response);
      assertTrue(page.path("value").size() <= 2);
      page.path("value").forEach(alert -> ids.add(alert.path("id").asText()));
      next = page.has("@odata.nextLink") ? http.local(page.path("@odata.nextLink").asText()) : null;
      pages++;
    }
    assertEquals(3, pages);
    assertEquals(
        List.of(
            "da104_1",
            "da103_1",
            "da102_1",
            "da101_1",
            "da100_1",
            "da4f1e2d3c-5b6a-4789-9abc-def012345678_1"),
        ids,
        "newest first, the attack scenario's alert of 2024 last");

    emulator.state().setXdrPageSize(4);
    JsonNode defaultPage = json(http.send("GET", "/v1.0/security/alerts_v2", null));
    assertEquals(4, defaultPage.path("value").size());
    assertTrue(defaultPage.has("@odata.nextLink"));
  }

  @Test
  void theListFiltersOnTheDocumentedPropertiesOnly() throws Exception {
    seed("da1_1", "1", "2024-01-01T00:00:00Z");
    seed("da2_1", "1", "2024-01-02T00:00:00Z");
    http.send("PATCH", "/v1.0/security/alerts_v2/da2_1", "{\"status\":\"resolved\"}");
    JsonNode open =
        json(
            http.send(
                "GET",
                "/v1.0/security/alerts_v2?$filter=status%20eq%20'new'%20and%20serviceSource%20eq%20'microsoftDefenderForEndpoint'",
                null));
    List<String> ids = new ArrayList<>();
    open.path("value").forEach(alert -> ids.add(alert.path("id").asText()));
    assertTrue(ids.contains("da1_1"));
    assertFalse(ids.contains("da2_1"));

    HttpResponse<String> byTitle =
        http.send("GET", "/v1.0/security/alerts_v2?$filter=title%20eq%20'x'", null);
    assertEquals(400, byTitle.statusCode());
  }

  @Test
  void anIncidentComesWithItsAlertsWhenExpandedAndNamesWhereItWasRedirected() throws Exception {
    seed(ALERT, "28282", "2021-04-27T12:19:27Z");
    seed("da999_1", "11111", "2021-04-27T12:19:27Z");
    emulator
        .state()
        .putXdrIncident(
            JSON.createObjectNode()
                .put("id", "28282")
                .put("status", "redirected")
                .put("redirectIncidentId", "29000"));
    JsonNode plain = json(http.send("GET", "/v1.0/security/incidents/28282", null));
    assertEquals("redirected", plain.path("status").asText());
    assertEquals("29000", plain.path("redirectIncidentId").asText());
    assertFalse(plain.has("alerts"));

    JsonNode expanded =
        json(http.send("GET", "/v1.0/security/incidents/28282?$expand=alerts", null));
    assertEquals(1, expanded.path("alerts").size());
    assertEquals(ALERT, expanded.path("alerts").path(0).path("id").asText());

    JsonNode alerts = json(http.send("GET", "/v1.0/security/incidents/28282/alerts", null));
    assertEquals(1, alerts.path("value").size());
  }

  @Test
  void aCommentIsAddedAndTheAnswerListsEveryComment() throws Exception {
    seed(ALERT, "28282", "2021-04-27T12:19:27Z");
    HttpResponse<String> response =
        http.send(
            "POST",
            PATH + "/comments",
            "{\"@odata.type\":\"microsoft.graph.security.alertComment\",\"comment\":\"Closed\"}");
    assertEquals(200, response.statusCode());
    assertEquals("Closed", json(response).path("value").path(0).path("comment").asText());
    assertEquals(400, http.send("POST", PATH + "/comments", "{\"comment\":\"\"}").statusCode());
  }

  @Test
  void serviceSourcesAfterUnknownFutureValueNeedThePreferHeader() throws Exception {
    emulator
        .state()
        .putXdrAlert(
            JSON.createObjectNode()
                .put("id", "fa1")
                .put("serviceSource", "microsoftDefenderForCloud"));
    String path = "/v1.0/security/alerts_v2/fa1";
    assertEquals(
        "unknownFutureValue", json(http.send("GET", path, null)).path("serviceSource").asText());
    assertEquals(
        "microsoftDefenderForCloud",
        json(http.send("GET", path, null, "Prefer", "include-unknown-enum-members"))
            .path("serviceSource")
            .asText());
  }
}
