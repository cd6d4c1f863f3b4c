package org.sentinelplaybooks.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentinelplaybooks.emulator.EmulatorHttp.JSON;
import static org.sentinelplaybooks.emulator.EmulatorHttp.errorCode;
import static org.sentinelplaybooks.emulator.EmulatorHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Graph's identity routes as the references give them: checkMemberGroups takes at most 20 groups
 * (contracts/graph/users_checkMemberGroups.json), directory roles through an OData cast on
 * transitiveMemberOf (users_memberOf_directoryRoles.json), risky users in pages
 * (riskyUsers_list.json).
 */
class IdentityEmulatorTest extends AttackScenarioTest {
  static final String BOB = "2c3d4e5f-6071-4829-93a4-b5c6d7e8f9a0";
  static final String JDOE = "6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89";
  static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
  static final String DOMAIN_ADMINS = "7a7a7a7a-0002-4000-8000-000000000002";
  static final String ROLES =
      "/transitiveMemberOf/microsoft.graph.directoryRole?$count=true&$select=id,roleTemplateId";
  static final Map<String, String> EVENTUAL =
      Map.of("Authorization", "Bearer test-token", "ConsistencyLevel", "eventual");

  @Test
  void checkMemberGroupsTakesAtMostTwentyGroups() throws Exception {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode ids = body.putArray("groupIds");
    for (int i = 0; i < 21; i++) {
      ids.add(String.format("7a7a7a7a-0001-4000-8000-%012d", i));
    }
    HttpResponse<String> tooMany =
        http.send("POST", "/v1.0/users/" + BOB + "/checkMemberGroups", body.toString());
    assertEquals(400, tooMany.statusCode());
    assertEquals("Request_BadRequest", errorCode(tooMany));

    ids.remove(20);
    HttpResponse<String> twenty =
        http.send("POST", "/v1.0/users/" + BOB + "/checkMemberGroups", body.toString());
    assertEquals(200, twenty.statusCode());
    assertEquals(
        "[\"7a7a7a7a-0001-4000-8000-000000000001\"]", json(twenty).path("value").toString());
  }

  @Test
  void directoryRolesAreListedThroughGroupsAndNeedTheEventualHeader() throws Exception {
    emulator
        .state()
        .putDirectoryRole(
            JSON.createObjectNode()
                .put("id", "d1d1d1d1-0000-4000-8000-000000000001")
                .put("roleTemplateId", GLOBAL_ADMINISTRATOR)
                .put("displayName", "Global Administrator")
                .set("members", JSON.createArrayNode().add(DOMAIN_ADMINS)));

    HttpResponse<String> withoutHeader = http.send("GET", "/v1.0/users/" + BOB + ROLES, null);
    assertEquals(400, withoutHeader.statusCode());
    assertEquals("Request_UnsupportedQuery", errorCode(withoutHeader));

    JsonNode bob = json(http.send("GET", "/v1.0/users/" + BOB + ROLES, null, EVENTUAL));
    assertEquals(1, bob.path("@odata.count").asInt());
    assertEquals(
        "#microsoft.graph.directoryRole", bob.path("value").get(0).path("@odata.type").asText());
    assertEquals(GLOBAL_ADMINISTRATOR, bob.path("value").get(0).path("roleTemplateId").asText());
    JsonNode jdoe = json(http.send("GET", "/v1.0/users/" + JDOE + ROLES, null, EVENTUAL));
    assertEquals(0, jdoe.path("value").size());
  }

  @Test
  void riskyUsersComeInPagesThatCarryTheFilterOn() throws Exception {
    StringBuilder risky = new StringBuilder("{\"entra\":{\"riskyUsers\":[");
    for (int i = 0; i < 3; i++) {
      risky
          .append(i == 0 ? "" : ",")
          .append(
              String.format(
                  "{\"id\":\"5a5a5a5a-0000-4000-8000-%012d\",\"riskState\":\"confirmedCompromised\"}",
                  i));
    }
    String scenario = risky.append("]}}").toString();
    emulator.close();
    emulator = Emulator.start(Scenario.fromJson(scenario));
    http = new EmulatorHttp(emulator);
    emulator.state().setGraphPageSize(2);

    String list =
        "/v1.0/identityProtection/riskyUsers?$filter=riskState%20eq%20'confirmedCompromised'";
    JsonNode first = json(http.send("GET", list, null));
    assertEquals(2, first.path("value").size());
    String next = first.path("@odata.nextLink").asText();
    assertTrue(next.contains("$skiptoken=2") && next.contains("confirmedCompromised"), next);

    // Identity Protection takes one call a second: the next page is read from a fresh copy.
    try (Emulator again = Emulator.start(Scenario.fromJson(scenario))) {
      again.state().setGraphPageSize(2);
      JsonNode second = json(new EmulatorHttp(again).send("GET", http.local(next), null));
      assertEquals(1, second.path("value").size());
      assertFalse(second.has("@odata.nextLink"));
    }
    try (Emulator again = Emulator.start(Scenario.fromJson(scenario))) {
      HttpResponse<String> tooBig =
          new EmulatorHttp(again).send("GET", "/v1.0/identityProtection/riskyUsers?$top=501", null);
      assertEquals(400, tooBig.statusCode());
    }
  }
}
