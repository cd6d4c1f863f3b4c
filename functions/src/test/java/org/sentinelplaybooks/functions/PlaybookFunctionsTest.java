package org.sentinelplaybooks.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.emulator.ManualClock;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.core.Playbook;
import org.sentinelplaybooks.playbooks.core.PlaybookJson;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;

/** The HTTP contract of the functions, through the real playbooks against the emulator. */
class PlaybookFunctionsTest {
  /** The clock the clients, playbooks and emulator all read; a test moves it. */
  ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));

  EmulatedAzure azure;
  PlaybookFunctions functions;
  FakeExecutionContext context;

  @BeforeEach
  void start() {
    azure = EmulatedAzure.startAt(clock);
    functions = new PlaybookFunctions(azure.playbooks);
    context = new FakeExecutionContext();
  }

  @AfterEach
  void stop() {
    azure.close();
  }

  HttpResponseMessage post(String body, Map<String, String> query) {
    return functions.closeIncident(new FakeHttpRequest(body, query), context);
  }

  static JsonNode json(HttpResponseMessage response) throws Exception {
    assertEquals("application/json", response.getHeader("Content-Type"));
    return PlaybookJson.read((String) response.getBody());
  }

  static String triggerWith(String classification) throws Exception {
    ObjectNode body = (ObjectNode) PlaybookJson.read(EmulatedAzure.triggerBody());
    body.put("classification", classification);
    return body.toString();
  }

  @Test
  void theTriggerBodyClosesTheIncidentAndAnswers200WithTheResult() throws Exception {
    HttpResponseMessage response = post(triggerWith("TruePositive"), Map.of());

    assertEquals(200, response.getStatusCode());
    JsonNode result = json(response);
    assertEquals("close-incident", result.path("playbook").asText());
    assertEquals(EmulatedAzure.INCIDENT, result.path("incidentId").asText());
    assertFalse(result.path("dryRun").asBoolean());
    assertEquals("succeeded", result.path("status").asText());
    JsonNode first = result.path("actions").get(0);
    assertEquals("incident:" + EmulatedAzure.INCIDENT, first.path("target").asText());
    assertEquals("close", first.path("action").asText());
    assertEquals("done", first.path("outcome").asText());
    assertEquals(
        8,
        result.path("actions").size(),
        "close, five Defender for Cloud alerts, one Defender XDR alert, the comment");
    assertTrue(
        context.records.stream()
            .anyMatch(
                r ->
                    r.getMessage()
                        .contains("close-incident " + EmulatedAzure.INCIDENT + ": succeeded")),
        "the invocation's logger gets the run");
  }

  @Test
  void createTicketAnswers200WithTheLinkedTicket() throws Exception {
    HttpResponseMessage response =
        functions.createTicket(new FakeHttpRequest(EmulatedAzure.triggerBody(), Map.of()), context);

    assertEquals(200, response.getStatusCode());
    JsonNode result = json(response);
    assertEquals("create-ticket", result.path("playbook").asText());
    assertEquals("succeeded", result.path("status").asText());
    assertTrue(result.path("actions").get(0).path("detail").asText().startsWith("created INC"));
    assertEquals(1, azure.emulator.state().serviceNowIncidents().size());
  }

  @Test
  void confirmRiskyUserAnswers200AndAnUnknownActionIs400() throws Exception {
    HttpResponseMessage dry =
        functions.confirmRiskyUser(
            new FakeHttpRequest(EmulatedAzure.triggerBody(), Map.of("dryRun", "true")), context);
    assertEquals(200, dry.getStatusCode());
    assertEquals("planned", json(dry).path("actions").get(0).path("outcome").asText());

    HttpResponseMessage bad =
        functions.confirmRiskyUser(
            new FakeHttpRequest(
                "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\",\"actions\":[\"wipe\"]}",
                Map.of()),
            context);
    assertEquals(400, bad.getStatusCode());
    assertEquals("actions", json(bad).path("error").path("field").asText());
  }

  @Test
  void blockIpAnswers200AndAPrivateAddressIs400WithNothingSent() throws Exception {
    HttpResponseMessage blocked =
        functions.blockIp(new FakeHttpRequest(EmulatedAzure.triggerBody(), Map.of()), context);
    assertEquals(200, blocked.getStatusCode());
    JsonNode result = json(blocked);
    assertEquals("block-ip", result.path("playbook").asText());
    assertEquals("succeeded", result.path("status").asText(), result.toString());
    assertEquals("done", result.path("actions").get(0).path("outcome").asText());

    azure.emulator.clearRequests();
    HttpResponseMessage refused =
        functions.blockIp(
            new FakeHttpRequest(
                "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\",\"ips\":[\"192.168.4.20\"]}",
                Map.of()),
            context);
    assertEquals(400, refused.getStatusCode());
    JsonNode error = json(refused).path("error");
    assertEquals("ips", error.path("field").asText());
    assertTrue(error.path("message").asText().contains("192.168.4.20"), error.toString());
    assertEquals(List.of(), azure.writes());
  }

  @Test
  void theExpiryTimerLiftsABlockWhoseTimeIsUp() throws Exception {
    HttpResponseMessage blocked =
        functions.blockIp(
            new FakeHttpRequest(
                "{\"incidentId\":\""
                    + EmulatedAzure.INCIDENT
                    + "\",\"ips\":[\"198.51.100.9\"],\"ttl\":\"PT1H\"}",
                Map.of()),
            context);
    assertEquals(200, blocked.getStatusCode());
    assertTrue(
        azure
            .emulator
            .state()
            .ipGroup(EmulatedAzure.IP_GROUP)
            .orElseThrow()
            .toString()
            .contains("198.51.100.9"));
    Clock anHourAndAMinuteLater = Clock.offset(clock, Duration.ofMinutes(61));
    Clock notYet = Clock.offset(clock, Duration.ofMinutes(59));

    new ExpireBlocksFunction(azure.playbooks, notYet).run("{}", context);
    assertTrue(
        azure
            .emulator
            .state()
            .ipGroup(EmulatedAzure.IP_GROUP)
            .orElseThrow()
            .toString()
            .contains("198.51.100.9"),
        "a block whose hour is not up stays");

    new ExpireBlocksFunction(azure.playbooks, anHourAndAMinuteLater).run("{}", context);

    String group = azure.emulator.state().ipGroup(EmulatedAzure.IP_GROUP).orElseThrow().toString();
    assertFalse(group.contains("198.51.100.9"), group);
    assertTrue(group.contains("198.51.100.200"), "the group's other addresses stay: " + group);
    assertTrue(
        context.records.stream()
            .anyMatch(r -> r.getMessage().startsWith("expire-blocks unblock done ip-group:")),
        "the lifted block is logged");
  }

  @Test
  void dryRunQueryParameterWritesNothing() throws Exception {
    HttpResponseMessage response = post(triggerWith("TruePositive"), Map.of("dryRun", "true"));

    assertEquals(200, response.getStatusCode());
    JsonNode result = json(response);
    assertTrue(result.path("dryRun").asBoolean());
    assertEquals("planned", result.path("actions").get(0).path("outcome").asText());
    assertEquals(List.of(), azure.writes());
  }

  @Test
  void malformedJsonIs400WithTheReasonAndNothingIsSent() throws Exception {
    HttpResponseMessage response = post("{\"object\": {", Map.of());

    assertEquals(400, response.getStatusCode());
    JsonNode error = json(response).path("error");
    assertEquals("BadRequest", error.path("code").asText());
    assertTrue(
        error.path("message").asText().startsWith("the body is not valid JSON"), error.toString());
    assertEquals(List.of(), azure.emulator.requests());
  }

  @Test
  void aMissingFieldIs400NamingIt() throws Exception {
    HttpResponseMessage response =
        post("{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\"}", Map.of());

    assertEquals(400, response.getStatusCode());
    JsonNode error = json(response).path("error");
    assertEquals("classification", error.path("field").asText());
    assertEquals(List.of(), azure.emulator.requests());
  }

  @Test
  void aBodyBeyondTheLimitsOfTheJsonReaderIs400() throws Exception {
    for (String body :
        List.of("[".repeat(1001) + "]".repeat(1001), "{\"incidentId\":" + "9".repeat(1001) + "}")) {
      HttpResponseMessage response = post(body, Map.of());

      assertEquals(400, response.getStatusCode(), (String) response.getBody());
      JsonNode error = json(response).path("error");
      assertTrue(
          error
              .path("message")
              .asText()
              .startsWith("the body goes beyond what is read as JSON: at most 1000 levels"),
          error.toString());
    }
    assertEquals(List.of(), azure.emulator.requests());
  }

  @Test
  void contentAfterTheJsonIs400AndNothingIsBlocked() throws Exception {
    String valid = "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\",\"ips\":[\"198.51.100.7\"]}";
    for (String body : List.of(valid + "}", valid + valid, valid + " x")) {
      HttpResponseMessage response =
          functions.blockIp(new FakeHttpRequest(body, Map.of()), context);

      assertEquals(400, response.getStatusCode(), (String) response.getBody());
      assertTrue(
          json(response)
              .path("error")
              .path("message")
              .asText()
              .startsWith("the body is not valid JSON (line 1, column "),
          (String) response.getBody());
    }
    assertEquals(List.of(), azure.emulator.requests());
  }

  @Test
  void controlCharactersSentInABadValueComeBackEscapedSoNoLogLineCanBeForged() throws Exception {
    HttpResponseMessage response =
        functions.closeIncident(
            new FakeHttpRequest(
                "{\"incidentId\":\"x\\r\\n2026-11-23 INFO forged line\",\"classification\":\"TruePositive\"}",
                Map.of()),
            context);

    assertEquals(400, response.getStatusCode());
    String message = json(response).path("error").path("message").asText();
    assertTrue(message.contains("x\\u000d\\u000a2026-11-23 INFO forged line"), message);
    assertTrue(message.chars().noneMatch(Character::isISOControl), message);
    List<String> logged = context.records.stream().map(r -> r.getMessage()).toList();
    assertTrue(logged.stream().anyMatch(line -> line.contains("forged line")), logged.toString());
    assertTrue(
        logged.stream().allMatch(line -> line.chars().noneMatch(Character::isISOControl)),
        logged.toString());
    assertEquals(List.of(), azure.emulator.requests());
  }

  @Test
  void aMalformedDryRunFieldIs400EvenWhenTheQueryAsksForADryRun() throws Exception {
    HttpResponseMessage response =
        functions.confirmRiskyUser(
            new FakeHttpRequest(
                "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\",\"dryRun\":\"true\"}",
                Map.of("dryRun", "true")),
            context);

    assertEquals(400, response.getStatusCode());
    assertEquals("dryRun", json(response).path("error").path("field").asText());
    assertEquals(List.of(), azure.emulator.requests());
  }

  @Test
  void anEmptyBodyIs400() throws Exception {
    HttpResponseMessage response = post(null, Map.of());
    assertEquals(400, response.getStatusCode());
    assertTrue(
        json(response).path("error").path("message").asText().startsWith("the body is empty"));
  }

  @Test
  void aBadDryRunParameterIs400() throws Exception {
    HttpResponseMessage response = post(triggerWith("TruePositive"), Map.of("dryRun", "yes"));
    assertEquals(400, response.getStatusCode());
    assertEquals("dryRun", json(response).path("error").path("field").asText());
    assertEquals(List.of(), azure.emulator.requests());
  }

  @Test
  void aWorkspaceOutsideTheAllowListIs403WithTheRefusedResult() throws Exception {
    String other = EmulatedAzure.WORKSPACE.replace("law-sentinel-prod", "law-sentinel-other");
    try (EmulatedAzure narrow =
        EmulatedAzure.start(Map.of(PlaybookSettings.SENTINEL_WORKSPACES, other))) {
      HttpResponseMessage response =
          new PlaybookFunctions(narrow.playbooks)
              .closeIncident(new FakeHttpRequest(triggerWith("TruePositive"), Map.of()), context);
      assertEquals(403, response.getStatusCode());
      JsonNode result = json(response);
      assertEquals("refused", result.path("status").asText());
      assertEquals("refused", result.path("actions").get(0).path("outcome").asText());
      assertEquals(List.of(), narrow.emulator.requests());
    }
  }

  @Test
  void aServiceThatRefusesTheFirstReadIs502WithItsError() throws Exception {
    azure
        .emulator
        .faults()
        .inject(
            new org.sentinelplaybooks.emulator.FaultRule(
                "GET", "/incidents/", org.sentinelplaybooks.emulator.Fault.status(403, null), 1));

    HttpResponseMessage response = post(triggerWith("TruePositive"), Map.of());

    assertEquals(502, response.getStatusCode());
    JsonNode error = json(response).path("error");
    assertEquals("ServiceError", error.path("code").asText());
    assertTrue(
        error.path("message").asText().startsWith("Sentinel answered 403"), error.toString());
    assertEquals(List.of(), azure.writes());
  }

  @Test
  void anUnexpectedFailureIs500WithoutInternals() throws Exception {
    Playbook broken =
        new Playbook() {
          @Override
          public String name() {
            return "close-incident";
          }

          @Override
          public org.sentinelplaybooks.playbooks.core.PlaybookResult run(
              org.sentinelplaybooks.playbooks.core.PlaybookRequest request,
              org.sentinelplaybooks.playbooks.core.RunContext runContext) {
            throw new IllegalStateException("internal detail at org.example.Secret");
          }
        };
    PlaybookFunctions failing =
        new PlaybookFunctions(
            new Playbooks(azure.settings, List.of(broken), azure.clients.clock()));

    HttpResponseMessage response =
        failing.closeIncident(new FakeHttpRequest(triggerWith("TruePositive"), Map.of()), context);

    assertEquals(500, response.getStatusCode());
    String body = (String) response.getBody();
    assertFalse(body.contains("internal detail"), body);
    assertFalse(body.contains("org.example"), body);
    assertTrue(body.contains(context.getInvocationId()), body);
  }

  // close-incident passes "suppress", "suppressFor" and "suppressScope" through (PUT
  // .../alertsSuppressionRules/{name}?api-version=2019-01-01-preview,
  // examples/AlertsSuppressionRules/PutAlertsSuppressionRule_example.json, azure-rest-api-specs).

  HttpResponseMessage close(String classification, Map<String, Object> options) throws Exception {
    ObjectNode body = (ObjectNode) PlaybookJson.read(EmulatedAzure.triggerBody());
    body.put("classification", classification);
    options.forEach((field, value) -> body.set(field, PlaybookJson.tree(value)));
    return functions.closeIncident(new FakeHttpRequest(body.toString(), Map.of()), context);
  }

  List<RecordedRequest> rulePuts() {
    return azure.writes().stream()
        .filter(w -> w.method().equals("PUT") && w.path().contains("/alertsSuppressionRules/"))
        .toList();
  }

  @Test
  void aFalsePositiveWithSuppressForFourteenDaysAnswersOneActionPerRule() throws Exception {
    Instant before = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    HttpResponseMessage response =
        close("FalsePositive", Map.of("suppress", true, "suppressFor", "P14D"));
    Instant after = clock.instant();

    assertEquals(200, response.getStatusCode());
    JsonNode result = PlaybookJson.read((String) response.getBody());
    assertEquals("succeeded", result.path("status").asText(), result.toString());
    int rules = 0;
    for (JsonNode action : result.path("actions")) {
      if (action.path("action").asText().equals("suppress")) {
        rules++;
        assertEquals("done", action.path("outcome").asText(), action.toString());
        assertTrue(
            action.path("target").asText().startsWith("mdc-suppression-rule:/subscriptions/"),
            action.toString());
      }
    }
    assertEquals(5, rules, "five alert types over two subscriptions: " + result);
    assertEquals(5, rulePuts().size());
    for (RecordedRequest put : rulePuts()) {
      Instant expiry =
          Instant.parse(body(put).path("properties").path("expirationDateUtc").asText());
      assertFalse(expiry.isBefore(before.plus(Duration.ofDays(14))), expiry.toString());
      assertFalse(expiry.isAfter(after.plus(Duration.ofDays(14))), expiry.toString());
    }
  }

  @Test
  void aTruePositiveWithSuppressIs400AndNothingIsWrittenNotEvenTheClose() throws Exception {
    HttpResponseMessage response = close("TruePositive", Map.of("suppress", true));

    assertEquals(400, response.getStatusCode());
    JsonNode error = PlaybookJson.read((String) response.getBody()).path("error");
    assertEquals("suppress", error.path("field").asText());
    assertTrue(error.path("message").asText().contains("FalsePositive or BenignPositive"));
    assertEquals(List.of(), azure.writes());
  }

  static JsonNode body(RecordedRequest request) throws Exception {
    return PlaybookJson.read(request.body());
  }
}
