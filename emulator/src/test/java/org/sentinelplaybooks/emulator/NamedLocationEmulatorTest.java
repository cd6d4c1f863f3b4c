package org.sentinelplaybooks.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentinelplaybooks.emulator.EmulatorHttp.JSON;
import static org.sentinelplaybooks.emulator.EmulatorHttp.errorCode;
import static org.sentinelplaybooks.emulator.EmulatorHttp.errorMessage;
import static org.sentinelplaybooks.emulator.EmulatorHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Entra ID Conditional Access IP named locations through Graph v1.0 over HTTP. */
class NamedLocationEmulatorTest extends AttackScenarioTest {
  static final String ID = "5f2b8a3c-9d4e-4f1a-b6c7-8e9f0a1b2c3d";
  static final String PATH = "/v1.0/identity/conditionalAccess/namedLocations/" + ID;
  static final String IPV4 = "#microsoft.graph.iPv4CidrRange";
  static final String IPV6 = "#microsoft.graph.iPv6CidrRange";

  static ObjectNode patch(String... typesAndCidrs) {
    ObjectNode body =
        JSON.createObjectNode().put("@odata.type", "#microsoft.graph.ipNamedLocation");
    ArrayNode ranges = body.putArray("ipRanges");
    for (int i = 0; i < typesAndCidrs.length; i += 2) {
      ranges
          .addObject()
          .put("@odata.type", typesAndCidrs[i])
          .put("cidrAddress", typesAndCidrs[i + 1]);
    }
    return body;
  }

  @Test
  void theSeededLocationIsReadAsGraphGivesIt() throws Exception {
    HttpResponse<String> response = http.send("GET", PATH, null);
    assertEquals(200, response.statusCode());
    JsonNode location = json(response);
    assertEquals(
        emulator.baseUrl() + "/v1.0/$metadata#identity/conditionalAccess/namedLocations/$entity",
        location.path("@odata.context").asText());
    assertEquals("#microsoft.graph.ipNamedLocation", location.path("@odata.type").asText());
    assertEquals("Blocked attacker IPs", location.path("displayName").asText());
    assertEquals(false, location.path("isTrusted").asBoolean(true));
    assertTrue(location.path("createdDateTime").isTextual());
    assertEquals(
        "[{\"@odata.type\":\"" + IPV4 + "\",\"cidrAddress\":\"198.51.100.201/32\"}]",
        location.path("ipRanges").toString());

    HttpResponse<String> unknown =
        http.send(
            "GET",
            "/v1.0/identity/conditionalAccess/namedLocations/00000000-0000-0000-0000-000000000000",
            null);
    assertEquals(404, unknown.statusCode());
    assertEquals("ResourceNotFound", errorCode(unknown));
    assertTrue(json(unknown).path("error").path("innerError").path("request-id").isTextual());
  }

  @Test
  void aPatchReplacesTheWholeListOfRanges() throws Exception {
    String modified =
        emulator.state().namedLocation(ID).orElseThrow().path("modifiedDateTime").asText();
    ObjectNode body = patch(IPV4, "203.0.113.45/32", IPV6, "2001:db8::45/128");
    body.put("displayName", "Blocked attackers");
    HttpResponse<String> response = http.send("PATCH", PATH, body.toString());
    assertEquals(204, response.statusCode());
    assertEquals("", response.body());
    JsonNode stored = emulator.state().namedLocation(ID).orElseThrow();
    assertEquals(2, stored.path("ipRanges").size(), "the old 198.51.100.201/32 is gone");
    assertEquals("203.0.113.45/32", stored.path("ipRanges").get(0).path("cidrAddress").asText());
    assertEquals(IPV6, stored.path("ipRanges").get(1).path("@odata.type").asText());
    assertEquals("Blocked attackers", stored.path("displayName").asText());
    assertEquals(false, stored.path("isTrusted").asBoolean(true), "not sent, not changed");
    assertNotEquals(modified, stored.path("modifiedDateTime").asText());

    ObjectNode rename =
        JSON.createObjectNode()
            .put("@odata.type", "#microsoft.graph.ipNamedLocation")
            .put("isTrusted", true);
    assertEquals(204, http.send("PATCH", PATH, rename.toString()).statusCode());
    assertEquals(
        2,
        emulator.state().namedLocation(ID).orElseThrow().path("ipRanges").size(),
        "no ipRanges, no change to them");
    assertTrue(emulator.state().namedLocation(ID).orElseThrow().path("isTrusted").asBoolean());
  }

  @Test
  void aPatchNeedsTheODataTypeAndAtMost2000ValidRanges() throws Exception {
    ObjectNode untyped = patch(IPV4, "203.0.113.45/32");
    untyped.remove("@odata.type");
    HttpResponse<String> refused = http.send("PATCH", PATH, untyped.toString());
    assertEquals(400, refused.statusCode());
    assertTrue(errorMessage(refused).contains("@odata.type"), errorMessage(refused));

    String[] ranges = new String[2 * 2001];
    for (int i = 0; i < 2001; i++) {
      ranges[2 * i] = IPV4;
      ranges[2 * i + 1] = "198.51." + (i / 256) + "." + (i % 256) + "/32";
    }
    HttpResponse<String> tooMany = http.send("PATCH", PATH, patch(ranges).toString());
    assertEquals(400, tooMany.statusCode());
    assertTrue(errorMessage(tooMany).contains("2000"), errorMessage(tooMany));
    assertEquals(
        204,
        http.send("PATCH", PATH, patch(java.util.Arrays.copyOf(ranges, 4000)).toString())
            .statusCode());
    assertEquals(2000, emulator.state().namedLocation(ID).orElseThrow().path("ipRanges").size());

    for (String[] bad :
        new String[][] {
          {IPV4, "203.0.113.45"},
          {IPV4, "2001:db8::1/128"},
          {IPV6, "203.0.113.45/32"},
          {"", "203.0.113.45/32"}
        }) {
      HttpResponse<String> invalid =
          http.send("PATCH", PATH, patch(IPV4, "192.0.2.1/32", bad[0], bad[1]).toString());
      assertEquals(400, invalid.statusCode(), bad[1]);
      assertTrue(errorMessage(invalid).contains(bad[1]), errorMessage(invalid));
    }
    assertEquals(
        2000,
        emulator.state().namedLocation(ID).orElseThrow().path("ipRanges").size(),
        "a refused patch changes nothing");
  }
}
