package org.sentinelplaybooks.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.ManualClock;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.block.BlockIpPlaybook;
import org.sentinelplaybooks.playbooks.block.ExpireBlocks;
import org.sentinelplaybooks.playbooks.close.CloseIncidentPlaybook;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.InMemoryEventSink;
import org.sentinelplaybooks.playbooks.core.LoggerEventSink;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.PlaybookEvent;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.core.RunTelemetry;
import org.sentinelplaybooks.playbooks.identity.ConfirmRiskyUserPlaybook;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileReport;
import org.sentinelplaybooks.playbooks.reconcile.Reconciler;
import org.sentinelplaybooks.playbooks.state.BlockRecord;
import org.sentinelplaybooks.playbooks.state.BlockStore;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketPlaybook;

/** Every run leaves one structured event per action and one for the run, on the run's logger. */
class PlaybookEventsTest extends PlaybookTest {

  /** The events the runs wrote to the test's logger, as the lines Application Insights gets. */
  List<JsonNode> events() {
    return azure.logs.stream()
        .map(r -> r.getMessage())
        .filter(m -> m.startsWith(LoggerEventSink.PREFIX))
        .map(m -> json(m.substring(LoggerEventSink.PREFIX.length())))
        .toList();
  }

  List<JsonNode> events(String kind) {
    return events().stream().filter(e -> e.path("event").asText().equals(kind)).toList();
  }

  long incidentNumber() {
    return azure
        .emulator
        .state()
        .incident(EmulatedAzure.INCIDENT)
        .orElseThrow()
        .path("properties")
        .path("incidentNumber")
        .asLong();
  }

  @Test
  void eachActionOfABlockIpRunIsOneEventWithTheIncidentTargetAndOutcome() {
    PlaybookResult result = azure.run(BlockIpPlaybook.NAME, EmulatedAzure.triggerBody());

    List<JsonNode> actions = events(PlaybookEvent.ACTION_EVENT);
    assertEquals(result.actions().size(), actions.size(), events().toString());
    Set<String> runIds = Set.copyOf(events().stream().map(e -> e.path("runId").asText()).toList());
    assertEquals(1, runIds.size(), "one run id for the whole run: " + runIds);
    assertFalse(runIds.iterator().next().isBlank());
    for (int i = 0; i < actions.size(); i++) {
      JsonNode event = actions.get(i);
      ActionResult action = result.actions().get(i);
      assertEquals(BlockIpPlaybook.NAME, event.path("playbook").asText());
      assertEquals(EmulatedAzure.INCIDENT, event.path("incidentId").asText());
      assertEquals(incidentNumber(), event.path("incidentNumber").asLong(), event.toString());
      assertEquals(EmulatedAzure.WORKSPACE, event.path("workspace").asText());
      assertEquals(
          action.target(),
          event.path("targetKind").asText() + ":" + event.path("targetId").asText());
      assertEquals(action.action(), event.path("action").asText());
      assertEquals(action.outcome().wireName(), event.path("outcome").asText());
      assertEquals(action.detail(), event.path("detail").asText());
      assertFalse(event.path("dryRun").asBoolean());
      assertTrue(event.path("durationMs").isIntegralNumber());
    }
    assertTrue(
        actions.stream().anyMatch(e -> e.path("targetKind").asText().equals("nsg")),
        actions.toString());

    List<JsonNode> runs = events(PlaybookEvent.RUN_EVENT);
    assertEquals(1, runs.size());
    JsonNode run = runs.get(0);
    assertEquals(result.status().wireName(), run.path("status").asText());
    for (Outcome outcome : Outcome.values()) {
      assertEquals(result.count(outcome), run.path(outcome.wireName()).asLong(), run.toString());
    }
  }

  @Test
  void theFunctionsInvocationIdIsTheRunIdAndADryRunSaysSo() {
    azure.playbooks.run(
        CloseIncidentPlaybook.NAME,
        "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\",\"classification\":\"TruePositive\"}",
        true,
        azure.log,
        "invocation-7");

    assertFalse(events().isEmpty());
    assertTrue(events().stream().allMatch(e -> e.path("runId").asText().equals("invocation-7")));
    assertTrue(events().stream().allMatch(e -> e.path("dryRun").asBoolean()));
    assertTrue(
        events(PlaybookEvent.ACTION_EVENT).stream()
            .allMatch(
                e ->
                    e.path("outcome").asText().equals("planned")
                        || e.path("outcome").asText().equals("already")
                        || e.path("outcome").asText().equals("skipped")),
        events().toString());
  }

  @Test
  void aRunStoppedByAServiceErrorStillReportsItsRunAsFailed() {
    azure
        .emulator
        .faults()
        .inject(new FaultRule("GET", "/incidents/", Fault.status(500, null), 50));

    assertThrows(
        ApiException.class,
        () -> azure.run(CreateTicketPlaybook.NAME, EmulatedAzure.triggerBody()));

    List<JsonNode> runs = events(PlaybookEvent.RUN_EVENT);
    assertEquals(1, runs.size(), events().toString());
    assertEquals("failed", runs.get(0).path("status").asText());
    assertEquals(EmulatedAzure.INCIDENT, runs.get(0).path("incidentId").asText());
    assertFalse(runs.get(0).path("detail").asText().isBlank());
  }

  @Test
  void badInputIsAnsweredAndNotReportedAsARun() {
    assertThrows(
        BadInputException.class, () -> azure.run(CloseIncidentPlaybook.NAME, "{\"incidentId\":1}"));

    assertTrue(events().isEmpty(), events().toString());
  }

  @Test
  void reconcileReportsEachChangeAndItsRunPerWorkspace() {
    azure
        .emulator
        .state()
        .editIncident(
            EmulatedAzure.INCIDENT,
            incident -> {
              var p = (com.fasterxml.jackson.databind.node.ObjectNode) incident.path("properties");
              p.put("status", "Closed");
              p.put("classification", "FalsePositive");
              p.put("lastModifiedTimeUtc", azure.clients.clock().instant().toString());
            });

    ReconcileReport report = azure.reconcile(EmulatedAzure.WORKSPACE, false);

    List<JsonNode> actions = events(PlaybookEvent.ACTION_EVENT);
    assertEquals(report.actions().size(), actions.size(), events().toString());
    assertTrue(report.count("dismiss", Outcome.DONE) > 0, report.toString());
    assertTrue(
        actions.stream()
            .allMatch(
                e ->
                    e.path("playbook").asText().equals(Reconciler.NAME)
                        && e.path("workspace").asText().equals(EmulatedAzure.WORKSPACE)));
    JsonNode run = events(PlaybookEvent.RUN_EVENT).get(0);
    assertEquals(report.status().wireName(), run.path("status").asText());
    assertEquals(report.count(Outcome.DONE), run.path("done").asLong());
  }

  @Test
  void everyReconcileActionIsAnEventEvenPastWhatItsReportLists() {
    InMemoryEventSink sink = new InMemoryEventSink();
    RunTelemetry telemetry =
        new RunTelemetry(
            "sweep", sink, Clock.fixed(Instant.parse("2026-11-01T08:00:00Z"), ZoneOffset.UTC));
    ReconcileReport.Builder report =
        new ReconcileReport.Builder(
            EmulatedAzure.WORKSPACE,
            false,
            action -> telemetry.reconciled(EmulatedAzure.WORKSPACE, action, false));
    int made = ReconcileReport.MOST_LISTED + 500;
    for (int i = 0; i < made; i++) {
      report.add(ActionResult.of("mdc-alert:/alerts/" + i, "dismiss", Outcome.DONE, "dismissed"));
    }

    ReconcileReport built = report.build(false, 0);
    telemetry.finished(built);

    assertEquals(ReconcileReport.MOST_LISTED, built.actions().size());
    assertEquals(made + 1, sink.events().size());
    PlaybookEvent run = sink.events().get(made);
    assertEquals(PlaybookEvent.RUN_EVENT, run.kind());
    assertEquals((long) made, run.get("done"));
  }

  @Test
  void expireBlocksReportsTheAddressesStillBlockedWithTheirExpiryAndIncident() {
    ManualClock clock = onAClock();
    azure.run(BlockIpPlaybook.NAME, EmulatedAzure.triggerBody());
    azure.logs.clear();

    azure
        .playbooks
        .expireBlocks()
        .run(clock.instant(), new RunContext(false, azure.log, azure.clients.clock()));

    List<JsonNode> blocks = events(PlaybookEvent.BLOCK_EVENT);
    assertFalse(blocks.isEmpty(), events().toString());
    for (JsonNode block : blocks) {
      assertEquals(EmulatedAzure.INCIDENT, block.path("incidentId").asText());
      assertTrue(Instant.parse(block.path("expiresAt").asText()).isAfter(clock.instant()));
      assertFalse(block.path("address").asText().isBlank());
    }
    assertTrue(blocks.stream().anyMatch(b -> b.path("targetKind").asText().equals("ip-group")));
    assertEquals(1, events(PlaybookEvent.RUN_EVENT).size());
  }

  @Test
  void aBlocksTableThatCannotBeListedFailsNoExpiryRun() {
    BlockStore store =
        new BlockStore() {
          @Override
          public Optional<BlockRecord> get(String target, String address) {
            return Optional.empty();
          }

          @Override
          public Instant extend(BlockRecord wanted) {
            return wanted.expiresAt();
          }

          @Override
          public List<BlockRecord> expired(Instant now) {
            return List.of();
          }

          @Override
          public List<BlockRecord> all() {
            throw new IllegalStateException("table unavailable");
          }

          @Override
          public Optional<BlockRecord> claim(BlockRecord read) {
            return Optional.empty();
          }

          @Override
          public boolean remove(BlockRecord claimed) {
            return false;
          }
        };

    PlaybookResult result =
        new ExpireBlocks(null, List.of(), store)
            .run(
                Instant.parse("2026-11-01T08:00:00Z"),
                new RunContext(false, azure.log, azure.clients.clock()));

    assertEquals(RunStatus.SUCCEEDED, result.status());
    assertEquals(1, events(PlaybookEvent.RUN_EVENT).size());
    assertTrue(
        azure.logs.stream().anyMatch(r -> r.getMessage().contains("table unavailable")),
        "the reason is logged");
  }

  @Test
  void noEventCarriesTheGeneratedPasswordOrTheServiceNowPassword() {
    azure.run(CreateTicketPlaybook.NAME, EmulatedAzure.triggerBody());
    azure.run(ConfirmRiskyUserPlaybook.NAME, EmulatedAzure.triggerBody());
    String generated =
        azure.emulator.requests().stream()
            .filter(r -> r.method().equals("PATCH") && r.body().contains("passwordProfile"))
            .map(RecordedRequest::body)
            .map(b -> json(b).path("passwordProfile").path("password").asText())
            .findFirst()
            .orElseThrow();

    assertFalse(events().isEmpty());
    for (JsonNode event : events()) {
      assertFalse(event.toString().contains(generated), event.toString());
      assertFalse(event.toString().contains(azure.serviceNowPassword), event.toString());
    }
  }

  @Test
  void durationIsTheRunsTimeOnItsClock() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    InMemoryEventSink sink = new InMemoryEventSink();
    RunTelemetry telemetry = new RunTelemetry("run-1", sink, clock);
    clock.advance(Duration.ofMillis(1250));

    telemetry.finished(
        PlaybookResult.of(
            CloseIncidentPlaybook.NAME,
            EmulatedAzure.INCIDENT,
            false,
            List.of(
                ActionResult.of(
                    "incident:" + EmulatedAzure.INCIDENT, "close", Outcome.DONE, "closed"))));

    assertEquals(2, sink.events().size());
    assertTrue(
        sink.events().stream().allMatch(e -> Long.valueOf(1250).equals(e.get("durationMs"))));
    assertEquals("incident", sink.events().get(0).get("targetKind"));
    assertEquals(EmulatedAzure.INCIDENT, sink.events().get(0).get("targetId"));
  }

  @Test
  void aRunOverManyIncidentsNamesEachActionsIncidentAndWorkspace() {
    InMemoryEventSink sink = new InMemoryEventSink();
    RunTelemetry telemetry =
        new RunTelemetry(
            "run-2", sink, Clock.fixed(Instant.parse("2026-11-01T08:00:00Z"), ZoneOffset.UTC));

    telemetry.finished(
        PlaybookResult.of(
            ExpireBlocks.NAME,
            null,
            false,
            List.of(
                ActionResult.of(
                    "ip-group:" + EmulatedAzure.IP_GROUP, "unblock", Outcome.DONE, "lifted"),
                ActionResult.of(
                    "incident:" + EmulatedAzure.INCIDENT, "comment", Outcome.DONE, "comment"))));

    assertEquals(null, sink.events().get(0).get("incidentId"));
    assertEquals(EmulatedAzure.INCIDENT, sink.events().get(1).get("incidentId"));
    assertEquals(EmulatedAzure.WORKSPACE, sink.events().get(1).get("workspace"));
  }
}
