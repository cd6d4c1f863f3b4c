package org.sentinelplaybooks.clients.resourcegraph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.MdcAlertId;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;

/**
 * Alert states through Resource Graph, whose {@code securityresources} rows carry PascalCase
 * properties (Learn sample "Display all active Microsoft Defender for Cloud alerts",
 * MicrosoftDocs/azure-docs includes/resource-graph/samples/bycat/microsoft-defender.md).
 */
class ResourceGraphClientTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String WEB = "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6";
  static final String DB = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
  static final String BRUTE_FORCE =
      "/subscriptions/"
          + WEB
          + "/resourceGroups/rg-prod-web/providers/Microsoft.Security/locations/westeurope/alerts/"
          + "2517538088322968242_7f0ac6b4-1b41-4b9e-9f7c-5d2c6b0e1a11";
  static final String DB_ALERT =
      "/subscriptions/"
          + DB
          + "/resourceGroups/rg-prod-db/providers/Microsoft.Security/locations/northeurope/alerts/"
          + "2517538088322968245_3e4f5a6b-7c8d-4e9f-0a1b-2c3d4e5f6a7b";
  static final ClientOptions FAST =
      new ClientOptions(3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5));

  Emulator emulator;
  ResourceGraphClient resourceGraph;
  DefenderForCloudClient defender;

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.builtIn("attack"));
    resourceGraph =
        ResourceGraphClient.builder().endpoint(emulator.baseUrl()).options(FAST).buildClient();
    defender =
        DefenderForCloudClient.builder().endpoint(emulator.baseUrl()).options(FAST).buildClient();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  String name(String alertId) {
    return MdcAlertId.parse(alertId).name();
  }

  @Test
  void theStatesOfPascalCaseRowsAreRead() throws Exception {
    List<AlertState> states =
        resourceGraph.alertStates(Set.of(WEB), List.of(name(BRUTE_FORCE).toUpperCase()));

    assertEquals(1, states.size(), states.toString());
    AlertState state = states.get(0);
    assertEquals(BRUTE_FORCE, state.id().armId());
    assertEquals("Active", state.status());
    assertEquals("High", state.severity());
    assertEquals("Successful SSH brute force attack", state.displayName());
    assertTrue(state.isOpen());
    assertFalse(state.isUnknown());

    RecordedRequest query = emulator.requests().get(0);
    assertEquals("/providers/Microsoft.ResourceGraph/resources", query.path());
    assertEquals(ResourceGraphClient.API_VERSION, query.query().get("api-version"));
    String kql = JSON.readTree(query.body()).path("query").asText();
    for (String property :
        List.of("Status", "status", "Severity", "severity", "AlertDisplayName")) {
      assertTrue(kql.contains("tostring(properties." + property + ")"), kql);
    }
  }

  @Test
  void openAlertsAreTheActiveAndInProgressOnes() {
    defender.dismiss(MdcAlertId.parse(DB_ALERT));
    defender.markInProgress(MdcAlertId.parse(BRUTE_FORCE));

    Map<String, String> open =
        resourceGraph.openAlerts(Set.of(WEB, DB)).stream()
            .collect(Collectors.toMap(a -> a.id().armId(), AlertState::status));

    assertEquals(5, open.size(), open.toString());
    assertFalse(open.containsKey(DB_ALERT), "a dismissed alert is not open");
    assertEquals("InProgress", open.get(BRUTE_FORCE));
    assertTrue(open.values().stream().allMatch(s -> s.equals("Active") || s.equals("InProgress")));
  }

  @Test
  void anAlertWhoseStatusComesBackEmptyIsUnknownAndNotOpen() {
    ObjectNode alert = emulator.state().mdcAlert(BRUTE_FORCE).orElseThrow();
    ((ObjectNode) alert.path("properties")).remove("status");
    emulator.state().putMdcAlert(alert);

    AlertState state = resourceGraph.alertStates(Set.of(WEB), List.of(name(BRUTE_FORCE))).get(0);

    assertTrue(state.isUnknown(), state.toString());
    assertFalse(state.isOpen());
    assertFalse(state.isClosed());
    assertEquals(null, state.status());
    assertTrue(
        resourceGraph.openAlerts(Set.of(WEB)).stream()
            .noneMatch(a -> a.id().armId().equals(BRUTE_FORCE)),
        "an unknown state is not listed as open");
  }

  /**
   * More open alerts than one page holds are read page by page: each request asks for {@link
   * ResourceGraphClient#PAGE} rows, and the next one carries the {@code $skipToken} the answer gave
   * (Resources, specification/resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/
   * 2021-03-01/resourcegraph.json, QueryRequestOptions).
   */
  @Test
  void alertsPastOnePageAreReadPageByPageWithTheSkipToken() throws Exception {
    ObjectNode template = emulator.state().mdcAlert(BRUTE_FORCE).orElseThrow();
    int before = resourceGraph.openAlerts(Set.of(WEB)).size();
    for (int i = 0; i < ResourceGraphClient.PAGE; i++) {
      ObjectNode alert = template.deepCopy();
      String name = "2517538088322968242_00000000-0000-4000-8000-" + String.format("%012d", i);
      alert.put("name", name).put("id", BRUTE_FORCE.replace(name(BRUTE_FORCE), name));
      emulator.state().putMdcAlert(alert);
    }
    emulator.clearRequests();

    List<AlertState> open = resourceGraph.openAlerts(Set.of(WEB));

    assertEquals(before + ResourceGraphClient.PAGE, open.size());
    assertEquals(open.size(), open.stream().map(a -> a.id().armId()).distinct().count());
    List<RecordedRequest> queries = emulator.requests();
    assertEquals(2, queries.size(), queries.toString());
    ObjectNode first = (ObjectNode) JSON.readTree(queries.get(0).body()).path("options");
    ObjectNode second = (ObjectNode) JSON.readTree(queries.get(1).body()).path("options");
    assertEquals(ResourceGraphClient.PAGE, first.path("$top").asInt());
    assertFalse(first.has("$skipToken"), first.toString());
    assertFalse(second.path("$skipToken").asText().isBlank(), second.toString());
  }

  @Test
  void aRefusedQueryIsAnApiExceptionWithTheServicesCode() {
    emulator
        .faults()
        .inject(
            new FaultRule(
                "POST",
                "/providers/Microsoft.ResourceGraph/resources",
                Fault.status(400, null),
                1));

    ApiException e = assertThrows(ApiException.class, () -> resourceGraph.openAlerts(Set.of(WEB)));

    assertEquals("Azure Resource Graph", e.service());
    assertEquals(400, e.status());
    assertEquals("BadRequest", e.code(), e.getMessage());
    assertEquals(1, emulator.requests().size(), "a 400 is not retried");
  }
}
