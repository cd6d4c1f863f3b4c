package org.sentinelplaybooks.playbooks.close;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sentinelplaybooks.clients.implementation.LocalDevelopmentTokenPolicy;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.AttackScenario;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.PlaybookTest;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunStatus;

class CloseIncidentPlaybookTest extends PlaybookTest {
  static final String CLOSE = CloseIncidentPlaybook.NAME;
  static final String SENTINEL_API = "2025-06-01";
  static final String SECURITY_API = "2022-01-01";

  static String closeBody(String classification, String extraFields) {
    ObjectNode body = (ObjectNode) json(EmulatedAzure.triggerBody());
    body.put("classification", classification);
    if (extraFields != null) {
      json("{" + extraFields + "}")
          .fields()
          .forEachRemaining(f -> body.set(f.getKey(), f.getValue()));
    }
    return body.toString();
  }

  String alertStatus(String alertId) {
    return azure
        .emulator
        .state()
        .mdcAlert(alertId)
        .orElseThrow()
        .path("properties")
        .path("status")
        .asText();
  }

  @Test
  void closesTheIncidentAndResolvesItsFiveAlertsAcrossTwoSubscriptions() {
    JsonNode before = azure.emulator.state().incident(EmulatedAzure.INCIDENT).orElseThrow();
    String etagBefore = before.path("etag").asText();

    PlaybookResult result =
        azure.run(CLOSE, closeBody("TruePositive", "\"comment\": \"Brute force confirmed\""));

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(EmulatedAzure.INCIDENT, result.incidentId());
    assertEquals(
        8,
        result.count(Outcome.DONE),
        "close, five resolutions in Defender for Cloud, one in Defender XDR and the comment: "
            + result);
    assertEquals(
        AttackScenario.LINKED_ALERTS.stream()
            .map(id -> "mdc-alert:" + id)
            .collect(Collectors.toSet()),
        result.actions().stream()
            .filter(a -> a.action().equals("resolve") && a.target().startsWith("mdc-alert:"))
            .map(ActionResult::target)
            .collect(Collectors.toSet()));

    List<RecordedRequest> writes = azure.writes();
    assertEquals(
        9,
        writes.size(),
        "five resolutions, one incident PUT, one comment, the XDR alert's update and comment: "
            + writes);
    Set<String> resolvePaths =
        writes.stream()
            .filter(w -> w.method().equals("POST") && w.path().startsWith("/subscriptions/"))
            .map(RecordedRequest::path)
            .collect(Collectors.toSet());
    assertEquals(
        AttackScenario.LINKED_ALERTS.stream()
            .map(id -> id + "/resolve")
            .collect(Collectors.toSet()),
        resolvePaths);
    for (RecordedRequest write : writes) {
      if (write.method().equals("POST") && write.path().startsWith("/subscriptions/")) {
        assertEquals(SECURITY_API, write.query().get("api-version"), write.path());
        assertEquals("", write.body(), "resolve has no body");
        assertEquals(204, write.status());
      }
    }

    RecordedRequest put =
        writes.stream()
            .filter(
                w ->
                    w.method().equals("PUT")
                        && w.path().endsWith("63883bf7-5be1-42f4-809a-0417943b837b"))
            .findFirst()
            .orElseThrow();
    assertEquals(EmulatedAzure.INCIDENT, put.path());
    assertEquals(SENTINEL_API, put.query().get("api-version"));
    assertEquals(etagBefore, put.header("If-Match"));
    JsonNode sent = json(put.body());
    assertEquals(etagBefore, sent.path("etag").asText());
    JsonNode properties = sent.path("properties");
    assertEquals("Closed", properties.path("status").asText());
    assertEquals("TruePositive", properties.path("classification").asText());
    assertEquals("SuspiciousActivity", properties.path("classificationReason").asText());
    assertEquals("Brute force confirmed", properties.path("classificationComment").asText());
    JsonNode original = before.path("properties");
    for (String kept : List.of("title", "severity", "description")) {
      assertEquals(original.path(kept), properties.path(kept), kept + " is sent back unchanged");
    }
    assertEquals(
        original.path("owner").path("objectId"), properties.path("owner").path("objectId"));
    assertEquals(
        original.path("labels").findValuesAsText("labelName"),
        properties.path("labels").findValuesAsText("labelName"));
    assertFalse(properties.has("incidentNumber"), "read-only properties are not sent");

    RecordedRequest comment =
        writes.stream().filter(w -> w.path().contains("/comments/")).findFirst().orElseThrow();
    assertTrue(comment.path().startsWith(EmulatedAzure.INCIDENT + "/comments/"));
    assertEquals(SENTINEL_API, comment.query().get("api-version"));
    String message = json(comment.body()).path("properties").path("message").asText();
    assertTrue(
        message.startsWith(
            "[sentinel-playbooks] close-incident\nClassification: TruePositive / SuspiciousActivity"),
        message);
    assertEquals(6, message.split("resolve done").length - 1, message);

    for (RecordedRequest request : azure.emulator.requests()) {
      if (request.path().startsWith("/subscriptions/") || request.path().startsWith("/v1.0/")) {
        assertEquals(
            "Bearer " + LocalDevelopmentTokenPolicy.DEVELOPMENT_TOKEN,
            request.header("Authorization"));
      } else {
        assertTrue(request.path().startsWith("/api/now/table/incident"), request.path());
        assertEquals("GET", request.method(), "no ticket to resolve: ServiceNow is only asked");
      }
    }
    assertTrue(
        azure.emulator.requests().stream()
            .anyMatch(
                r ->
                    r.method().equals("GET")
                        && r.path().equals(AttackScenario.UNLOCATED_ALERT_GROUP_LIST)),
        "the alert whose Sentinel copy has no link is found by listing its resource group");

    JsonNode after = incidentProperties();
    assertEquals("Closed", after.path("status").asText());
    assertEquals("TruePositive", after.path("classification").asText());
    assertEquals(
        original.path("labels").findValuesAsText("labelName"),
        after.path("labels").findValuesAsText("labelName"));
    assertEquals(original.path("owner").path("objectId"), after.path("owner").path("objectId"));
    for (String alert : AttackScenario.LINKED_ALERTS) {
      assertEquals("Resolved", alertStatus(alert), alert);
    }
    assertEquals(
        "Active",
        alertStatus(AttackScenario.UNLINKED_ALERT),
        "an alert of no incident is left alone");
    assertEquals(1, azure.emulator.state().comments(EmulatedAzure.INCIDENT).size());
  }

  /**
   * The alerts API says what each closed state means (specification/security/resource-manager/
   * Microsoft.Security/stable/2022-01-01/alerts.json, alertStatus): Resolved is "Alert closed after
   * handling", Dismissed is "Alert dismissed as false positive". A true positive resolves its
   * alerts; every other verdict dismisses them (POST .../resolve or .../dismiss, no body, 204:
   * examples/Alerts/UpdateAlertResourceGroupLocation_resolve_example.json and _dismiss_example.json
   * beside alerts.json).
   */
  @ParameterizedTest
  @CsvSource({
    "TruePositive, resolve, Resolved, truePositive, other",
    "FalsePositive, dismiss, Dismissed, falsePositive, notMalicious",
    "BenignPositive, dismiss, Dismissed, informationalExpectedActivity, confirmedActivity",
    "Undetermined, dismiss, Dismissed, unknown, unknown"
  })
  void eachClassificationClosesTheAlertsAsItMeans(
      String classification,
      String action,
      String status,
      String xdrClassification,
      String xdrDetermination) {
    PlaybookResult result = azure.run(CLOSE, closeBody(classification, null));

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(
        5,
        result.actions().stream()
            .filter(
                a ->
                    a.action().equals(action)
                        && a.target().startsWith("mdc-alert:")
                        && a.outcome() == Outcome.DONE)
            .count(),
        result.toString());
    assertEquals(
        AttackScenario.LINKED_ALERTS.stream()
            .map(id -> id + "/" + action)
            .collect(Collectors.toSet()),
        azure.writes().stream()
            .filter(w -> w.method().equals("POST"))
            .map(RecordedRequest::path)
            .collect(Collectors.toSet()));
    for (String alert : AttackScenario.LINKED_ALERTS) {
      assertEquals(status, alertStatus(alert), alert);
    }
    // The Defender for Endpoint alert means the same in Defender XDR.
    List<RecordedRequest> updates =
        azure.emulator.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
    assertEquals(1, updates.size(), updates.toString());
    RecordedRequest update = updates.get(0);
    assertEquals("/v1.0/security/alerts_v2/" + AttackScenario.XDR_ALERT, update.path());
    assertEquals(
        "{\"status\":\"resolved\",\"classification\":\""
            + xdrClassification
            + "\",\"determination\":\""
            + xdrDetermination
            + "\"}",
        update.body());
    assertEquals(200, update.status());
    JsonNode xdrAlert = azure.emulator.state().xdrAlert(AttackScenario.XDR_ALERT).orElseThrow();
    assertEquals("resolved", xdrAlert.path("status").asText());
    assertEquals(xdrClassification, xdrAlert.path("classification").asText());
  }

  /**
   * An incident people reopened can still carry its earlier verdict; closing it again as
   * Undetermined sends neither that reason (Undetermined takes none) nor that comment.
   */
  @Test
  void closingAReopenedIncidentAsUndeterminedKeepsNoEarlierVerdict() {
    reopenWithAnEarlierVerdict();

    PlaybookResult result = azure.run(CLOSE, closeBody("Undetermined", "\"dismissAlerts\": false"));

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    RecordedRequest put =
        azure.writes().stream()
            .filter(w -> w.method().equals("PUT") && w.path().equals(EmulatedAzure.INCIDENT))
            .findFirst()
            .orElseThrow();
    JsonNode sent = json(put.body()).path("properties");
    assertEquals("Undetermined", sent.path("classification").asText());
    assertFalse(sent.has("classificationReason"), sent.toString());
    assertFalse(sent.has("classificationComment"), sent.toString());
    assertFalse(sent.has("providerName"), "read-only: " + sent);
    JsonNode after = incidentProperties();
    assertEquals("Closed", after.path("status").asText());
    assertTrue(after.path("classificationReason").isMissingNode(), after.toString());
    assertTrue(after.path("classificationComment").isMissingNode(), after.toString());
  }

  @Test
  void aSecondRunChangesNothingAndSaysAlready() {
    azure.run(CLOSE, closeBody("FalsePositive", null));
    azure.emulator.clearRequests();

    PlaybookResult again = azure.run(CLOSE, closeBody("FalsePositive", null));

    assertEquals(RunStatus.SUCCEEDED, again.status());
    assertEquals(List.of(), azure.writes());
    assertEquals(7, again.count(Outcome.ALREADY), again.toString());
    assertEquals(7, again.actions().size(), "no comment when nothing changed: " + again);
    assertEquals(
        "already Closed as FalsePositive / IncorrectAlertLogic", again.actions().get(0).detail());
    assertEquals(1, azure.emulator.state().comments(EmulatedAzure.INCIDENT).size());
  }

  @Test
  void aDryRunPlansEverythingAndWritesNothing() {
    PlaybookResult result = azure.dryRun(CLOSE, closeBody("BenignPositive", null));

    assertTrue(result.dryRun());
    assertEquals(RunStatus.SUCCEEDED, result.status());
    assertEquals(7, result.count(Outcome.PLANNED), result.toString());
    assertEquals(
        "would close as BenignPositive / SuspiciousButExpected", result.actions().get(0).detail());
    assertEquals(List.of(), azure.writes());
    assertEquals("New", incidentProperties().path("status").asText());
    for (String alert : AttackScenario.LINKED_ALERTS) {
      assertEquals("Active", alertStatus(alert));
    }
    assertEquals(
        "new",
        azure
            .emulator
            .state()
            .xdrAlert(AttackScenario.XDR_ALERT)
            .orElseThrow()
            .path("status")
            .asText());
  }

  @Test
  void theDryRunSettingForcesADryRun() {
    try (EmulatedAzure dry = EmulatedAzure.start(Map.of(PlaybookSettings.DRY_RUN, "true"))) {
      PlaybookResult result = dry.run(CLOSE, closeBody("TruePositive", null));
      assertTrue(result.dryRun());
      assertEquals(List.of(), dry.writes());
    }
  }

  @Test
  void aThrottledCallWaitsForRetryAfterAndSucceeds() {
    // The wait moves the test's clock, which stamps the emulator's requests: nothing sleeps.
    onAClock();
    String dismiss = AttackScenario.LINKED_ALERTS.get(0) + "/dismiss";
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule("POST", java.util.regex.Pattern.quote(dismiss), Fault.status(429, 1), 1));

    PlaybookResult result = azure.run(CLOSE, closeBody("FalsePositive", null));

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    List<RecordedRequest> tries =
        azure.emulator.requests().stream().filter(r -> r.path().equals(dismiss)).toList();
    assertEquals(List.of(429, 204), tries.stream().map(RecordedRequest::status).toList());
    Duration waited = Duration.between(tries.get(0).receivedAt(), tries.get(1).receivedAt());
    assertTrue(
        waited.compareTo(Duration.ofMillis(950)) >= 0, "waited " + waited + " for Retry-After: 1");
  }

  @Test
  void twoServerErrorsThenSuccess() {
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "PUT",
                "/incidents/63883bf7-5be1-42f4-809a-0417943b837b$",
                Fault.status(503, null),
                2));

    PlaybookResult result = azure.run(CLOSE, closeBody("TruePositive", null));

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(
        List.of(503, 503, 200),
        azure.emulator.requests().stream()
            .filter(r -> r.method().equals("PUT") && r.path().equals(EmulatedAzure.INCIDENT))
            .map(RecordedRequest::status)
            .toList());
    assertEquals("Closed", incidentProperties().path("status").asText());
  }

  @Test
  void aDroppedConnectionIsRetried() {
    String dismiss = AttackScenario.LINKED_ALERTS.get(1) + "/dismiss";
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "POST", java.util.regex.Pattern.quote(dismiss), Fault.dropConnection(), 1));

    PlaybookResult result = azure.run(CLOSE, closeBody("FalsePositive", null));

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(
        List.of(0, 204),
        azure.emulator.requests().stream()
            .filter(r -> r.path().equals(dismiss))
            .map(RecordedRequest::status)
            .toList());
    assertEquals("Dismissed", alertStatus(AttackScenario.LINKED_ALERTS.get(1)));
  }

  @Test
  void aStaleEtagIsReadAgainAndTheCloseSucceeds() {
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "PUT",
                "/incidents/63883bf7-5be1-42f4-809a-0417943b837b$",
                Fault.status(412, null),
                1));

    PlaybookResult result = azure.run(CLOSE, closeBody("TruePositive", null));

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(
        "closed as TruePositive / SuspiciousActivity (after 1 etag conflict(s))",
        result.actions().get(0).detail());
    List<String> incidentCalls =
        azure.emulator.requests().stream()
            .filter(r -> r.path().equals(EmulatedAzure.INCIDENT))
            .map(r -> r.method() + " " + r.status())
            .toList();
    assertEquals(List.of("GET 200", "PUT 412", "GET 200", "PUT 200"), incidentCalls);
  }

  @Test
  void anAlertThatIsGoneIsSkipped() {
    String gone = AttackScenario.LINKED_ALERTS.get(1);
    assertTrue(azure.emulator.state().removeMdcAlert(gone));

    PlaybookResult result = azure.run(CLOSE, closeBody("FalsePositive", null));

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    ActionResult skipped =
        result.actions().stream()
            .filter(a -> a.outcome() == Outcome.SKIPPED)
            .findFirst()
            .orElseThrow();
    assertEquals("mdc-alert:" + gone, skipped.target());
    assertTrue(skipped.detail().endsWith("not found in Defender for Cloud"), skipped.detail());
    assertEquals(
        4,
        result.actions().stream()
            .filter(a -> a.action().equals("dismiss") && a.outcome() == Outcome.DONE)
            .count());
  }

  @Test
  void aFailingAlertMakesThePartialResultAndTheOthersGoOn() {
    String failing = AttackScenario.LINKED_ALERTS.get(2);
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "POST",
                java.util.regex.Pattern.quote(failing + "/dismiss"),
                Fault.status(500, null),
                100));

    PlaybookResult result = azure.run(CLOSE, closeBody("FalsePositive", null));

    assertEquals(RunStatus.PARTIAL, result.status());
    ActionResult failed =
        result.actions().stream()
            .filter(a -> a.outcome() == Outcome.FAILED)
            .findFirst()
            .orElseThrow();
    assertEquals("mdc-alert:" + failing, failed.target());
    assertTrue(failed.detail().contains("Defender for Cloud answered 500"), failed.detail());
    assertEquals("Closed", incidentProperties().path("status").asText());
    assertEquals("Active", alertStatus(failing));
    String comment =
        azure
            .emulator
            .state()
            .comments(EmulatedAzure.INCIDENT)
            .get(0)
            .path("properties")
            .path("message")
            .asText();
    assertTrue(comment.contains("dismiss failed"), comment);
  }

  @Test
  void aWorkspaceOutsideTheAllowListIsRefusedWithoutAnyCall() {
    String other = EmulatedAzure.WORKSPACE.replace("law-sentinel-prod", "law-sentinel-other");
    try (EmulatedAzure narrow =
        EmulatedAzure.start(Map.of(PlaybookSettings.SENTINEL_WORKSPACES, other))) {
      PlaybookResult result = narrow.run(CLOSE, closeBody("TruePositive", null));
      assertEquals(RunStatus.REFUSED, result.status());
      assertEquals(Outcome.REFUSED, result.actions().get(0).outcome());
      assertTrue(result.actions().get(0).detail().contains("is not in SENTINEL_WORKSPACES"));
      assertEquals(List.of(), narrow.emulator.requests());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed JSON | {\"incidentId\": | | the body is not valid JSON (line 1, column 15)",
        "not an object | [1,2] | | the body must be a JSON object",
        "alert, not incident | {\"objectSchemaType\":\"Alert\",\"object\":{\"id\":\"x\"},\"classification\":\"TruePositive\"} | objectSchemaType | is 'Alert'; the playbooks take an Incident",
        "no incident | {\"classification\":\"TruePositive\"} | incidentId | missing; send the Sentinel incident trigger body",
        "id not a string | {\"incidentId\":42,\"classification\":\"TruePositive\"} | incidentId | must be the incident's ARM id as a string",
        "id not an ARM id | {\"incidentId\":\"/subscriptions/x/incidents/y\",\"classification\":\"TruePositive\"} | incidentId | '/subscriptions/x/incidents/y' is not a Sentinel incident ARM id",
        "trigger id not an ARM id | {\"object\":{\"id\":\"63883bf7\"},\"classification\":\"TruePositive\"} | object.id | '63883bf7' is not a Sentinel incident ARM id",
        "no classification | {\"incidentId\":\"INCIDENT\"} | classification | required to close an incident",
        "unknown classification | {\"incidentId\":\"INCIDENT\",\"classification\":\"Malicious\"} | classification | 'Malicious' is not a classification; expected one of TruePositive, BenignPositive, FalsePositive, Undetermined",
        "reason does not fit | {\"incidentId\":\"INCIDENT\",\"classification\":\"TruePositive\",\"classificationReason\":\"InaccurateData\"} | classificationReason | 'InaccurateData' does not fit the classification TruePositive; expected one of SuspiciousActivity",
        "undetermined takes no reason | {\"incidentId\":\"INCIDENT\",\"classification\":\"Undetermined\",\"classificationReason\":\"InaccurateData\"} | classificationReason | which takes no reason",
        "dismissAlerts not boolean | {\"incidentId\":\"INCIDENT\",\"classification\":\"TruePositive\",\"dismissAlerts\":\"yes\"} | dismissAlerts | must be true or false",
      })
  void badInputIsNamedAndNothingIsSent(String name, String body, String field, String message) {
    String request = body.replace("INCIDENT", EmulatedAzure.INCIDENT);
    BadInputException e = assertThrows(BadInputException.class, () -> azure.run(CLOSE, request));
    assertEquals(field, e.field());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertEquals(List.of(), azure.emulator.requests(), "no call at all for " + name);
  }

  /** The options as the CLI builds them from its flags, for the scenario's incident. */
  PlaybookResult runWithFlags(
      String incidentBody, String classification, String reason, String comment) {
    return azure.playbooks.run(
        CLOSE,
        PlaybookRequest.parse(incidentBody),
        () ->
            CloseIncidentOptions.of(
                classification, reason, comment, true, false, null, null, azure.settings),
        false,
        azure.log);
  }

  @Test
  void optionsBuiltFromFlagsCloseAsTheBodysWould() {
    PlaybookResult result =
        runWithFlags(EmulatedAzure.triggerBody(), " FalsePositive ", " ", "  test alert  ");

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals("closed as FalsePositive / IncorrectAlertLogic", result.actions().get(0).detail());
    RecordedRequest put =
        azure.writes().stream()
            .filter(w -> w.method().equals("PUT") && w.path().equals(EmulatedAzure.INCIDENT))
            .findFirst()
            .orElseThrow();
    JsonNode properties = json(put.body()).path("properties");
    assertEquals("FalsePositive", properties.path("classification").asText());
    assertEquals("IncorrectAlertLogic", properties.path("classificationReason").asText());
    assertEquals(
        "test alert",
        properties.path("classificationComment").asText(),
        "a flag's text is trimmed as a body field's is");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no classification | INCIDENT | | | classification | required to close an incident",
        "blank classification | INCIDENT | ' ' | | classification | required to close an incident",
        "reason does not fit | INCIDENT | TruePositive | InaccurateData | classificationReason | 'InaccurateData' does not fit",
        "a bad incident is named before a bad option | /subscriptions/x/incidents/y | Malicious | | incidentId | is not a Sentinel incident ARM id",
      })
  void optionsFromFlagsAreCheckedAsTheBodysAreAndNothingIsSent(
      String name,
      String incident,
      String classification,
      String reason,
      String field,
      String message) {
    String body =
        "{\"incidentId\":\"" + incident.replace("INCIDENT", EmulatedAzure.INCIDENT) + "\"}";
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> runWithFlags(body, classification, reason, null));
    assertEquals(field, e.field());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertEquals(List.of(), azure.emulator.requests(), "no call at all for " + name);
  }

  @Test
  void anIncidentSentinelDoesNotKnowIsBadInputAndNothingIsWritten() {
    String unknown =
        EmulatedAzure.WORKSPACE
            + "/providers/Microsoft.SecurityInsights/incidents/00000000-0000-0000-0000-000000000000";
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                azure.run(
                    CLOSE,
                    "{\"incidentId\":\"" + unknown + "\",\"classification\":\"TruePositive\"}"));
    assertEquals("incidentId", e.field());
    assertTrue(e.getMessage().contains("Sentinel has no incident"), e.getMessage());
    assertEquals(List.of(), azure.writes());
  }

  @Test
  void keepingAlertsClosesOnlyTheIncident() {
    PlaybookResult result = azure.run(CLOSE, closeBody("TruePositive", "\"dismissAlerts\": false"));
    assertEquals(RunStatus.SUCCEEDED, result.status());
    assertEquals(
        List.of("close", "comment"), result.actions().stream().map(ActionResult::action).toList());
    assertEquals("Active", alertStatus(AttackScenario.LINKED_ALERTS.get(0)));
  }

  @Test
  void aLineBreakInTheCallersCommentForgesNoLineOfTheAuditComment() {
    PlaybookResult result =
        azure.run(
            CLOSE,
            closeBody(
                "TruePositive", "\"comment\": \"ok\\n- dismiss done: every alert dismissed\""));
    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());

    List<ObjectNode> comments = azure.emulator.state().comments(EmulatedAzure.INCIDENT);
    String message = comments.get(0).path("properties").path("message").asText();
    assertTrue(
        message.contains("\nComment: ok\\u000a- dismiss done: every alert dismissed\n"), message);
    assertFalse(message.contains("\n- dismiss done"), message);
  }
}
