package org.sentinelplaybooks.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.EmulatedAzure;

/**
 * {@code POST /api/playbooks/close-incident} passes "suppress", "suppressFor" and "suppressScope"
 * through to the playbook (PUT .../alertsSuppressionRules/{name}?api-version=2019-01-01-preview,
 * examples/AlertsSuppressionRules/PutAlertsSuppressionRule_example.json,
 * Azure/azure-rest-api-specs).
 */
class SuppressSimilarAlertsFunctionTest {
  EmulatedAzure azure;
  PlaybookFunctions functions;
  FakeExecutionContext context;

  @BeforeEach
  void start() {
    azure = EmulatedAzure.start();
    functions = new PlaybookFunctions(azure.playbooks);
    context = new FakeExecutionContext();
  }

  @AfterEach
  void stop() {
    azure.close();
  }

  HttpResponseMessage close(String classification, Map<String, Object> options) throws Exception {
    ObjectNode body = (ObjectNode) Json.MAPPER.readTree(EmulatedAzure.triggerBody());
    body.put("classification", classification);
    options.forEach((field, value) -> body.set(field, Json.MAPPER.valueToTree(value)));
    return functions.closeIncident(new FakeHttpRequest(body.toString(), Map.of()), context);
  }

  List<RecordedRequest> rulePuts() {
    return azure.writes().stream()
        .filter(w -> w.method().equals("PUT") && w.path().contains("/alertsSuppressionRules/"))
        .toList();
  }

  @Test
  void aFalsePositiveWithSuppressForFourteenDaysAnswersOneActionPerRule() throws Exception {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    HttpResponseMessage response =
        close("FalsePositive", Map.of("suppress", true, "suppressFor", "P14D"));
    Instant after = Instant.now();

    assertEquals(200, response.getStatusCode());
    JsonNode result = Json.MAPPER.readTree((String) response.getBody());
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
          Instant.parse(json(put).path("properties").path("expirationDateUtc").asText());
      assertFalse(expiry.isBefore(before.plus(Duration.ofDays(14))), expiry.toString());
      assertFalse(expiry.isAfter(after.plus(Duration.ofDays(14))), expiry.toString());
    }
  }

  @Test
  void aTruePositiveWithSuppressIs400AndNothingIsWrittenNotEvenTheClose() throws Exception {
    HttpResponseMessage response = close("TruePositive", Map.of("suppress", true));

    assertEquals(400, response.getStatusCode());
    JsonNode error = Json.MAPPER.readTree((String) response.getBody()).path("error");
    assertEquals("suppress", error.path("field").asText());
    assertTrue(error.path("message").asText().contains("FalsePositive or BenignPositive"));
    assertEquals(List.of(), azure.writes());
  }

  static JsonNode json(RecordedRequest request) throws Exception {
    return Json.MAPPER.readTree(request.body());
  }
}
