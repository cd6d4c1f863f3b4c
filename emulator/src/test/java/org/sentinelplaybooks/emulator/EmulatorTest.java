package org.sentinelplaybooks.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator over plain HTTP, checked against the behaviour the API references describe. */
class EmulatorTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String WORKSPACE =
      "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-sentinel"
          + "/providers/Microsoft.OperationalInsights/workspaces/law-sentinel-prod";
  static final String INCIDENT =
      WORKSPACE
          + "/providers/Microsoft.SecurityInsights/incidents/63883bf7-5be1-42f4-809a-0417943b837b";
  static final String SENTINEL = "?api-version=2025-06-01";
  static final String SECURITY = "?api-version=2022-01-01";
  static final String ALERT_NAME = "2517538088322968242_7f0ac6b4-1b41-4b9e-9f7c-5d2c6b0e1a11";
  static final String RG_ALERT =
      "/subscriptions/1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6/resourceGroups/rg-prod-web/providers/Microsoft.Security/locations/westeurope/alerts/"
          + ALERT_NAME;
  static final String SUB_LEVEL_PATH =
      "/subscriptions/1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6/providers/Microsoft.Security/locations/westeurope/alerts/"
          + ALERT_NAME;

  Emulator emulator;
  HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.builtIn("attack"));
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
    return send(method, pathAndQuery, body, "Bearer test-token", null);
  }

  HttpResponse<String> send(
      String method, String pathAndQuery, String body, String authorization, String ifMatch)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(emulator.baseUrl() + pathAndQuery))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  static String errorCode(HttpResponse<String> response) throws IOException {
    return json(response).path("error").path("code").asText();
  }

  ObjectNode incident() throws Exception {
    return (ObjectNode) json(send("GET", INCIDENT + SENTINEL, null));
  }

  /**
   * The properties Incidents.json (SI/2025-06-01, IncidentProperties) marks read-only; labels'
   * labelType is read-only too (common/IncidentTypes.json, IncidentLabel).
   */
  static final List<String> READ_ONLY =
      List.of(
          "additionalData",
          "createdTimeUtc",
          "incidentUrl",
          "providerName",
          "providerIncidentId",
          "incidentNumber",
          "lastModifiedTimeUtc",
          "relatedAnalyticRuleIds");

  /** The incident written back as read, with its etag in If-Match. */
  HttpResponse<String> putWithItsEtag(ObjectNode incident) throws Exception {
    return send(
        "PUT", INCIDENT + SENTINEL, putBody(incident), "Bearer t", incident.path("etag").asText());
  }

  /** A PUT body from an incident as read: its etag and its writable properties. */
  static String putBody(ObjectNode incident) {
    ObjectNode body = JSON.createObjectNode();
    body.put("etag", incident.path("etag").asText());
    ObjectNode properties = incident.path("properties").deepCopy();
    properties.remove(READ_ONLY);
    for (JsonNode label : properties.path("labels")) {
      ((ObjectNode) label).remove("labelType");
    }
    body.set("properties", properties);
    return body.toString();
  }

  @Test
  void everyRequestNeedsABearerToken() throws Exception {
    HttpResponse<String> response = send("GET", INCIDENT + SENTINEL, null, null, null);
    assertEquals(401, response.statusCode());
    assertEquals("AuthenticationFailed", errorCode(response));
    assertEquals(
        401, send("GET", INCIDENT + SENTINEL, null, "Basic dXNlcjpwYXNz", null).statusCode());
  }

  @Test
  void theApiVersionIsRequiredAndMustBeKnown() throws Exception {
    HttpResponse<String> missing = send("GET", INCIDENT, null);
    assertEquals(400, missing.statusCode());
    assertEquals("MissingApiVersionParameter", errorCode(missing));
    HttpResponse<String> unknown = send("GET", INCIDENT + "?api-version=2019-01-01-preview", null);
    assertEquals("InvalidApiVersionParameter", errorCode(unknown));
    assertEquals(
        400,
        send("GET", RG_ALERT + SENTINEL, null).statusCode(),
        "Sentinel's version is not Security's");
  }

  @Test
  void anIncidentHasAQuotedEtagAndAnUnknownOneIs404() throws Exception {
    ObjectNode incident = incident();
    assertTrue(
        incident.path("etag").asText().matches("\"[0-9a-f-]{36}\""),
        incident.path("etag").asText());
    assertEquals(4217, incident.path("properties").path("incidentNumber").asInt());
    HttpResponse<String> missing =
        send(
            "GET",
            WORKSPACE + "/providers/Microsoft.SecurityInsights/incidents/nope" + SENTINEL,
            null);
    assertEquals(404, missing.statusCode());
    assertEquals("NotFound", errorCode(missing));
    assertEquals(
        200,
        send("GET", INCIDENT.replace("/incidents/", "/Incidents/") + SENTINEL, null).statusCode(),
        "paths are case-insensitive");
  }

  @Test
  void writesAndRequestsAreStampedByTheEmulatorsClock() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));
    emulator.useClock(clock);
    ObjectNode incident = incident();
    clock.advance(Duration.ofMinutes(5));

    HttpResponse<String> written = putWithItsEtag(incident);

    assertEquals(200, written.statusCode(), written.body());
    assertEquals(
        "2026-11-01T08:05:00Z",
        json(written).path("properties").path("lastModifiedTimeUtc").asText());
    RecordedRequest put = emulator.requests().get(1);
    assertEquals(Instant.parse("2026-11-01T08:05:00Z"), put.receivedAt());
    assertEquals(Instant.parse("2026-11-01T08:05:00Z"), put.answeredAt());
    emulator.reset(Scenario.builtIn("attack"));
    emulator.state().editIncident(INCIDENT, properties -> {});
    assertEquals(
        "2026-11-01T08:05:00Z",
        emulator
            .state()
            .incident(INCIDENT)
            .orElseThrow()
            .path("properties")
            .path("lastModifiedTimeUtc")
            .asText(),
        "a reset keeps the clock");
  }

  @Test
  void aStaleEtagIsRefusedWith412AndTheCurrentOneIsAccepted() throws Exception {
    ObjectNode incident = incident();
    String stale =
        putBody(incident)
            .replace(
                incident.path("etag").asText().replace("\"", ""),
                "00000000-0000-0000-0000-000000000000");
    HttpResponse<String> conflict = send("PUT", INCIDENT + SENTINEL, stale);
    assertEquals(412, conflict.statusCode());
    assertEquals("PreconditionFailed", errorCode(conflict));
    HttpResponse<String> wrongHeader =
        send("PUT", INCIDENT + SENTINEL, putBody(incident), "Bearer t", "\"other\"");
    assertEquals(412, wrongHeader.statusCode());
    HttpResponse<String> ok = putWithItsEtag(incident);
    assertEquals(200, ok.statusCode());
    assertFalse(
        json(ok).path("etag").asText().equals(incident.path("etag").asText()),
        "a write makes a new etag");
  }

  @Test
  void closingNeedsAClassificationAndAFittingReason() throws Exception {
    ObjectNode incident = incident();
    ObjectNode properties = (ObjectNode) incident.path("properties");
    properties.put("status", "Closed");
    HttpResponse<String> noClassification = send("PUT", INCIDENT + SENTINEL, putBody(incident));
    assertEquals(400, noClassification.statusCode());
    assertTrue(
        json(noClassification)
            .path("error")
            .path("message")
            .asText()
            .contains("Classification is required"));

    properties.put("classification", "TruePositive").put("classificationReason", "InaccurateData");
    HttpResponse<String> wrongReason = send("PUT", INCIDENT + SENTINEL, putBody(incident));
    assertEquals(400, wrongReason.statusCode());
    assertTrue(
        json(wrongReason)
            .path("error")
            .path("message")
            .asText()
            .contains("not valid for classification 'TruePositive'"));

    properties.put("classificationReason", "SuspiciousActivity");
    assertEquals(200, send("PUT", INCIDENT + SENTINEL, putBody(incident)).statusCode());
    assertEquals(
        "Closed",
        emulator
            .state()
            .incident(INCIDENT)
            .orElseThrow()
            .path("properties")
            .path("status")
            .asText());
  }

  @Test
  void aPutReplacesTheWritablePropertiesLikeTheRealService() throws Exception {
    ObjectNode incident = incident();
    ObjectNode properties = (ObjectNode) incident.path("properties");
    properties.remove("labels");
    properties.remove("owner");
    properties.remove("title");
    assertEquals(
        400, send("PUT", INCIDENT + SENTINEL, putBody(incident)).statusCode(), "title is required");
    properties.put("title", "Renamed");
    assertEquals(200, send("PUT", INCIDENT + SENTINEL, putBody(incident)).statusCode());
    JsonNode stored = emulator.state().incident(INCIDENT).orElseThrow().path("properties");
    assertEquals("Renamed", stored.path("title").asText());
    assertEquals(0, stored.path("labels").size(), "labels not sent are gone");
    assertTrue(stored.path("owner").isMissingNode(), "an owner not sent is gone");
    assertEquals(4217, stored.path("incidentNumber").asInt(), "read-only properties stay");
  }

  @Test
  void aCommentIsCreatedThenReplaced() throws Exception {
    String comment = INCIDENT + "/comments/4bb36b7b-26ff-4d1c-9cbe-0d8ab3da0014" + SENTINEL;
    HttpResponse<String> created = send("PUT", comment, "{\"properties\":{\"message\":\"first\"}}");
    assertEquals(201, created.statusCode());
    assertEquals("first", json(created).path("properties").path("message").asText());
    assertEquals(
        200, send("PUT", comment, "{\"properties\":{\"message\":\"second\"}}").statusCode());
    assertEquals(400, send("PUT", comment, "{\"properties\":{}}").statusCode());
    JsonNode list = json(send("GET", INCIDENT + "/comments" + SENTINEL, null));
    assertEquals(1, list.path("value").size());
    assertEquals("second", list.path("value").get(0).path("properties").path("message").asText());
  }

  @Test
  void alertsAndEntitiesOfAnIncident() throws Exception {
    JsonNode alerts = json(send("POST", INCIDENT + "/alerts" + SENTINEL, null));
    assertEquals(
        6, alerts.path("value").size(), "five Defender for Cloud alerts and one MDE alert");
    assertEquals("SecurityAlert", alerts.path("value").get(0).path("kind").asText());
    JsonNode entities = json(send("POST", INCIDENT + "/entities" + SENTINEL, null));
    assertEquals(4, entities.path("entities").size());
    assertEquals(4, entities.path("metaData").size());
    assertFalse(emulator.requests().get(0).isWrite(), "listing alerts is a read");
  }

  @Test
  void incidentsArePagedFilteredAndOrdered() throws Exception {
    String filter =
        URLEncoder.encode(
            "properties/status eq 'New' or properties/incidentNumber gt 4217",
            StandardCharsets.UTF_8);
    JsonNode first =
        json(
            send(
                "GET",
                WORKSPACE
                    + "/providers/Microsoft.SecurityInsights/incidents"
                    + SENTINEL
                    + "&$top=1&$orderby=properties/incidentNumber%20desc&$filter="
                    + filter,
                null));
    assertEquals(1, first.path("value").size());
    assertEquals(
        4218, first.path("value").get(0).path("properties").path("incidentNumber").asInt());
    String next = first.path("nextLink").asText();
    assertTrue(next.startsWith(emulator.baseUrl()), next);
    JsonNode second = json(send("GET", next.substring(emulator.baseUrl().length()), null));
    assertEquals(
        4217, second.path("value").get(0).path("properties").path("incidentNumber").asInt());
    assertTrue(second.path("nextLink").isMissingNode());

    String closed = URLEncoder.encode("properties/status eq 'Closed'", StandardCharsets.UTF_8);
    assertEquals(
        0,
        json(send(
                "GET",
                WORKSPACE
                    + "/providers/Microsoft.SecurityInsights/incidents"
                    + SENTINEL
                    + "&$filter="
                    + closed,
                null))
            .path("value")
            .size());
    assertEquals(
        400,
        send(
                "GET",
                WORKSPACE
                    + "/providers/Microsoft.SecurityInsights/incidents"
                    + SENTINEL
                    + "&$filter=status",
                null)
            .statusCode());
  }

  @Test
  void aDefenderAlertIsFoundAtBothLevelsAndDismissedOnce() throws Exception {
    assertEquals(ALERT_NAME, json(send("GET", RG_ALERT + SECURITY, null)).path("name").asText());
    assertEquals(RG_ALERT, json(send("GET", SUB_LEVEL_PATH + SECURITY, null)).path("id").asText());
    assertEquals(
        404,
        send("GET", RG_ALERT.replace("rg-prod-web", "rg-other") + SECURITY, null).statusCode());

    HttpResponse<String> dismissed = send("POST", RG_ALERT + "/dismiss" + SECURITY, null);
    assertEquals(204, dismissed.statusCode());
    assertEquals("", dismissed.body());
    assertEquals(
        "Dismissed",
        emulator
            .state()
            .mdcAlert(RG_ALERT)
            .orElseThrow()
            .path("properties")
            .path("status")
            .asText());
    assertEquals(
        204,
        send("POST", RG_ALERT + "/dismiss" + SECURITY, null).statusCode(),
        "dismissing again is a no-op");
    assertEquals(204, send("POST", SUB_LEVEL_PATH + "/activate" + SECURITY, null).statusCode());
    assertEquals(
        "Active",
        emulator
            .state()
            .mdcAlert(RG_ALERT)
            .orElseThrow()
            .path("properties")
            .path("status")
            .asText());
    assertEquals(
        404,
        send("POST", RG_ALERT.replace(ALERT_NAME, "missing") + "/dismiss" + SECURITY, null)
            .statusCode());
  }

  @Test
  void defenderListsArePagedToTheEnd() throws Exception {
    emulator.state().setMdcPageSize(3);
    String list =
        "/subscriptions/1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6/providers/Microsoft.Security/alerts"
            + SECURITY;
    JsonNode first = json(send("GET", list, null));
    assertEquals(3, first.path("value").size());
    JsonNode second =
        json(
            send(
                "GET",
                first.path("nextLink").asText().substring(emulator.baseUrl().length()),
                null));
    assertEquals(1, second.path("value").size());
    assertTrue(second.path("nextLink").isMissingNode());
    String inGroup =
        "/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-prod-db/providers/Microsoft.Security/locations/northeurope/alerts"
            + SECURITY;
    assertEquals(2, json(send("GET", inGroup, null)).path("value").size());
  }

  @Test
  void throttlingCarriesRetryAfterAndStopsAfterItsCount() throws Exception {
    emulator.faults().inject(new FaultRule("GET", "/incidents/63883bf7", Fault.status(429, 3), 2));
    HttpResponse<String> first = send("GET", INCIDENT + SENTINEL, null);
    assertEquals(429, first.statusCode());
    assertEquals("3", first.headers().firstValue("Retry-After").orElseThrow());
    assertEquals("TooManyRequests", errorCode(first));
    assertEquals(429, send("GET", INCIDENT + SENTINEL, null).statusCode());
    assertEquals(200, send("GET", INCIDENT + SENTINEL, null).statusCode());
    assertEquals(
        200,
        send("POST", INCIDENT + "/alerts" + SENTINEL, null).statusCode(),
        "other methods are not matched");
    assertEquals(
        List.of(429, 429, 200, 200),
        emulator.requests().stream().map(RecordedRequest::status).toList());
  }

  @Test
  void serverErrorsAndDroppedConnections() throws Exception {
    emulator.faults().inject(new FaultRule(null, "/dismiss$", Fault.status(503, null), 1));
    emulator.faults().inject(new FaultRule(null, "/dismiss$", Fault.dropConnection(), 1));
    HttpResponse<String> unavailable = send("POST", RG_ALERT + "/dismiss" + SECURITY, null);
    assertEquals(503, unavailable.statusCode());
    assertTrue(unavailable.headers().firstValue("Retry-After").isEmpty());
    assertEquals(
        "Active",
        emulator
            .state()
            .mdcAlert(RG_ALERT)
            .orElseThrow()
            .path("properties")
            .path("status")
            .asText());
    assertThrows(IOException.class, () -> send("POST", RG_ALERT + "/dismiss" + SECURITY, null));
    assertEquals(204, send("POST", RG_ALERT + "/dismiss" + SECURITY, null).statusCode());
    assertEquals(
        List.of(503, 0, 204), emulator.requests().stream().map(RecordedRequest::status).toList());
  }

  @Test
  void aFractionOfRequestsIsFaultedInTurnAndEveryFaultIsCounted() throws Exception {
    Fault unavailable = Fault.status(503, null);
    Fault throttled = Fault.status(429, 1);
    emulator.faults().inject(new FaultRule("GET", "/incidents/", unavailable, 1));
    emulator.faults().failFraction(0.5, 3, List.of(throttled, unavailable));
    for (int i = 0; i < 40; i++) {
      send("GET", INCIDENT + SENTINEL, null);
    }
    emulator.faults().clear();
    assertEquals(200, send("GET", INCIDENT + SENTINEL, null).statusCode());

    List<Integer> statuses =
        emulator.requests().stream().map(RecordedRequest::status).limit(40).toList();
    long answered429 = statuses.stream().filter(s -> s == 429).count();
    long answered503 = statuses.stream().filter(s -> s == 503).count();
    assertTrue(answered429 > 5 && answered503 > 5, statuses.toString());
    assertEquals(answered429 + answered503, 40 - statuses.stream().filter(s -> s == 200).count());
    assertEquals(
        java.util.Map.of(unavailable, answered503, throttled, answered429),
        emulator.faults().injected(),
        "the rule's fault and the random ones, still counted after clear()");
  }

  @Test
  void delaysAndLatencyAreAddedBeforeAnswering() throws Exception {
    // The emulator waits by a clock the test holds: each delay moves it on, nothing sleeps.
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));
    emulator.useClock(clock);
    emulator
        .faults()
        .inject(new FaultRule("GET", "/incidents/", Fault.delay(Duration.ofMillis(300)), 1));
    Instant start = clock.instant();
    assertEquals(200, send("GET", INCIDENT + SENTINEL, null).statusCode());
    assertTrue(Duration.between(start, clock.instant()).toMillis() >= 300);
    emulator.faults().setLatency(Duration.ofMillis(200));
    start = clock.instant();
    send("GET", INCIDENT + SENTINEL, null);
    assertTrue(Duration.between(start, clock.instant()).toMillis() >= 200);
    RecordedRequest delayed = emulator.requests().get(0);
    RecordedRequest slowed = emulator.requests().get(1);
    assertTrue(
        Duration.between(delayed.receivedAt(), delayed.answeredAt()).toMillis() >= 300,
        "the answer is stamped when it is ready to go out, after the delay");
    assertTrue(Duration.between(slowed.receivedAt(), slowed.answeredAt()).toMillis() >= 200);
  }

  @Test
  void awaitingARequestReturnsOnceItsDelayedAnswerIsRecorded() throws Exception {
    emulator.useClock(new ManualClock(Instant.parse("2026-11-01T08:00:00Z")));
    emulator
        .faults()
        .inject(new FaultRule("GET", "/incidents/", Fault.delay(Duration.ofMillis(300)), 1));
    java.util.concurrent.CompletableFuture<HttpResponse<String>> pending =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(emulator.baseUrl() + INCIDENT + SENTINEL))
                .header("Authorization", "Bearer test-token")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    List<RecordedRequest> answered =
        emulator.awaitRequests(r -> r.path().equals(INCIDENT), 1, Duration.ofSeconds(30));

    assertEquals(1, answered.size());
    assertEquals(200, answered.get(0).status());
    IllegalStateException notYet =
        assertThrows(
            IllegalStateException.class,
            () -> emulator.awaitRequests(r -> r.path().equals(INCIDENT), 2, Duration.ofMillis(1)));
    assertTrue(notYet.getMessage().startsWith("1 of 2 awaited requests"), notYet.getMessage());
    assertEquals(200, pending.join().statusCode());
  }

  @Test
  void resetStartsOverOnTheSameAddressAndForgetsTheRequests() throws Exception {
    String before = emulator.baseUrl();
    int commentsAtStart = emulator.state().comments(INCIDENT).size();
    assertEquals(
        201,
        send(
                "PUT",
                INCIDENT + "/comments/c1" + SENTINEL,
                "{\"properties\":{\"message\":\"hello\"}}")
            .statusCode());
    assertEquals(1, emulator.state().comments(INCIDENT).size() - commentsAtStart);

    emulator.reset(Scenario.builtIn("attack"));

    assertEquals(before, emulator.baseUrl());
    assertEquals(List.of(), emulator.requests());
    assertEquals(commentsAtStart, emulator.state().comments(INCIDENT).size());
    assertEquals(200, send("GET", INCIDENT + SENTINEL, null).statusCode(), "still serving");
  }

  @Test
  void everyRequestIsRecordedWithWhatWasSent() throws Exception {
    send(
        "PUT",
        INCIDENT + "/comments/c1" + SENTINEL,
        "{\"properties\":{\"message\":\"hello\"}}",
        "Bearer abc",
        null);
    RecordedRequest recorded = emulator.requests().get(0);
    assertEquals("PUT", recorded.method());
    assertEquals(INCIDENT + "/comments/c1", recorded.path());
    assertEquals("2025-06-01", recorded.query().get("api-version"));
    assertEquals("Bearer abc", recorded.header("authorization"));
    assertEquals("{\"properties\":{\"message\":\"hello\"}}", recorded.body());
    assertEquals(201, recorded.status());
    assertTrue(recorded.isWrite());
    emulator.clearRequests();
    assertEquals(List.of(), emulator.requests());
  }

  @Test
  void graphUsersGroupsAndIdentityProtectionsRateLimit() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));
    emulator.state().setRateLimitClock(clock);
    JsonNode user = json(send("GET", "/v1.0/users/jdoe@contoso.com?$select=id,userType", null));
    assertEquals("6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89", user.path("id").asText());
    assertEquals("Member", user.path("userType").asText());
    HttpResponse<String> missing = send("GET", "/v1.0/users/nobody@contoso.com", null);
    assertEquals(404, missing.statusCode());
    assertEquals("Request_ResourceNotFound", errorCode(missing));

    String groups =
        "{\"groupIds\":[\"7a7a7a7a-0001-4000-8000-000000000001\",\"00000000-0000-0000-0000-000000000000\"]}";
    JsonNode bob =
        json(
            send(
                "POST",
                "/v1.0/users/2c3d4e5f-6071-4829-93a4-b5c6d7e8f9a0/checkMemberGroups",
                groups));
    assertEquals(
        "[\"7a7a7a7a-0001-4000-8000-000000000001\"]",
        bob.path("value").toString(),
        "member through a nested group");
    assertEquals(
        0,
        json(send("POST", "/v1.0/users/jdoe@contoso.com/checkMemberGroups", groups))
            .path("value")
            .size());

    String confirm = "{\"userIds\":[\"6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89\"]}";
    assertEquals(
        204,
        send("POST", "/v1.0/identityProtection/riskyUsers/confirmCompromised", confirm)
            .statusCode());
    HttpResponse<String> tooSoon =
        send(
            "GET",
            "/v1.0/identityProtection/riskyUsers/6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89",
            null);
    assertEquals(429, tooSoon.statusCode());
    assertTrue(
        tooSoon.headers().firstValue("Retry-After").isEmpty(),
        "Identity Protection sends no Retry-After");
    assertEquals(1, emulator.state().identityProtectionThrottled());
    clock.advance(Duration.ofMillis(999));
    String riskyUser = "/v1.0/identityProtection/riskyUsers/6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89";
    assertEquals(429, send("GET", riskyUser, null).statusCode(), "still within the second");
    clock.advance(Duration.ofMillis(1));
    JsonNode risky =
        json(
            send(
                "GET",
                "/v1.0/identityProtection/riskyUsers/6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89",
                null));
    assertEquals("confirmedCompromised", risky.path("riskState").asText());
  }

  @Test
  void aPasswordMustMeetEntraComplexity() throws Exception {
    String weak =
        "{\"passwordProfile\":{\"forceChangePasswordNextSignIn\":true,\"password\":\"password\"}}";
    assertEquals(400, send("PATCH", "/v1.0/users/asmith@contoso.com", weak).statusCode());
    String strong =
        "{\"passwordProfile\":{\"forceChangePasswordNextSignIn\":true,\"password\":\"Xy7!long-enough\"}}";
    assertEquals(204, send("PATCH", "/v1.0/users/asmith@contoso.com", strong).statusCode());
    JsonNode stored =
        emulator.state().entraUser("1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9").orElseThrow();
    assertEquals(1, stored.path("passwordResets").asInt());
    assertFalse(stored.toString().contains("Xy7!long-enough"), "the emulator keeps no password");
  }

  static final String INCIDENTS = WORKSPACE + "/providers/Microsoft.SecurityInsights/incidents";

  List<Integer> incidentNumbers(String filter) throws Exception {
    HttpResponse<String> response =
        send(
            "GET",
            INCIDENTS
                + SENTINEL
                + "&$orderby=properties/incidentNumber%20asc&$filter="
                + URLEncoder.encode(filter, StandardCharsets.UTF_8),
            null);
    assertEquals(200, response.statusCode(), response.body());
    List<Integer> numbers = new java.util.ArrayList<>();
    json(response)
        .path("value")
        .forEach(i -> numbers.add(i.path("properties").path("incidentNumber").asInt()));
    return numbers;
  }

  @Test
  void incidentsAreFilteredByTimesQuotedOrNotAndByStatus() throws Exception {
    assertEquals(
        List.of(4218), incidentNumbers("properties/lastModifiedTimeUtc ge 2024-05-15T00:00:00Z"));
    assertEquals(
        List.of(4217),
        incidentNumbers("properties/createdTimeUtc lt '2024-05-15T00:00:00Z'"),
        "a quoted date compares as a date");
    assertEquals(
        List.of(4217, 4218),
        incidentNumbers(
            "(properties/status eq 'New' or properties/status eq 'Active')"
                + " and properties/lastModifiedTimeUtc gt 2024-05-01T00:00:00Z"));
    assertEquals(List.of(4218), incidentNumbers("properties/status ne 'New'"));
    assertEquals(
        400,
        send(
                "GET",
                INCIDENTS
                    + SENTINEL
                    + "&$filter="
                    + URLEncoder.encode("(properties/status eq 'New'", StandardCharsets.UTF_8),
                null)
            .statusCode(),
        "an unbalanced parenthesis");
    assertEquals(
        "BadRequest",
        errorCode(send("GET", INCIDENTS + SENTINEL + "&$top=1001", null)),
        "$top is at most 1000");
  }

  @Test
  void aPutOfAnUnknownIncidentCreatesItWith201() throws Exception {
    String id = INCIDENTS + "/0b5e7c1a-1111-4222-8333-944455566677";
    String body =
        "{\"properties\":{\"title\":\"Made by hand\",\"severity\":\"Low\",\"status\":\"New\","
            + "\"labels\":[{\"labelName\":\"manual\"}]}}";
    HttpResponse<String> created = send("PUT", id + SENTINEL, body);
    assertEquals(201, created.statusCode(), created.body());
    JsonNode incident = json(created);
    assertTrue(incident.path("etag").asText().startsWith("\""));
    assertEquals(4219, incident.path("properties").path("incidentNumber").asInt());
    assertEquals(
        "User", incident.path("properties").path("labels").get(0).path("labelType").asText());
    assertTrue(emulator.state().incident(id.toUpperCase(java.util.Locale.ROOT)).isPresent());
    assertEquals(200, send("PUT", id + SENTINEL, body).statusCode(), "the second PUT updates");
  }

  @Test
  void classificationRulesBeyondTheFirstClose() throws Exception {
    ObjectNode incident = incident();
    ObjectNode properties = (ObjectNode) incident.path("properties");
    properties
        .put("status", "Closed")
        .put("classification", "Undetermined")
        .put("classificationReason", "SuspiciousActivity");
    assertEquals(
        400,
        send("PUT", INCIDENT + SENTINEL, putBody(incident)).statusCode(),
        "Undetermined takes no reason");
    properties.put("classification", "Certain");
    properties.remove("classificationReason");
    HttpResponse<String> unknown = send("PUT", INCIDENT + SENTINEL, putBody(incident));
    assertEquals(400, unknown.statusCode());
    assertTrue(json(unknown).path("error").path("message").asText().contains("classification"));
    properties.put("classification", "FalsePositive").put("classificationReason", "InaccurateData");
    HttpResponse<String> closed = send("PUT", INCIDENT + SENTINEL, putBody(incident));
    assertEquals(200, closed.statusCode(), closed.body());

    ObjectNode reopened = (ObjectNode) json(closed);
    ((ObjectNode) reopened.path("properties")).put("status", "Active");
    assertEquals(200, send("PUT", INCIDENT + SENTINEL, putBody(reopened)).statusCode());
    JsonNode stored = emulator.state().incident(INCIDENT).orElseThrow().path("properties");
    assertEquals("Active", stored.path("status").asText());
    assertTrue(stored.path("classification").isMissingNode(), "reopening clears the verdict");
    assertTrue(stored.path("classificationReason").isMissingNode());

    ((ObjectNode) reopened.path("properties")).put("severity", "Critical");
    reopened.put("etag", emulator.state().incident(INCIDENT).orElseThrow().path("etag").asText());
    assertEquals(400, send("PUT", INCIDENT + SENTINEL, putBody(reopened)).statusCode());
  }

  /**
   * What the spec marks read-only (SI/2025-06-01/Incidents.json IncidentProperties: providerName,
   * providerIncidentId, incidentNumber, ...; common/IncidentTypes.json IncidentLabel.labelType) is
   * refused in a PUT, in ARM's error shape, naming the property; nothing is changed.
   */
  @Test
  void aPutCarryingAReadOnlyPropertyIsRefusedNamingIt() throws Exception {
    String etag = incident().path("etag").asText();
    for (String property : READ_ONLY) {
      ObjectNode incident = incident();
      ObjectNode body = (ObjectNode) JSON.readTree(putBody(incident));
      ((ObjectNode) body.path("properties"))
          .set(property, incident.path("properties").path(property));
      HttpResponse<String> refused = send("PUT", INCIDENT + SENTINEL, body.toString());
      assertEquals(400, refused.statusCode(), property);
      assertEquals("BadRequest", errorCode(refused));
      assertTrue(
          json(refused).path("error").path("message").asText().contains(property),
          json(refused).toString());
    }
    ObjectNode body = (ObjectNode) JSON.readTree(putBody(incident()));
    ((ObjectNode) body.path("properties").path("labels").get(0)).put("labelType", "User");
    HttpResponse<String> labelType = send("PUT", INCIDENT + SENTINEL, body.toString());
    assertEquals(400, labelType.statusCode());
    assertTrue(
        json(labelType).path("error").path("message").asText().contains("labels[0].labelType"),
        labelType.body());
    assertEquals(etag, incident().path("etag").asText(), "nothing was written");
    assertEquals(200, send("PUT", INCIDENT + SENTINEL, putBody(incident())).statusCode());
  }

  /** Closing again replaces the verdict: a reason or comment not sent is not kept. */
  @Test
  void reclosingKeepsNoEarlierReasonOrComment() throws Exception {
    ObjectNode incident = incident();
    ((ObjectNode) incident.path("properties"))
        .put("status", "Closed")
        .put("classification", "TruePositive")
        .put("classificationReason", "SuspiciousActivity")
        .put("classificationComment", "confirmed");
    assertEquals(200, send("PUT", INCIDENT + SENTINEL, putBody(incident)).statusCode());
    ObjectNode again = incident();
    ObjectNode properties = (ObjectNode) again.path("properties");
    properties.put("classification", "Undetermined");
    properties.remove(List.of("classificationReason", "classificationComment"));
    assertEquals(200, send("PUT", INCIDENT + SENTINEL, putBody(again)).statusCode());
    JsonNode stored = emulator.state().incident(INCIDENT).orElseThrow().path("properties");
    assertEquals("Undetermined", stored.path("classification").asText());
    assertTrue(stored.path("classificationReason").isMissingNode(), stored.toString());
    assertTrue(stored.path("classificationComment").isMissingNode(), stored.toString());
  }

  @Test
  void labelsKeepAutoAssignedTypesAndNeedANameAndOwnersAreStoredAsSent() throws Exception {
    ObjectNode seeded = emulator.state().incident(INCIDENT).orElseThrow();
    ((ObjectNode) seeded.path("properties").path("labels").get(0)).put("labelType", "AutoAssigned");
    emulator.state().putIncident(seeded, List.of(), List.of());
    ObjectNode incident = incident();
    ObjectNode properties = (ObjectNode) incident.path("properties");
    properties
        .putArray("labels")
        .add(JSON.createObjectNode().put("labelName", "brute-force"))
        .add(JSON.createObjectNode().put("labelName", "auto-remediated"));
    properties.putObject("owner").put("objectId", "11111111-2222-4333-8444-555555555555");
    assertEquals(200, send("PUT", INCIDENT + SENTINEL, putBody(incident)).statusCode());
    JsonNode stored = emulator.state().incident(INCIDENT).orElseThrow().path("properties");
    assertEquals("AutoAssigned", stored.path("labels").get(0).path("labelType").asText());
    assertEquals("User", stored.path("labels").get(1).path("labelType").asText());
    assertEquals(
        "{\"objectId\":\"11111111-2222-4333-8444-555555555555\"}", stored.path("owner").toString());

    ObjectNode again = incident();
    ((ObjectNode) again.path("properties")).putArray("labels").addObject().put("labelName", " ");
    HttpResponse<String> nameless = send("PUT", INCIDENT + SENTINEL, putBody(again));
    assertEquals(400, nameless.statusCode());
    assertTrue(json(nameless).path("error").path("message").asText().contains("labelName"));
  }

  @Test
  void commentsNeedAnIncidentAndAMessageOfAtMost30000Characters() throws Exception {
    String unknown = INCIDENTS + "/00000000-0000-0000-0000-000000000000/comments/c1" + SENTINEL;
    HttpResponse<String> missing = send("PUT", unknown, "{\"properties\":{\"message\":\"x\"}}");
    assertEquals(404, missing.statusCode());
    assertEquals("NotFound", errorCode(missing));
    String tooLong = "{\"properties\":{\"message\":\"" + "a".repeat(30001) + "\"}}";
    assertEquals(400, send("PUT", INCIDENT + "/comments/c2" + SENTINEL, tooLong).statusCode());
    String longest = "{\"properties\":{\"message\":\"" + "a".repeat(30000) + "\"}}";
    HttpResponse<String> created = send("PUT", INCIDENT + "/comments/c2" + SENTINEL, longest);
    assertEquals(201, created.statusCode());
    JsonNode comment = json(created);
    assertFalse(comment.path("etag").asText().contains("\""), "a comment's etag has no quotes");
    assertTrue(comment.path("properties").path("author").path("objectId").isTextual());
    assertTrue(comment.path("properties").path("createdTimeUtc").isTextual());
    assertEquals(
        "c2", json(send("GET", INCIDENT + "/comments/c2" + SENTINEL, null)).path("name").asText());
    assertEquals(1, emulator.state().comments(INCIDENT).size());
    assertEquals(
        1, incident().path("properties").path("additionalData").path("commentsCount").asInt());
    assertEquals(404, send("GET", INCIDENT + "/comments/c3" + SENTINEL, null).statusCode());
  }

  @Test
  void alertsAndEntitiesOfAnUnknownIncidentAre404() throws Exception {
    String unknown = INCIDENTS + "/00000000-0000-0000-0000-000000000000";
    assertEquals(404, send("POST", unknown + "/alerts" + SENTINEL, null).statusCode());
    assertEquals(404, send("POST", unknown + "/entities" + SENTINEL, null).statusCode());
    JsonNode alerts = json(send("POST", INCIDENT + "/alerts" + SENTINEL, null)).path("value");
    for (JsonNode alert : alerts) {
      String name = alert.path("properties").path("providerAlertId").asText();
      boolean inDefenderForCloud =
          emulator.state().mdcAlerts().stream().anyMatch(a -> a.path("name").asText().equals(name));
      boolean inDefenderXdr = emulator.state().xdrAlert("da" + name).isPresent();
      assertTrue(
          inDefenderForCloud || inDefenderXdr,
          "each SecurityAlert points at a Defender for Cloud or Defender XDR alert: " + name);
    }
  }

  @Test
  void aSubscriptionLevelAlertIsFoundOnlyWithoutAResourceGroup() throws Exception {
    String name = "2517538088322968244_2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
    String subLevel =
        "/subscriptions/1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6/providers/Microsoft.Security/locations/westeurope/alerts/"
            + name;
    assertEquals(subLevel, json(send("GET", subLevel + SECURITY, null)).path("id").asText());
    assertEquals(
        404,
        send(
                "GET",
                subLevel.replace("/providers/", "/resourceGroups/rg-prod-web/providers/")
                    + SECURITY,
                null)
            .statusCode());
    assertEquals(
        404,
        send("GET", subLevel.replace("westeurope", "northeurope") + SECURITY, null).statusCode());
    assertEquals(204, send("POST", subLevel + "/resolve" + SECURITY, null).statusCode());
    assertEquals(
        "Resolved",
        emulator
            .state()
            .mdcAlert(subLevel)
            .orElseThrow()
            .path("properties")
            .path("status")
            .asText());

    String hidden = "2517538088322968246_4f5a6b7c-8d9e-4f0a-1b2c-3d4e5f6a7b8c";
    JsonNode group =
        json(
            send(
                "GET",
                "/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-prod-db/providers/Microsoft.Security/alerts"
                    + SECURITY,
                null));
    assertTrue(
        group.path("value").findValuesAsText("name").contains(hidden),
        "the alert without an alertLink is found by listing its resource group");
    HttpResponse<String> wrongVersion = send("GET", subLevel + SENTINEL, null);
    assertEquals("InvalidApiVersionParameter", errorCode(wrongVersion));
    assertTrue(json(wrongVersion).path("error").path("message").asText().contains("2022-01-01"));
  }

  @Test
  void aDroppedGetOnAReusedConnectionStillFailsAtTheClient() throws Exception {
    String list =
        "/subscriptions/1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6/providers/Microsoft.Security/alerts"
            + SECURITY;
    assertEquals(200, send("GET", list, null).statusCode());
    emulator.faults().inject(new FaultRule("GET", "/alerts$", Fault.dropConnection(), 2));
    assertThrows(IOException.class, () -> send("GET", list, null));
    assertThrows(IOException.class, () -> send("GET", list, null));
    assertEquals(200, send("GET", list, null).statusCode(), "the rule is spent after two");
    assertEquals(
        List.of(200, 0, 0, 200),
        emulator.requests().stream().map(RecordedRequest::status).toList(),
        "the client did not resend a dropped request by itself");
  }

  @Test
  void otherServerErrorsAreInternalServerErrorsAndClearEndsEveryFault() throws Exception {
    emulator.faults().inject(new FaultRule(null, "/incidents/", Fault.status(500, null), 5));
    HttpResponse<String> failed = send("GET", INCIDENT + SENTINEL, null);
    assertEquals(500, failed.statusCode());
    assertEquals("InternalServerError", errorCode(failed));
    assertTrue(
        failed.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));
    emulator.useClock(clock);
    emulator.faults().setLatency(Duration.ofSeconds(5));
    emulator.faults().clear();
    Instant start = clock.instant();
    assertEquals(200, send("GET", INCIDENT + SENTINEL, null).statusCode());
    assertTrue(Duration.between(start, clock.instant()).toMillis() < 2000, "latency cleared too");
    assertThrows(
        IllegalArgumentException.class,
        () -> new FaultRule(null, "(", Fault.dropConnection(), 1),
        "a bad regex is refused when the rule is made");
  }

  @Test
  void concurrentRequestsAreServedConcurrently() throws Exception {
    // Each answer's latency is waited out until all eight calls are in it at once: served one after
    // the other, the first would wait alone and the calls never overlap.
    java.util.concurrent.CountDownLatch allIn = new java.util.concurrent.CountDownLatch(8);
    java.util.concurrent.atomic.AtomicInteger overlapping =
        new java.util.concurrent.atomic.AtomicInteger();
    emulator.useClock(
        java.time.Clock.systemUTC(),
        latency -> {
          allIn.countDown();
          try {
            if (allIn.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
              overlapping.incrementAndGet();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    emulator.faults().setLatency(Duration.ofMillis(500));
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(pool.submit(() -> send("GET", INCIDENT + SENTINEL, null).statusCode()));
      }
      for (java.util.concurrent.Future<Integer> call : calls) {
        assertEquals(200, call.get());
      }
      assertEquals(8, overlapping.get(), "eight calls of 500 ms, all in their latency at once");
      assertEquals(8, emulator.requests().size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unknownRoutesAre404AndScenariosComeFromJson() throws Exception {
    HttpResponse<String> unknown =
        send("GET", "/subscriptions/x/providers/Microsoft.Nothing/things" + SENTINEL, null);
    assertEquals(404, unknown.statusCode());
    assertEquals("NotFound", errorCode(unknown));
    try (Emulator empty = Emulator.start(Scenario.empty())) {
      assertTrue(empty.state().mdcAlerts().isEmpty());
      assertTrue(empty.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+"), empty.baseUrl());
    }
    Scenario custom =
        Scenario.fromJson(
            "{\"sentinel\":{\"incidents\":[{\"id\":\""
                + INCIDENTS
                + "/abc\",\"properties\":{\"title\":\"t\",\"severity\":\"Low\",\"status\":\"New\"}}]}}");
    try (Emulator other = Emulator.start(custom)) {
      ObjectNode seeded = other.state().incident(INCIDENTS + "/ABC").orElseThrow();
      assertTrue(seeded.path("etag").asText().matches("\"[0-9a-f-]{36}\""));
      assertTrue(seeded.path("properties").path("createdTimeUtc").isTextual());
      assertEquals(0, seeded.path("properties").path("additionalData").path("alertsCount").asInt());
      assertTrue(seeded.path("properties").path("incidentNumber").asLong() > 0);
    }
    assertThrows(IllegalArgumentException.class, () -> Scenario.fromJson("[]"));
    assertThrows(IllegalArgumentException.class, () -> Scenario.builtIn("no-such-scenario"));
  }
}
