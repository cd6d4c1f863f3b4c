package org.sentinelplaybooks.clients.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.FakeWaiter;
import org.sentinelplaybooks.clients.RunDeadline;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;

/**
 * Defender XDR through the Graph security API (../shared/contracts/graph/security_alerts_v2_*.json,
 * security_incidents_get.json), against the emulator over HTTP.
 */
class DefenderXdrClientTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ClientOptions FAST =
      new ClientOptions(3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5));
  static final String ALERT = "dab674980f-e329-47da-a1d4-0bc24d08f522_1";

  Emulator emulator;
  DefenderXdrClient xdr;

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.empty());
    xdr = DefenderXdrClient.builder().endpoint(emulator.baseUrl()).options(FAST).buildClient();
    emulator
        .state()
        .putXdrAlert(
            JSON.createObjectNode()
                .put("id", ALERT)
                .put("providerAlertId", "b674980f-e329-47da-a1d4-0bc24d08f522_1")
                .put("incidentId", "28282"));
  }

  DefenderXdrClient pacedBy(FakeWaiter waiter) {
    return DefenderXdrClient.builder()
        .endpoint(emulator.baseUrl())
        .options(FAST.withWaiter(waiter))
        .buildClient();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void anAlertIsReadByItsIdAsGivenAndAMissingOneIsEmpty() {
    XdrAlert alert = xdr.getAlert(ALERT).orElseThrow();
    assertEquals("b674980f-e329-47da-a1d4-0bc24d08f522_1", alert.providerAlertId());
    assertEquals("28282", alert.incidentId());
    assertEquals("new", alert.status());
    assertTrue(alert.hasId("b674980f-e329-47da-a1d4-0bc24d08f522_1"));
    assertTrue(xdr.getAlert("da0_0").isEmpty());
    RecordedRequest get = emulator.requests().get(0);
    assertEquals("GET", get.method());
    assertEquals("/v1.0/security/alerts_v2/" + ALERT, get.path());
    assertEquals("Bearer", get.header("Authorization").split(" ")[0]);
  }

  @Test
  void anUpdateSendsOnlyTheSetPropertiesByTheirCsdlNamesAndAnswersTheAlert() {
    XdrAlert updated =
        xdr.updateAlert(
            ALERT,
            XdrAlertUpdate.resolve(
                XdrAlertUpdate.Classification.INFORMATIONAL_EXPECTED_ACTIVITY,
                XdrAlertUpdate.Determination.CONFIRMED_ACTIVITY));
    assertEquals("resolved", updated.status());
    assertTrue(updated.isResolved());
    assertEquals("informationalExpectedActivity", updated.classification());
    assertEquals("confirmedActivity", updated.determination());
    RecordedRequest patch = emulator.requests().get(0);
    assertEquals("PATCH", patch.method());
    assertEquals(
        "{\"status\":\"resolved\",\"classification\":\"informationalExpectedActivity\","
            + "\"determination\":\"confirmedActivity\"}",
        patch.body());
  }

  @Test
  void aCommentGoesToTheAlertsCommentsAndAnUnknownAlertFails() {
    xdr.addComment(ALERT, "Closed in Microsoft Sentinel");
    RecordedRequest post = emulator.requests().get(0);
    assertEquals("/v1.0/security/alerts_v2/" + ALERT + "/comments", post.path());
    assertTrue(post.body().contains("\"comment\":\"Closed in Microsoft Sentinel\""));
    ApiException missing =
        assertThrows(
            ApiException.class,
            () ->
                xdr.updateAlert(
                    "da0_0",
                    XdrAlertUpdate.resolve(
                        XdrAlertUpdate.Classification.TRUE_POSITIVE,
                        XdrAlertUpdate.Determination.OTHER)));
    assertEquals(404, missing.status());
  }

  @Test
  void anIncidentIsReadWithItsAlertsInOneCall() {
    emulator
        .state()
        .putXdrIncident(
            JSON.createObjectNode()
                .put("id", "28282")
                .put("status", "redirected")
                .put("redirectIncidentId", "29000"));
    XdrIncident incident = xdr.getIncident("28282").orElseThrow();
    assertTrue(incident.isRedirected());
    assertEquals("29000", incident.redirectIncidentId());
    assertEquals(List.of(ALERT), incident.alerts().stream().map(XdrAlert::id).toList());
    assertEquals("alerts", emulator.requests().get(0).query().get("$expand"));
    assertTrue(xdr.getIncident("1").isEmpty());
  }

  @Test
  void callsAreKeptUnderGraphs150AMinute() {
    FakeWaiter waiter = new FakeWaiter();
    DefenderXdrClient paced = pacedBy(waiter);
    for (int i = 0; i < DefenderXdrClient.REQUESTS_PER_MINUTE; i++) {
      paced.getAlert(ALERT);
    }
    assertEquals(List.of(), waiter.waits(), "150 calls in a minute go at once");
    paced.getAlert(ALERT);
    assertEquals(1, waiter.waits().size(), waiter.waits().toString());
    assertTrue(
        waiter.waits().get(0).compareTo(Duration.ofSeconds(59)) > 0,
        "the 151st waits for the first to leave the minute: " + waiter.waits());
    assertEquals(DefenderXdrClient.REQUESTS_PER_MINUTE + 1, emulator.requests().size());
  }

  /** A slot past the run's deadline is the clients' one error, and nothing is sent. */
  @Test
  void aCallWhoseSlotComesAfterTheRunsDeadlineFailsUnsent() {
    FakeWaiter waiter = new FakeWaiter();
    DefenderXdrClient paced = pacedBy(waiter);
    for (int i = 0; i < DefenderXdrClient.REQUESTS_PER_MINUTE; i++) {
      paced.getAlert(ALERT);
    }
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                RunDeadline.within(
                    waiter.clock().instant().plusSeconds(10), () -> paced.getAlert(ALERT)));
    assertEquals("CallBudgetSpent", e.code());
    assertEquals(List.of(), waiter.waits());
    assertEquals(DefenderXdrClient.REQUESTS_PER_MINUTE, emulator.requests().size());
  }

  @Test
  void aThrottledCallIsRetriedAndARedirectIsNeverFollowed() {
    emulator.faults().inject(new FaultRule("GET", "alerts_v2", Fault.status(429, 0), 1));
    assertTrue(xdr.getAlert(ALERT).isPresent());
    assertEquals(2, emulator.requests().size());

    emulator
        .faults()
        .inject(
            new FaultRule(
                "PATCH", "alerts_v2", Fault.redirect(307, "https://attacker.example/steal"), 1));
    ApiException redirect =
        assertThrows(
            ApiException.class,
            () ->
                xdr.updateAlert(
                    ALERT,
                    XdrAlertUpdate.resolve(
                        XdrAlertUpdate.Classification.TRUE_POSITIVE,
                        XdrAlertUpdate.Determination.OTHER)));
    assertEquals(307, redirect.status());
    assertEquals(3, emulator.requests().size());
    assertEquals("new", emulator.state().xdrAlert(ALERT).orElseThrow().path("status").asText());
  }
}
