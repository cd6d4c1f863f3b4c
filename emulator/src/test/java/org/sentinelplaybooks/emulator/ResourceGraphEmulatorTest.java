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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Azure Resource Graph queries over the Defender for Cloud alerts. */
class ResourceGraphEmulatorTest extends AttackScenarioTest {
  static final String RESOURCES =
      "/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01";
  static final String WEB_SUBSCRIPTION = "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6";
  static final String DB_SUBSCRIPTION = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
  static final String ALERTS =
      "securityresources | where type =~ 'microsoft.security/locations/alerts'";
  static final String PROJECT =
      " | project id, name, status = tostring(properties.Status),"
          + " severity = tostring(properties.Severity),"
          + " displayName = tostring(properties.AlertDisplayName) | order by id asc";

  static String body(List<String> subscriptions, String query, Integer top, String skipToken) {
    ObjectNode body = JSON.createObjectNode();
    subscriptions.forEach(body.putArray("subscriptions")::add);
    body.put("query", query);
    ObjectNode options = body.putObject("options");
    if (top != null) {
      options.put("$top", top);
    }
    if (skipToken != null) {
      options.put("$skipToken", skipToken);
    }
    return body.toString();
  }

  HttpResponse<String> query(List<String> subscriptions, String query) throws Exception {
    return http.send("POST", RESOURCES, body(subscriptions, query, null, null));
  }

  List<JsonNode> rows(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    List<JsonNode> rows = new ArrayList<>();
    json(response).path("data").forEach(rows::add);
    return rows;
  }

  @Test
  void pagesWithTopTwoReturnEveryAlertOnceInIdOrder() throws Exception {
    List<String> ids = new ArrayList<>();
    String skipToken = null;
    int pages = 0;
    do {
      HttpResponse<String> response =
          http.send(
              "POST",
              RESOURCES,
              body(List.of(WEB_SUBSCRIPTION, DB_SUBSCRIPTION), ALERTS + PROJECT, 2, skipToken));
      assertEquals(200, response.statusCode(), response.body());
      JsonNode page = json(response);
      assertEquals(6, page.path("totalRecords").asInt());
      assertEquals("false", page.path("resultTruncated").asText());
      assertEquals(page.path("data").size(), page.path("count").asInt());
      for (JsonNode row : page.path("data")) {
        Set<String> keys = new HashSet<>();
        row.fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.of("id", "name", "status", "severity", "displayName"), keys);
        ids.add(row.path("id").asText());
      }
      skipToken = page.hasNonNull("$skipToken") ? page.path("$skipToken").asText() : null;
      pages++;
    } while (skipToken != null && pages < 10);
    assertEquals(3, pages);
    assertEquals(6, ids.size());
    assertEquals(6, new HashSet<>(ids).size(), "every alert once: " + ids);
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(String.CASE_INSENSITIVE_ORDER);
    assertEquals(sorted, ids);
    JsonNode first =
        rows(query(List.of(WEB_SUBSCRIPTION, DB_SUBSCRIPTION), ALERTS + PROJECT)).get(0);
    assertEquals("Active", first.path("status").asText());
    assertFalse(first.path("displayName").asText().isEmpty());
  }

  @Test
  void aSkipTokenResumesAfterItsRowEvenWhenEarlierRowsGo() throws Exception {
    JsonNode page =
        json(
            http.send(
                "POST", RESOURCES, body(List.of(WEB_SUBSCRIPTION), ALERTS + PROJECT, 2, null)));
    List<String> firstIds = new ArrayList<>();
    page.path("data").forEach(row -> firstIds.add(row.path("id").asText()));
    emulator.state().removeMdcAlert(firstIds.get(0));
    JsonNode next =
        json(
            http.send(
                "POST",
                RESOURCES,
                body(
                    List.of(WEB_SUBSCRIPTION),
                    ALERTS + PROJECT,
                    2,
                    page.path("$skipToken").asText())));
    assertEquals(2, next.path("count").asInt());
    for (JsonNode row : next.path("data")) {
      assertFalse(firstIds.contains(row.path("id").asText()), row.toString());
    }
    assertTrue(next.path("$skipToken").isMissingNode(), "three of four rows remained: " + next);
  }

  @Test
  void theStatusFilterKeepsTheOpenAlerts() throws Exception {
    String dismissed =
        "/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-prod-db/providers/Microsoft.Security/locations/northeurope/alerts/2517538088322968245_3e4f5a6b-7c8d-4e9f-0a1b-2c3d4e5f6a7b";
    String inProgress =
        "/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-prod-db/providers/Microsoft.Security/locations/northeurope/alerts/2517538088322968246_4f5a6b7c-8d9e-4f0a-1b2c-3d4e5f6a7b8c";
    assertEquals(
        204, http.send("POST", dismissed + "/dismiss?api-version=2022-01-01", null).statusCode());
    assertEquals(
        204,
        http.send("POST", inProgress + "/inProgress?api-version=2022-01-01", null).statusCode());

    List<JsonNode> open =
        rows(
            query(
                List.of(WEB_SUBSCRIPTION, DB_SUBSCRIPTION),
                ALERTS
                    + " | where tostring(properties.Status) in~ ('active', 'INPROGRESS')"
                    + PROJECT));
    assertEquals(5, open.size());
    assertTrue(open.stream().noneMatch(row -> row.path("id").asText().equals(dismissed)));
    assertTrue(
        open.stream()
            .anyMatch(
                row ->
                    row.path("id").asText().equals(inProgress)
                        && row.path("status").asText().equals("InProgress")));

    List<JsonNode> closed =
        rows(
            query(
                List.of(DB_SUBSCRIPTION),
                ALERTS
                    + "|where tostring(properties.Status) in~ ('Dismissed','Resolved')"
                    + PROJECT));
    assertEquals(1, closed.size());
    assertEquals("Dismissed", closed.get(0).path("status").asText());
  }

  /**
   * Alert rows carry PascalCase properties, as Defender for Cloud's own queries read them (Learn's
   * Resource Graph sample "Display all active Microsoft Defender for Cloud alerts",
   * MicrosoftDocs/azure-docs includes/resource-graph/samples/bycat/microsoft-defender.md: {@code
   * where properties.Status in ('Active')}, {@code tostring(properties.SystemAlertId)}), and a
   * property name is matched exactly, so the REST API's camelCase names find nothing.
   */
  @Test
  void alertRowsArePascalCaseAndPropertyNamesAreCaseSensitive() throws Exception {
    String name = "2517538088322968242_7f0ac6b4-1b41-4b9e-9f7c-5d2c6b0e1a11";
    JsonNode row =
        rows(query(List.of(WEB_SUBSCRIPTION), ALERTS + " | where name in~ ('" + name + "')"))
            .get(0);
    JsonNode properties = row.path("properties");
    assertEquals("Active", properties.path("Status").asText());
    assertEquals("High", properties.path("Severity").asText());
    assertEquals("Successful SSH brute force attack", properties.path("AlertDisplayName").asText());
    assertFalse(properties.path("SystemAlertId").asText().isEmpty(), properties.toString());
    assertFalse(
        properties.path("ResourceIdentifiers").get(0).path("AzureResourceId").asText().isEmpty(),
        properties.toString());
    for (String camel : List.of("status", "severity", "alertDisplayName", "systemAlertId")) {
      assertTrue(properties.path(camel).isMissingNode(), camel + " is not in the row");
    }

    JsonNode camelCase =
        rows(query(
                List.of(WEB_SUBSCRIPTION),
                ALERTS
                    + " | where name in~ ('"
                    + name
                    + "') | project id, status = tostring(properties.status),"
                    + " either = coalesce(tostring(properties.Status),"
                    + " tostring(properties.status)),"
                    + " other = coalesce(tostring(properties.status),"
                    + " tostring(properties.Severity))"))
            .get(0);
    assertEquals("", camelCase.path("status").asText(), "properties.status is not Status");
    assertEquals("Active", camelCase.path("either").asText());
    assertEquals("High", camelCase.path("other").asText(), "coalesce skips the empty string");

    assertEquals(
        0,
        rows(query(
                List.of(WEB_SUBSCRIPTION),
                ALERTS + " | where tostring(properties.status) in~ ('Active')"))
            .size());
    assertEquals(
        4,
        rows(query(
                List.of(WEB_SUBSCRIPTION),
                ALERTS
                    + " | where coalesce(tostring(properties.Status),"
                    + " tostring(properties.status)) in~ ('Active')"))
            .size());
  }

  @Test
  void theNameFilterIgnoresCase() throws Exception {
    String name = "2517538088322968242_7f0ac6b4-1b41-4b9e-9f7c-5d2c6b0e1a11";
    List<JsonNode> rows =
        rows(
            query(
                List.of(WEB_SUBSCRIPTION),
                ALERTS
                    + "\n| where name in~ ('"
                    + name.toUpperCase(java.util.Locale.ROOT)
                    + "', 'no-such-alert')"
                    + PROJECT));
    assertEquals(1, rows.size());
    assertEquals(name, rows.get(0).path("name").asText());
    assertEquals("High", rows.get(0).path("severity").asText());
    assertEquals("Successful SSH brute force attack", rows.get(0).path("displayName").asText());
  }

  @Test
  void anUnsupportedClauseIsABadRequestNamingIt() throws Exception {
    for (String query :
        List.of(
            ALERTS + " | summarize count() by tostring(properties.status)",
            ALERTS + " | extend sev = properties.severity" + PROJECT,
            "resources | where type =~ 'microsoft.compute/virtualmachines'",
            ALERTS + " | where properties.severity == 'High'")) {
      HttpResponse<String> response = query(List.of(WEB_SUBSCRIPTION), query);
      assertEquals(400, response.statusCode(), query);
      assertEquals("BadRequest", errorCode(response));
      String clause =
          query.contains("summarize")
              ? "summarize"
              : query.contains("extend")
                  ? "extend"
                  : query.startsWith("resources") ? "resources" : "properties.severity ==";
      assertTrue(errorMessage(response).contains(clause), errorMessage(response));
    }
  }

  @Test
  void onlyTheRequestedSubscriptionsAreSearched() throws Exception {
    List<JsonNode> db =
        rows(query(List.of(DB_SUBSCRIPTION.toUpperCase(java.util.Locale.ROOT)), ALERTS + PROJECT));
    assertEquals(2, db.size());
    assertTrue(db.stream().allMatch(row -> row.path("id").asText().contains(DB_SUBSCRIPTION)));
    assertEquals(0, rows(query(List.of("00000000-0000-0000-0000-000000000000"), ALERTS)).size());
    HttpResponse<String> none = query(List.of(), ALERTS);
    assertEquals(400, none.statusCode());
    assertEquals("BadRequest", errorCode(none));
  }

  @Test
  void theRouteChecksVersionAuthAndTop() throws Exception {
    String body = body(List.of(WEB_SUBSCRIPTION), ALERTS, null, null);
    HttpResponse<String> older =
        http.send(
            "POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01", body);
    assertEquals(200, older.statusCode(), older.body());
    JsonNode full = json(older).path("data").get(0);
    assertEquals("microsoft.security/locations/alerts", full.path("type").asText());
    assertEquals(WEB_SUBSCRIPTION, full.path("subscriptionId").asText());
    assertTrue(full.path("properties").isObject());
    assertEquals(
        400,
        http.send(
                "POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2019-04-01", body)
            .statusCode());
    assertEquals(401, http.send("POST", RESOURCES, body, Map.of()).statusCode());
    assertEquals(
        400,
        http.send("POST", RESOURCES, body(List.of(WEB_SUBSCRIPTION), ALERTS, 1001, null))
            .statusCode());
    assertEquals(
        400,
        http.send("POST", RESOURCES, body(List.of(WEB_SUBSCRIPTION), ALERTS, 2, "not-a-token"))
            .statusCode());
  }
}
