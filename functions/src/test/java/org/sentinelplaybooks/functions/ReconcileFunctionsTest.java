package org.sentinelplaybooks.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.OutputBinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;

class ReconcileFunctionsTest {
  static final String OTHER = EmulatedAzure.WORKSPACE.replace("law-sentinel-prod", "law-second");

  EmulatedAzure azure;
  ReconcileFunctions functions;
  FakeExecutionContext context = new FakeExecutionContext();

  @BeforeEach
  void start() {
    azure =
        EmulatedAzure.start(
            Map.of(PlaybookSettings.SENTINEL_WORKSPACES, EmulatedAzure.WORKSPACE + "," + OTHER));
    functions = new ReconcileFunctions(azure.playbooks);
    azure
        .emulator
        .state()
        .editIncident(
            EmulatedAzure.INCIDENT,
            incident ->
                ((ObjectNode) incident.path("properties"))
                    .put("status", "Closed")
                    .put("classification", "FalsePositive"));
  }

  @AfterEach
  void stop() {
    azure.close();
  }

  static final class Captured<T> implements OutputBinding<T> {
    T value;

    @Override
    public T getValue() {
      return value;
    }

    @Override
    public void setValue(T value) {
      this.value = value;
    }
  }

  @Test
  void theTimerQueuesOneMessagePerWorkspace() throws Exception {
    Captured<List<String>> messages = new Captured<>();

    functions.schedule("{}", messages, context);

    assertEquals(2, messages.value.size());
    assertEquals(
        List.of(EmulatedAzure.WORKSPACE, OTHER),
        messages.value.stream()
            .map(m -> ReconcileFunctions.parse(m).armId())
            .sorted((a, b) -> a.contains("prod") ? -1 : 1)
            .toList());
    assertEquals(List.of(), azure.emulator.requests(), "queuing calls no service");
  }

  @Test
  void aQueuedWorkspaceIsReconciled() {
    functions.workspace("{\"workspace\":\"" + EmulatedAzure.WORKSPACE + "\"}", context);

    long dismissed =
        azure.emulator.state().mdcAlerts().stream()
            .filter(a -> a.path("properties").path("status").asText().equals("Dismissed"))
            .count();
    assertEquals(5, dismissed);
  }

  @Test
  void failedIncidentsAreKeptForTheNextRunInsteadOfFailingTheMessage() {
    azure
        .emulator
        .faults()
        .inject(new FaultRule("POST", ".*/dismiss$", Fault.status(500, null), 100));
    String message = "{\"workspace\":\"" + EmulatedAzure.WORKSPACE + "\"}";

    functions.workspace(message, context);
    assertEquals(0, dismissed(), "every dismissal failed");

    azure.emulator.faults().clear();
    functions.workspace(message, context);
    assertEquals(5, dismissed(), "the next run tries the failed incident again");
  }

  @Test
  void aRunThatGetsNothingDoneThrowsSoTheQueueTriesAgain() {
    azure
        .emulator
        .faults()
        .inject(new FaultRule("POST", ".*/incidents/[^/]+/alerts$", Fault.status(500, null), 100));
    String message = "{\"workspace\":\"" + EmulatedAzure.WORKSPACE + "\"}";

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> functions.workspace(message, context));
    assertTrue(e.getMessage().contains("tried again"), e.getMessage());

    azure.emulator.faults().clear();
    functions.workspace(message, context);
    assertEquals(5, dismissed());
  }

  long dismissed() {
    return azure.emulator.state().mdcAlerts().stream()
        .filter(a -> a.path("properties").path("status").asText().equals("Dismissed"))
        .count();
  }

  @Test
  void aMalformedMessageFailsNamingTheExpectedShape() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> functions.workspace("not json", context));
    assertTrue(e.getMessage().contains("{\"workspace\""), e.getMessage());
  }

  @Test
  void onDemandDryRunAnswersAReportPerWorkspaceAndWritesNothing() throws Exception {
    HttpResponseMessage response =
        functions.onDemand(new FakeHttpRequest("{\"dryRun\":true}", Map.of()), context);

    assertEquals(200, response.getStatusCode());
    JsonNode reports = Json.MAPPER.readTree((String) response.getBody());
    assertEquals(2, reports.size());
    assertEquals(EmulatedAzure.WORKSPACE, reports.get(0).path("workspace").asText());
    assertTrue(reports.get(0).path("dryRun").asBoolean());
    assertEquals(List.of(), azure.writes());

    HttpResponseMessage bad =
        functions.onDemand(new FakeHttpRequest("{\"since\":\"yesterday\"}", Map.of()), context);
    assertEquals(400, bad.getStatusCode());
    assertTrue(((String) bad.getBody()).contains("'yesterday' is not an ISO-8601 time"));
  }

  @Test
  void aMalformedDryRunFieldIs400EvenWhenTheQueryAsksForADryRun() throws Exception {
    HttpResponseMessage response =
        functions.onDemand(
            new FakeHttpRequest("{\"dryRun\":\"yes\"}", Map.of("dryRun", "true")), context);

    assertEquals(400, response.getStatusCode());
    assertEquals(
        "dryRun",
        Json.MAPPER.readTree((String) response.getBody()).path("error").path("field").asText());
    assertEquals(List.of(), azure.emulator.requests());
  }
}
