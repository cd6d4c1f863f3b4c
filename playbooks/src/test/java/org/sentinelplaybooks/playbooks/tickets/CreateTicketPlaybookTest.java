package org.sentinelplaybooks.playbooks.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.ManualClock;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.PlaybookTest;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.ServiceNowDesk;
import org.sentinelplaybooks.playbooks.close.CloseIncidentPlaybook;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.state.InMemoryTicketStore;
import org.sentinelplaybooks.playbooks.state.TableTicketStore;
import org.sentinelplaybooks.playbooks.state.TicketLink;

class CreateTicketPlaybookTest extends PlaybookTest {
  static final String CREATE = CreateTicketPlaybook.NAME;
  static final String INCIDENT_NAME = "63883bf7-5be1-42f4-809a-0417943b837b";
  static final String BODY = "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\"}";

  List<ObjectNode> tickets() {
    return azure.emulator.state().serviceNowIncidents();
  }

  List<RecordedRequest> serviceNowCalls(String method) {
    return azure.emulator.requests().stream()
        .filter(r -> r.path().startsWith("/api/now/") && r.method().equals(method))
        .toList();
  }

  TicketLink row() {
    return new TableTicketStore(azure.clients.tables().orElseThrow())
        .get(IncidentId.parse(EmulatedAzure.INCIDENT))
        .orElseThrow();
  }

  @Test
  void createsOneTicketAndLinksItBothWays() {
    PlaybookResult result = azure.run(CREATE, BODY);

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(
        List.of("create", "label", "comment"),
        result.actions().stream().map(ActionResult::action).toList());
    assertTrue(
        result.actions().stream().allMatch(a -> a.outcome() == Outcome.DONE), result.toString());

    RecordedRequest post = serviceNowCalls("POST").get(0);
    assertEquals("/api/now/table/incident", post.path());
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (EmulatedAzure.SERVICENOW_USER + ":" + azure.serviceNowPassword)
                        .getBytes(StandardCharsets.UTF_8));
    assertEquals(basic, post.header("Authorization"));
    JsonNode sent = json(post.body());
    assertEquals(
        "Successful brute force attack on Linux VM", sent.path("short_description").asText());
    assertEquals("1", sent.path("impact").asText());
    assertEquals("1", sent.path("urgency").asText());
    assertEquals(INCIDENT_NAME, sent.path("correlation_id").asText());
    assertEquals("Microsoft Sentinel", sent.path("correlation_display").asText());
    String description = sent.path("description").asText();
    assertTrue(
        description.startsWith(
            "Microsoft Sentinel incident #4217\nSeverity: High\nStatus: New\nLink: https://portal.azure.com/"),
        description);
    assertTrue(description.contains("Incident id: " + EmulatedAzure.INCIDENT), description);
    assertTrue(
        description.contains(
            "Alerts (6):\n- Successful SSH brute force attack (Azure Security Center)"),
        description);
    assertTrue(description.contains("- Ip: 203.0.113.45"), description);
    assertEquals(
        List.of(),
        serviceNowCalls("GET").stream()
            .filter(
                r ->
                    !r.query()
                        .getOrDefault("sysparm_query", "")
                        .equals("correlation_id=" + INCIDENT_NAME))
            .toList(),
        "the only lookup is by correlation id");

    ObjectNode ticket = tickets().get(0);
    assertEquals(1, tickets().size());
    String number = ticket.path("number").asText();
    assertEquals(ticket.path("sys_id").asText(), row().sysId());
    assertEquals(number, row().number());

    JsonNode labels =
        azure
            .emulator
            .state()
            .incident(EmulatedAzure.INCIDENT)
            .orElseThrow()
            .path("properties")
            .path("labels");
    assertEquals(
        List.of("brute-force", "ServiceNow:" + number), labels.findValuesAsText("labelName"));
    String comment =
        azure
            .emulator
            .state()
            .comments(EmulatedAzure.INCIDENT)
            .get(0)
            .path("properties")
            .path("message")
            .asText();
    assertTrue(
        comment.contains(
            "created "
                + number
                + " "
                + azure.emulator.baseUrl().replace("http://", "hxxp://")
                + "/nav_to.do?uri=incident.do%3Fsys_id%3D"
                + ticket.path("sys_id").asText()),
        comment);
  }

  @Test
  void aSecondRunReturnsTheTicketAsAlreadyAndWritesNothing() {
    azure.run(CREATE, BODY);
    azure.emulator.clearRequests();

    PlaybookResult again = azure.run(CREATE, BODY);

    assertEquals(RunStatus.SUCCEEDED, again.status());
    assertEquals(
        List.of(Outcome.ALREADY, Outcome.ALREADY),
        again.actions().stream().map(ActionResult::outcome).toList());
    assertEquals(List.of(), azure.writes());
    assertEquals(1, tickets().size());
  }

  @Test
  void concurrentRunsCreateOneTicket() {
    List<CompletableFuture<PlaybookResult>> runs =
        List.of(1, 2, 3).stream()
            .map(i -> CompletableFuture.supplyAsync(() -> azure.run(CREATE, BODY)))
            .toList();
    List<PlaybookResult> results = runs.stream().map(CompletableFuture::join).toList();

    assertEquals(1, tickets().size(), "one ticket whatever the race");
    assertEquals(1, serviceNowCalls("POST").size());
    assertTrue(
        results.stream().allMatch(r -> r.status() == RunStatus.SUCCEEDED), results.toString());
    assertEquals(
        1, results.stream().filter(r -> r.actions().get(0).outcome() == Outcome.DONE).count());
    assertEquals(
        1, azure.emulator.state().comments(EmulatedAzure.INCIDENT).size(), "one audit comment");
  }

  /** create-ticket on its own ticket store, waiting for another run by {@code clock}. */
  CreateTicketPlaybook playbookOn(ManualClock clock, InMemoryTicketStore store) {
    return new CreateTicketPlaybook(
        azure.settings,
        azure.clients.sentinel(),
        azure.clients.serviceNow().orElseThrow(),
        store,
        org.sentinelplaybooks.playbooks.core.Parallel.shared(),
        EmulatedAzure.waiterOn(clock));
  }

  @Test
  void aRunWaitsOutAnotherRunsFreshClaimByTheClockAndThenGivesUp() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));
    InMemoryTicketStore store = new InMemoryTicketStore(clock);
    assertTrue(store.claim(IncidentId.parse(EmulatedAzure.INCIDENT), "the-other-run"));

    PlaybookResult result =
        playbookOn(clock, store)
            .run(
                PlaybookRequest.parse(BODY),
                new RunContext(false, azure.log, azure.clients.clock()));

    ActionResult create = result.actions().get(0);
    assertEquals(Outcome.FAILED, create.outcome(), result.toString());
    assertTrue(
        create.detail().contains("another run has been creating the ticket"), create.detail());
    Duration waited = Duration.between(Instant.parse("2026-11-01T08:00:00Z"), clock.instant());
    assertTrue(
        waited.compareTo(CreateTicketPlaybook.WAIT_FOR_OTHER_RUN) > 0
            && waited.compareTo(
                    CreateTicketPlaybook.WAIT_FOR_OTHER_RUN.plus(
                        CreateTicketPlaybook.POLL_OTHER_RUN))
                <= 0,
        "waited on the clock for the other run, then gave up: " + waited);
    assertEquals(List.of(), serviceNowCalls("POST"), "no ticket behind the other run's back");
  }

  @Test
  void aClaimOlderThanTheStaleLimitByTheClockIsTakenOver() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));
    InMemoryTicketStore store = new InMemoryTicketStore(clock);
    IncidentId id = IncidentId.parse(EmulatedAzure.INCIDENT);
    assertTrue(store.claim(id, "a-run-that-died"));
    clock.advance(CreateTicketPlaybook.STALE_CLAIM.plusSeconds(1));

    PlaybookResult result =
        playbookOn(clock, store)
            .run(
                PlaybookRequest.parse(BODY),
                new RunContext(false, azure.log, azure.clients.clock()));

    assertEquals(Outcome.DONE, result.actions().get(0).outcome(), result.toString());
    assertEquals(1, tickets().size());
    assertEquals(
        Instant.parse("2026-11-01T08:02:01Z"),
        store.get(id).orElseThrow().claimedAt(),
        "taken over at once, stamped by the clock");
  }

  @Test
  void aLostRowIsFoundAgainByCorrelationIdWithoutASecondTicket() {
    azure.run(CREATE, BODY);
    azure.clients.tables().orElseThrow().deleteTable(TableTicketStore.TABLE);
    Playbooks fresh = Playbooks.create(azure.settings, azure.clients);

    PlaybookResult again = fresh.run(CREATE, BODY, false, azure.log);

    assertEquals(RunStatus.SUCCEEDED, again.status(), again.toString());
    assertEquals(Outcome.ALREADY, again.actions().get(0).outcome());
    assertTrue(
        again.actions().get(0).detail().startsWith("found by correlation_id and linked to INC"),
        again.actions().get(0).detail());
    assertEquals(1, tickets().size());
    assertEquals(
        tickets().get(0).path("sys_id").asText(), row().sysId(), "the row is written again");
  }

  @Test
  void withTwoTicketsOfTheIncidentsCorrelationIdNeitherIsTakenForItsOwn() {
    for (int i = 0; i < 2; i++) {
      new ServiceNowDesk(azure).file(Map.of("correlation_id", INCIDENT_NAME));
    }
    List<String> planted = tickets().stream().map(t -> t.path("sys_id").asText()).toList();

    PlaybookResult result = azure.run(CREATE, BODY);

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(Outcome.DONE, result.actions().get(0).outcome(), result.toString());
    assertEquals(3, tickets().size(), "a ticket of its own: neither planted one is guessed");
    assertTrue(!planted.contains(row().sysId()), row().toString());
  }

  @Test
  void aCreateAnsweredAfterTheClientGaveUpIsFoundInsteadOfSentAgain() throws Exception {
    Duration pastTimeout = EmulatedAzure.FAST_RETRIES.responseTimeout().plusMillis(500);
    azure
        .emulator
        .faults()
        .inject(new FaultRule("POST", "/api/now/table/incident$", Fault.delay(pastTimeout), 1));

    PlaybookResult result = azure.run(CREATE, BODY);
    // until the late create has landed: the emulator records it once it is answered
    azure.emulator.awaitRequests(
        r -> r.method().equals("POST") && r.path().equals("/api/now/table/incident"),
        1,
        Duration.ofSeconds(30));

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(Outcome.DONE, result.actions().get(0).outcome(), result.toString());
    assertEquals(1, tickets().size(), "one ticket: the create was not sent again");
    assertEquals(
        List.of(201), serviceNowCalls("POST").stream().map(RecordedRequest::status).toList());
    assertEquals(tickets().get(0).path("sys_id").asText(), row().sysId());
  }

  @Test
  void aCreateThatMayHaveWorkedIsLookedForBeforeItIsSentAgain() {
    azure
        .emulator
        .faults()
        .inject(new FaultRule("POST", "/api/now/table/incident$", Fault.status(503, null), 1));
    azure
        .emulator
        .faults()
        .inject(new FaultRule("POST", "/api/now/table/incident$", Fault.status(500, null), 1));

    PlaybookResult result = azure.run(CREATE, BODY);

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(1, tickets().size());
    List<String> calls =
        azure.emulator.requests().stream()
            .filter(r -> r.path().equals("/api/now/table/incident"))
            .map(r -> r.method() + " " + r.status())
            .toList();
    assertEquals(
        List.of(
            "GET 200", // no ticket yet
            "POST 503", // refused: sent again at once
            "POST 500", // may have worked: looked for first
            "GET 200",
            "GET 200",
            "GET 200",
            "POST 201"),
        calls);
  }

  @Test
  void hostileIncidentTextIsMadeSafeAndCannotChangeTheQuery() {
    azure.run(CREATE, BODY.replace(INCIDENT_NAME, INCIDENT_NAME));
    String otherTicket = tickets().get(0).path("sys_id").asText();
    String second =
        EmulatedAzure.WORKSPACE
            + "/providers/Microsoft.SecurityInsights/incidents/9c1d7e52-2f0a-4b8e-a6d3-5e7f8a9b0c1d";
    azure
        .emulator
        .state()
        .editIncident(
            second,
            incident ->
                ((ObjectNode) incident.path("properties"))
                    .put(
                        "title",
                        "<script>alert(1)</script>Evil^NQcorrelation_id="
                            + INCIDENT_NAME
                            + "\u0007 [code]x[/code]")
                    .put("description", "a=b^ORstate=1\u0000"));

    PlaybookResult result = azure.run(CREATE, "{\"incidentId\":\"" + second + "\"}");

    assertEquals(Outcome.DONE, result.actions().get(0).outcome(), result.toString());
    assertEquals(2, tickets().size(), "a new ticket, not the other incident's");
    assertFalse(result.actions().get(0).target().endsWith(otherTicket));
    JsonNode sent = json(serviceNowCalls("POST").get(1).body());
    assertEquals(
        "alert(1) Evil^NQcorrelation_id=" + INCIDENT_NAME + " x",
        sent.path("short_description").asText());
    assertFalse(sent.path("description").asText().contains("\u0000"));
    assertEquals(
        List.of(
            "correlation_id=" + INCIDENT_NAME,
            "correlation_id=9c1d7e52-2f0a-4b8e-a6d3-5e7f8a9b0c1d"),
        serviceNowCalls("GET").stream()
            .map(r -> r.query().get("sysparm_query"))
            .distinct()
            .toList());
  }

  @Test
  void anEmptyTitleGetsAReadableShortDescription() {
    azure
        .emulator
        .state()
        .editIncident(
            EmulatedAzure.INCIDENT,
            i -> ((ObjectNode) i.path("properties")).put("title", " ").remove("description"));
    azure.run(CREATE, BODY);
    assertEquals(
        "Microsoft Sentinel incident #4217", tickets().get(0).path("short_description").asText());
  }

  @Test
  void closingTheIncidentResolvesItsTicket() {
    azure.run(CREATE, BODY);

    PlaybookResult closed =
        azure.run(
            CloseIncidentPlaybook.NAME,
            "{\"incidentId\":\""
                + EmulatedAzure.INCIDENT
                + "\",\"classification\":\"TruePositive\",\"comment\":\"contained\"}");

    ActionResult resolve =
        closed.actions().stream()
            .filter(a -> a.action().equals("resolve"))
            .findFirst()
            .orElseThrow();
    assertEquals(Outcome.DONE, resolve.outcome(), closed.toString());
    ObjectNode ticket = tickets().get(0);
    assertEquals("6", ticket.path("state").asText());
    assertEquals("Solved (Permanently)", ticket.path("close_code").asText());
    assertEquals(
        "Closed in Microsoft Sentinel as TruePositive / SuspiciousActivity: contained",
        ticket.path("close_notes").asText());
    assertEquals(1, serviceNowCalls("PATCH").size());

    PlaybookResult again =
        azure.run(
            CloseIncidentPlaybook.NAME,
            "{\"incidentId\":\""
                + EmulatedAzure.INCIDENT
                + "\",\"classification\":\"TruePositive\"}");
    assertEquals(
        Outcome.ALREADY,
        again.actions().stream()
            .filter(a -> a.action().equals("resolve"))
            .findFirst()
            .orElseThrow()
            .outcome());
    assertEquals(1, serviceNowCalls("PATCH").size());
  }

  @Test
  void wrongCredentialsFailClearlyAndLinkNothing() {
    try (EmulatedAzure wrong =
        EmulatedAzure.start(Map.of(Settings.SERVICENOW_PASSWORD, "not-the-password-123"))) {
      PlaybookResult result = wrong.run(CREATE, BODY);

      assertEquals(RunStatus.FAILED, result.status(), result.toString());
      assertEquals(1, result.actions().size(), "no label, no comment");
      assertEquals(
          "ServiceNow answered 401: User Not Authenticated (Required to provide Auth information)",
          result.actions().get(0).detail());
      assertTrue(
          new TableTicketStore(wrong.clients.tables().orElseThrow())
              .get(IncidentId.parse(EmulatedAzure.INCIDENT))
              .isEmpty(),
          "the claim is released");
      assertEquals(
          List.of(),
          wrong.writes().stream().filter(w -> w.path().startsWith("/subscriptions/")).toList());
      assertFalse(result.toString().contains("not-the-password-123"));
    }
  }

  @Test
  void oauthClientCredentialsWork() {
    try (EmulatedAzure oauth = EmulatedAzure.startWithServiceNowOAuth()) {
      PlaybookResult result = oauth.run(CREATE, BODY);

      assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
      List<RecordedRequest> tokens =
          oauth.emulator.requests().stream()
              .filter(r -> r.path().equals("/oauth_token.do"))
              .toList();
      assertEquals(1, tokens.size(), "one token, kept for the run's calls");
      assertTrue(
          tokens
              .get(0)
              .body()
              .startsWith(
                  "grant_type=client_credentials&client_id=sentinel-playbooks-client&client_secret="));
      List<RecordedRequest> table =
          oauth.emulator.requests().stream().filter(r -> r.path().startsWith("/api/now/")).toList();
      assertTrue(table.size() >= 2);
      assertTrue(table.stream().allMatch(r -> r.header("Authorization").startsWith("Bearer ")));
    }
  }

  @Test
  void aDryRunWritesNothingAnywhere() {
    PlaybookResult result = azure.dryRun(CREATE, BODY);

    assertEquals(
        List.of(Outcome.PLANNED), result.actions().stream().map(ActionResult::outcome).toList());
    assertEquals(List.of(), azure.writes());
    assertEquals(List.of(), tickets());
    assertTrue(
        new TableTicketStore(azure.clients.tables().orElseThrow())
            .get(IncidentId.parse(EmulatedAzure.INCIDENT))
            .isEmpty());
  }

  @Test
  void theServiceNowPasswordIsNeverShown() {
    azure.run(CREATE, BODY);
    azure.run(
        CloseIncidentPlaybook.NAME,
        "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\",\"classification\":\"TruePositive\"}");

    String password = azure.serviceNowPassword;
    for (LogRecord record : azure.logs) {
      assertFalse(String.valueOf(record.getMessage()).contains(password));
    }
    for (RecordedRequest request : azure.emulator.requests()) {
      assertFalse(request.body().contains(password), request.path());
    }
    assertFalse(azure.settings.toString().contains(password), "settings print without secrets");
  }

  @Test
  void aTicketNumberThatIsNotOfServiceNowsFormIsRefusedAndForgesNoCommentLine() {
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "POST",
                "/api/now/table/incident$",
                Fault.tamperField("/result/number", "INC1\n- close done: closed as FalsePositive"),
                1));

    PlaybookResult result = azure.run(CREATE, BODY);

    ActionResult create = result.actions().get(0);
    assertEquals("create", create.action());
    assertEquals(Outcome.FAILED, create.outcome(), result.toString());
    assertTrue(create.detail().contains("not a prefix and digits"), create.detail());
    for (ObjectNode comment : azure.emulator.state().comments(EmulatedAzure.INCIDENT)) {
      String message = comment.path("properties").path("message").asText();
      assertFalse(message.contains("\n- close done"), message);
    }
    assertTrue(
        azure.writes().stream().noneMatch(w -> w.path().startsWith(EmulatedAzure.INCIDENT)),
        "neither label nor comment carries the number: " + azure.writes());
  }
}
