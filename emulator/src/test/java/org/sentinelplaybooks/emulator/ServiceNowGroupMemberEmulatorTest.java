package org.sentinelplaybooks.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ServiceNow's sys_user_grmember table through the Table API (GET /api/now/table/{tableName},
 * /work/shared/contracts/servicenow/table_incident_query.json): one record per user and group.
 */
class ServiceNowGroupMemberEmulatorTest {
  static final String USER = "6816f79cc0a8016401c5a33be04be441";
  static final String SOC = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
  static final String OTHER = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";
  static final Map<String, String> BASIC =
      Map.of(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString("svc:secret".getBytes(StandardCharsets.UTF_8)));

  Emulator emulator;
  EmulatorHttp http;

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.builtIn("attack"));
    emulator.state().setServiceNowAccount("svc", "secret", null, null);
    http = new EmulatorHttp(emulator);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  List<String> groups(String query) throws Exception {
    var response =
        http.send(
            "GET",
            "/api/now/table/sys_user_grmember?sysparm_fields=group&sysparm_query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8),
            null,
            BASIC);
    assertEquals(200, response.statusCode(), response.body());
    List<String> groups = new ArrayList<>();
    for (JsonNode record : EmulatorHttp.json(response).path("result")) {
      assertEquals(1, record.size(), "only the fields asked for: " + record);
      groups.add(record.path("group").asText());
    }
    return groups;
  }

  @Test
  void membershipsAreFilteredByUserAndGroupList() throws Exception {
    emulator.state().addServiceNowGroupMember(USER, OTHER);
    emulator.state().addServiceNowGroupMember("1111111111111111111111111111111a", SOC);

    assertEquals(List.of(), groups("user=" + USER + "^groupIN" + SOC));

    emulator.state().addServiceNowGroupMember(USER, SOC);

    assertEquals(
        List.of(SOC),
        groups("user=" + USER + "^groupIN" + SOC + ",ffffffffffffffffffffffffffffffff"));
    assertEquals(List.of(OTHER, SOC), groups("user=" + USER));
  }

  @Test
  void theTableIsReadOnlyAndNeedsAuthentication() throws Exception {
    assertEquals(
        401, http.send("GET", "/api/now/table/sys_user_grmember", null, Map.of()).statusCode());
    var post = http.send("POST", "/api/now/table/sys_user_grmember", "{}", BASIC);
    assertEquals(405, post.statusCode());
    assertEquals("failure", EmulatorHttp.json(post).path("status").asText());
  }
}
