package org.sentinelplaybooks.clients.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.MdcAlert;
import org.sentinelplaybooks.clients.defender.MdcAlertId;
import org.sentinelplaybooks.clients.defender.MdcAlertRef;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;

/** The Sentinel and Defender for Cloud clients against the emulator, over HTTP. */
class SentinelClientTest {
  static final WorkspaceId WORKSPACE =
      WorkspaceId.parse(
          "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-sentinel"
              + "/providers/Microsoft.OperationalInsights/workspaces/law-sentinel-prod");
  static final IncidentId INCIDENT =
      new IncidentId(WORKSPACE, "63883bf7-5be1-42f4-809a-0417943b837b");
  static final ClientOptions FAST =
      new ClientOptions(3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5));

  Emulator emulator;
  SentinelClient sentinel;
  DefenderForCloudClient defender;

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.builtIn("attack"));
    sentinel = SentinelClient.builder().endpoint(emulator.baseUrl()).options(FAST).buildClient();
    defender =
        DefenderForCloudClient.builder().endpoint(emulator.baseUrl()).options(FAST).buildClient();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void getsTheIncidentWithItsEtag() {
    Incident incident = sentinel.getIncident(INCIDENT);
    assertEquals(INCIDENT, incident.id());
    assertTrue(incident.etag().startsWith("\"") && incident.etag().endsWith("\""), incident.etag());
    assertEquals("High", incident.severity());
    assertEquals("New", incident.status());
    assertEquals(4217L, incident.incidentNumber());
    assertEquals(List.of("brute-force"), incident.labels());
    RecordedRequest get = emulator.requests().get(0);
    assertEquals("GET", get.method());
    assertEquals(INCIDENT.armId(), get.path());
    assertEquals(SentinelClient.API_VERSION, get.query().get("api-version"));
  }

  @Test
  void entitiesAreReadAsAccountsAndAddressesWithANameForReaders() {
    List<IncidentEntity> entities = sentinel.listEntities(INCIDENT);

    assertEquals(
        List.of("Ip", "Account", "Host", "AzureResource"),
        entities.stream().map(IncidentEntity::kind).toList());
    assertEquals(
        List.of(new IpEntity("203.0.113.45")),
        entities.stream().flatMap(e -> e.asIp().stream()).toList());
    AccountEntity account =
        entities.stream().flatMap(e -> e.asAccount().stream()).findFirst().orElseThrow();
    assertEquals(
        new AccountEntity("6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89", "jdoe", "contoso.com"), account);
    assertEquals("jdoe@contoso.com", account.userPrincipalName());
    assertEquals(
        List.of("203.0.113.45", "jdoe@contoso.com", "vm-web-01", "vm-web-01"),
        entities.stream().map(IncidentEntity::displayName).toList());
    RecordedRequest list = emulator.requests().get(0);
    assertEquals("POST", list.method());
    assertEquals(INCIDENT.armId() + "/entities", list.path());
  }

  @Test
  void anAccountWithoutBothNamePartsHasNoUserPrincipalName() {
    assertEquals(null, new AccountEntity(null, "jdoe", null).userPrincipalName());
    assertEquals(
        "jdoe@contoso.com", new AccountEntity(null, " jdoe ", "contoso.com ").userPrincipalName());
  }

  @Test
  void aConcurrentWriterIsNotOverwritten() {
    SentinelClient analyst =
        SentinelClient.builder().endpoint(emulator.baseUrl()).options(FAST).buildClient();
    AtomicInteger asked = new AtomicInteger();

    SentinelClient.UpdateResult result =
        sentinel.updateIncident(
            INCIDENT,
            current -> {
              if (asked.getAndIncrement() == 0) {
                // Another writer changes the incident between our read and our write.
                analyst.updateIncident(
                    INCIDENT, other -> Optional.of(IncidentUpdate.addLabel("analyst-note")));
              }
              return Optional.of(
                  IncidentUpdate.close("FalsePositive", "InaccurateData", "closing"));
            });

    assertTrue(result.written());
    assertEquals(1, result.conflicts());
    assertEquals(2, asked.get(), "asked again after re-reading");
    Incident after = sentinel.getIncident(INCIDENT);
    assertEquals("Closed", after.status());
    assertEquals("InaccurateData", after.classificationReason());
    assertEquals(
        List.of("brute-force", "analyst-note"), after.labels(), "the other writer's label is kept");
    List<Integer> putStatuses =
        emulator.requests().stream()
            .filter(r -> r.method().equals("PUT"))
            .map(RecordedRequest::status)
            .toList();
    assertEquals(List.of(200, 412, 200), putStatuses);
  }

  JsonNode lastPutProperties() throws Exception {
    RecordedRequest put =
        emulator.requests().stream()
            .filter(r -> r.method().equals("PUT") && r.path().equals(INCIDENT.armId()))
            .reduce((first, second) -> second)
            .orElseThrow();
    assertEquals(200, put.status(), put.body());
    return new ObjectMapper().readTree(put.body()).path("properties");
  }

  /**
   * Closing an incident a person reopened (it still carries the earlier verdict) as Undetermined
   * sends no reason and no comment: Undetermined takes no reason (Incidents.json
   * classificationReason), and the earlier comment explained the earlier verdict.
   */
  @Test
  void reclosingAsUndeterminedKeepsNoEarlierReasonOrComment() throws Exception {
    emulator
        .state()
        .editIncident(
            INCIDENT.armId(),
            incident ->
                ((ObjectNode) incident.path("properties"))
                    .put("status", "Active")
                    .put("classification", "TruePositive")
                    .put("classificationReason", "SuspiciousActivity")
                    .put("classificationComment", "Brute force confirmed"));

    SentinelClient.UpdateResult result =
        sentinel.updateIncident(
            INCIDENT, current -> Optional.of(IncidentUpdate.close("Undetermined", null, null)));

    assertTrue(result.written());
    JsonNode sent = lastPutProperties();
    assertEquals("Closed", sent.path("status").asText());
    assertEquals("Undetermined", sent.path("classification").asText());
    assertFalse(sent.has("classificationReason"), sent.toString());
    assertFalse(sent.has("classificationComment"), sent.toString());
    Incident after = sentinel.getIncident(INCIDENT);
    assertEquals("Undetermined", after.classification());
    assertEquals(null, after.classificationReason());
    assertEquals(null, after.classificationComment());
  }

  /**
   * A PUT sends back only what Incidents.json lets a client write: not providerName,
   * providerIncidentId or the other read-only properties, and labels by name only (labelType is
   * read-only in common/IncidentTypes.json).
   */
  @Test
  void aPutSendsNoReadOnlyProperty() throws Exception {
    Incident before = sentinel.getIncident(INCIDENT);
    assertEquals("Azure Sentinel", before.properties().path("providerName").asText());

    sentinel.updateIncident(INCIDENT, current -> Optional.of(IncidentUpdate.addLabel("triaged")));

    JsonNode sent = lastPutProperties();
    for (String readOnly :
        List.of(
            "providerName",
            "providerIncidentId",
            "incidentNumber",
            "incidentUrl",
            "createdTimeUtc",
            "lastModifiedTimeUtc",
            "additionalData",
            "relatedAnalyticRuleIds")) {
      assertFalse(sent.has(readOnly), readOnly + " was sent: " + sent);
    }
    assertEquals(2, sent.path("labels").size(), sent.toString());
    for (JsonNode label : sent.path("labels")) {
      assertEquals(List.of("labelName"), fieldNames(label), label.toString());
    }
    assertEquals(List.of("brute-force", "triaged"), sentinel.getIncident(INCIDENT).labels());
    assertEquals(
        "Azure Sentinel",
        sentinel.getIncident(INCIDENT).properties().path("providerName").asText(),
        "the service keeps its own read-only properties");
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void anUpdateThatIsNotNeededWritesNothing() {
    SentinelClient.UpdateResult result =
        sentinel.updateIncident(INCIDENT, current -> Optional.empty());
    assertFalse(result.written());
    assertTrue(emulator.requests().stream().noneMatch(RecordedRequest::isWrite));
  }

  @Test
  void listsIncidentsPageByPageWithFilterAndOrder() {
    List<Incident> all =
        sentinel
            .listIncidents(
                WORKSPACE, "properties/status ne 'Closed'", "properties/createdTimeUtc asc", 1)
            .stream()
            .toList();
    assertEquals(2, all.size());
    List<RecordedRequest> pages = emulator.requests();
    assertEquals(2, pages.size(), "one request per page");
    assertEquals("properties/status ne 'Closed'", pages.get(0).query().get("$filter"));
    assertEquals("properties/createdTimeUtc asc", pages.get(0).query().get("$orderby"));
    assertEquals("1", pages.get(0).query().get("$top"));
    assertTrue(pages.get(1).query().containsKey("$skipToken"), pages.get(1).query().toString());
  }

  @Test
  void typedFiltersAreSentAsTheirODataFilter() {
    java.time.Instant since = java.time.Instant.parse("2024-05-15T08:00:00Z");

    sentinel
        .listIncidentsOldestFirst(WORKSPACE, IncidentFilter.openOrModifiedSince(since), 1000)
        .stream()
        .count();
    sentinel.listIncidents(WORKSPACE, IncidentFilter.providerIncidentId("28'282"), 2).stream()
        .count();

    List<RecordedRequest> lists = emulator.requests();
    assertEquals(
        "properties/status ne 'Closed' or properties/lastModifiedTimeUtc ge 2024-05-15T08:00:00Z",
        lists.get(0).query().get("$filter"));
    assertEquals("properties/createdTimeUtc asc", lists.get(0).query().get("$orderby"));
    assertEquals("1000", lists.get(0).query().get("$top"));
    assertEquals("properties/providerIncidentId eq '28''282'", lists.get(1).query().get("$filter"));
    assertFalse(lists.get(1).query().containsKey("$orderby"), lists.get(1).query().toString());
    assertEquals(
        "properties/lastModifiedTimeUtc ge 2024-05-15T08:00:00Z",
        IncidentFilter.modifiedSince(since).toString());
  }

  @Test
  void listsAlertsAndEntitiesOfTheIncident() {
    List<SecurityAlert> alerts = sentinel.listAlerts(INCIDENT);
    assertEquals(6, alerts.size());
    assertEquals(
        5,
        alerts.stream().filter(MdcAlertRef::isDefenderForCloudAlert).count(),
        "five from Defender for Cloud, one from Defender for Endpoint");
    assertEquals("Microsoft Defender Advanced Threat Protection", alerts.get(5).productName());
    List<IncidentEntity> entities = sentinel.listEntities(INCIDENT);
    assertEquals(
        List.of("Account", "AzureResource", "Host", "Ip"),
        entities.stream().map(IncidentEntity::kind).sorted().toList());
    assertTrue(emulator.requests().stream().allMatch(r -> r.method().equals("POST")));
    assertTrue(
        emulator.requests().stream().noneMatch(RecordedRequest::isWrite),
        "listing alerts and entities is a read");
  }

  @Test
  void aCommentWithTheSameIdReplacesInsteadOfAdding() {
    sentinel.putComment(INCIDENT, "5b7f1c9e-0000-4000-8000-000000000001", "first");
    sentinel.putComment(INCIDENT, "5b7f1c9e-0000-4000-8000-000000000001", "first, retried");
    assertEquals(List.of("first, retried"), sentinel.listComments(INCIDENT));
    assertEquals(
        List.of(201, 200),
        emulator.requests().stream()
            .filter(r -> r.method().equals("PUT"))
            .map(RecordedRequest::status)
            .toList());
  }

  @Test
  void aMissingIncidentIsNotFound() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                sentinel.getIncident(
                    new IncidentId(WORKSPACE, "00000000-0000-0000-0000-000000000000")));
    assertTrue(e.isNotFound());
    assertEquals("Sentinel", e.service());
  }

  @Test
  void findsEveryLinkedDefenderAlertWhereverItLives() {
    List<SecurityAlert> alerts =
        sentinel.listAlerts(INCIDENT).stream()
            .filter(MdcAlertRef::isDefenderForCloudAlert)
            .toList();
    assertEquals(5, alerts.size());
    for (SecurityAlert alert : alerts) {
      MdcAlertRef ref = MdcAlertRef.of(alert).orElseThrow();
      MdcAlert found = defender.findAlert(ref).orElseThrow();
      assertEquals(alert.providerAlertId(), found.id().name());
      assertEquals("Active", found.status());
    }
  }

  @Test
  void dismissingChangesTheStateAndIsANoOpTheSecondTime() {
    SecurityAlert first = sentinel.listAlerts(INCIDENT).get(0);
    MdcAlertId id = defender.findAlert(MdcAlertRef.of(first).orElseThrow()).orElseThrow().id();
    defender.dismiss(id);
    defender.dismiss(id);
    assertEquals("Dismissed", defender.getAlert(id).status());
    assertEquals(
        List.of(204, 204),
        emulator.requests().stream()
            .filter(r -> r.path().endsWith("/dismiss"))
            .map(RecordedRequest::status)
            .toList());
    defender.activate(id);
    assertEquals("Active", defender.getAlert(id).status());
  }

  @Test
  void listsDefenderAlertsToTheLastPage() {
    emulator.state().setMdcPageSize(2);
    List<MdcAlert> alerts =
        defender.listAlerts("1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6", null, null).stream().toList();
    assertEquals(
        4, alerts.size(), "three linked alerts and one of no incident in the first subscription");
    assertEquals(2, emulator.requests().size());
    assertTrue(
        emulator.requests().stream()
            .allMatch(
                r -> r.query().get("api-version").equals(DefenderForCloudClient.API_VERSION)));
  }

  @Test
  void armThrottlingIsWaitedOutAsRetryAfterAsksWithoutUsingUpTheRetries() {
    SentinelClient noRetries =
        SentinelClient.builder()
            .endpoint(emulator.baseUrl())
            .options(
                new ClientOptions(
                    0, Duration.ofMillis(10), Duration.ofMillis(10), FAST.responseTimeout()))
            .buildClient();
    emulator.state().setArmThrottling(1, 1, 1, 1);

    for (int i = 0; i < 3; i++) {
      assertEquals(INCIDENT, noRetries.getIncident(INCIDENT).id());
    }

    List<Integer> statuses = emulator.requests().stream().map(RecordedRequest::status).toList();
    assertEquals(3, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    assertTrue(
        statuses.stream().allMatch(s -> s == 200 || s == 429)
            && emulator.state().armThrottled() >= 2,
        "refused reads were sent again after their Retry-After, though no retry was allowed: "
            + statuses);
  }
}
