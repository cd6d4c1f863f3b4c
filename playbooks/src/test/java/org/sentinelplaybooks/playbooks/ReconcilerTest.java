package org.sentinelplaybooks.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.emulator.RecordedRequest;

class ReconcilerTest extends PlaybookTest {
  static final WorkspaceId WORKSPACE = WorkspaceId.parse(EmulatedAzure.WORKSPACE);

  ReconcileReport reconcile() {
    return azure.reconcile(EmulatedAzure.WORKSPACE, false);
  }

  /** The attack incident's linked Defender for Cloud alerts (the test alert is not linked). */
  List<ObjectNode> linkedAlerts() {
    return azure.emulator.state().mdcAlerts().stream()
        .filter(a -> !a.path("name").asText().startsWith("2517538088322968299"))
        .toList();
  }

  void setIncident(String status, String classification) {
    azure
        .emulator
        .state()
        .editIncident(
            EmulatedAzure.INCIDENT,
            incident -> {
              ObjectNode p = (ObjectNode) incident.path("properties");
              p.put("status", status);
              if (classification != null) {
                p.put("classification", classification);
              } else {
                p.remove("classification");
              }
              p.put("lastModifiedTimeUtc", java.time.Instant.now().toString());
            });
  }

  void setLinkedAlerts(String status) {
    for (ObjectNode alert : linkedAlerts()) {
      ((ObjectNode) alert.path("properties")).put("status", status);
      azure.emulator.state().putMdcAlert(alert);
    }
  }

  String incidentStatus() {
    return azure
        .emulator
        .state()
        .incident(EmulatedAzure.INCIDENT)
        .orElseThrow()
        .path("properties")
        .path("status")
        .asText();
  }

  @Test
  void aClosedIncidentsActiveAlertsAreDismissedAndASecondRunWritesNothing() {
    setIncident("Closed", "FalsePositive");

    ReconcileReport report = reconcile();

    assertTrue(report.ran());
    assertEquals(RunStatus.SUCCEEDED, report.status(), report.toString());
    assertEquals(5, report.count("dismiss", Outcome.DONE), report.toString());
    assertTrue(
        linkedAlerts().stream()
            .allMatch(a -> a.path("properties").path("status").asText().equals("Dismissed")));
    assertTrue(
        azure.emulator.requests().stream()
            .anyMatch(r -> r.path().equals("/providers/Microsoft.ResourceGraph/resources")),
        "alert states are read in bulk");
    assertEquals(
        0,
        azure.emulator.requests().stream()
            .filter(r -> r.method().equals("GET") && r.path().contains("/Microsoft.Security/"))
            .count(),
        "no alert is read one by one");
    List<ObjectNode> comments = azure.emulator.state().comments(EmulatedAzure.INCIDENT);
    assertTrue(
        comments
            .get(comments.size() - 1)
            .path("properties")
            .path("message")
            .asText()
            .contains("[sentinel-playbooks] reconcile"));

    azure.emulator.clearRequests();
    ReconcileReport again = reconcile();
    assertEquals(List.of(), azure.writes(), "a second run writes nothing");
    assertEquals(0, again.count("dismiss", Outcome.DONE));
  }

  @Test
  void whereResourceGraphIsRefusedTheAlertsAreReadOneByOne() {
    azure
        .emulator
        .faults()
        .inject(
            new org.sentinelplaybooks.emulator.FaultRule(
                "POST",
                "/providers/Microsoft\\.ResourceGraph/resources",
                org.sentinelplaybooks.emulator.Fault.status(403, null),
                1));
    setIncident("Closed", "FalsePositive");

    ReconcileReport report = reconcile();

    assertEquals(RunStatus.SUCCEEDED, report.status(), report.toString());
    assertEquals(5, report.count("dismiss", Outcome.DONE));
    assertEquals(
        5,
        azure.emulator.requests().stream()
            .filter(r -> r.method().equals("GET") && r.path().contains("/Microsoft.Security/"))
            .count(),
        "one GET per alert");
  }

  @Test
  void aTruePositiveIncidentsAlertsAreResolved() {
    setIncident("Closed", "TruePositive");

    ReconcileReport report = reconcile();

    assertEquals(5, report.count("resolve", Outcome.DONE), report.toString());
    assertTrue(
        linkedAlerts().stream()
            .allMatch(a -> a.path("properties").path("status").asText().equals("Resolved")));
  }

  /** Takes a linked alert's status away, as a row Resource Graph answers with no state. */
  String withoutStatus(int linked) {
    ObjectNode alert = linkedAlerts().get(linked);
    ((ObjectNode) alert.path("properties")).remove("status");
    azure.emulator.state().putMdcAlert(alert);
    return alert.path("id").asText();
  }

  /**
   * Resource Graph rows are PascalCase (properties.Status: Learn sample "Display all active
   * Microsoft Defender for Cloud alerts", MicrosoftDocs/azure-docs
   * includes/resource-graph/samples/bycat/microsoft-defender.md). An alert whose state still comes
   * back empty is unknown: read again by GET, and neither dismissed nor counted as closed.
   */
  @Test
  void anAlertWhoseStateIsUnknownIsReadAgainAndNeverActedOn() {
    String unknown = withoutStatus(0);
    setIncident("Closed", "FalsePositive");

    ReconcileReport report = reconcile();

    assertEquals(4, report.count("dismiss", Outcome.DONE), report.toString());
    assertEquals(1, report.count("dismiss", Outcome.SKIPPED), report.toString());
    assertTrue(
        azure.emulator.requests().stream()
            .anyMatch(r -> r.method().equals("GET") && r.path().equalsIgnoreCase(unknown)),
        "the unknown alert is read again from the alerts API");
    assertTrue(
        azure.writes().stream().noneMatch(w -> w.path().startsWith(unknown)),
        "nothing is written to it");
    assertTrue(
        azure
            .emulator
            .state()
            .mdcAlert(unknown)
            .orElseThrow()
            .path("properties")
            .path("status")
            .isMissingNode());
  }

  @Test
  void anOpenIncidentWithAnAlertOfUnknownStateIsNotClosed() {
    setLinkedAlerts("Dismissed");
    withoutStatus(0);

    ReconcileReport report = reconcile();

    assertEquals(0, report.count("close", Outcome.DONE), report.toString());
    assertEquals("New", incidentStatus());
  }

  /**
   * An open incident can carry an earlier verdict; closing it as Undetermined sends no earlier
   * reason (Undetermined takes none: Incidents.json) or comment.
   */
  @Test
  void closingAnIncidentThatCarriesAnEarlierVerdictSendsNoEarlierReason() {
    setLinkedAlerts("Dismissed");
    reopenWithAnEarlierVerdict();

    ReconcileReport report = reconcile();

    assertEquals(1, report.count("close", Outcome.DONE), report.toString());
    JsonNode properties = incidentProperties();
    assertEquals("Undetermined", properties.path("classification").asText());
    assertTrue(properties.path("classificationReason").isMissingNode(), properties.toString());
    assertTrue(
        properties.path("classificationComment").asText().contains("Defender for Cloud alerts"));
  }

  @Test
  void anOpenIncidentWhoseAlertsAreAllDismissedIsClosedAndStaysClosedAfterAReopen() {
    setLinkedAlerts("Dismissed");

    ReconcileReport report = reconcile();

    assertEquals(1, report.count("close", Outcome.DONE), report.toString());
    JsonNode properties = incidentProperties();
    assertEquals("Closed", properties.path("status").asText());
    assertEquals("Undetermined", properties.path("classification").asText());
    assertTrue(
        properties.path("classificationComment").asText().contains("Defender for Cloud alerts"));

    setIncident("Active", null);
    ReconcileReport afterReopen = reconcile();
    assertEquals("Active", incidentStatus(), "an incident people reopened is not closed again");
    assertEquals(0, afterReopen.count("close", Outcome.DONE));

    setIncident("Closed", "BenignPositive");
    azure.emulator.clearRequests();
    reconcile();
    assertEquals(List.of(), azure.writes(), "closed again, with its alerts already dismissed");
  }

  @Test
  void reopeningReactivatesTheAlertsWhenThatRuleIsOn() {
    azure.close();
    azure =
        EmulatedAzure.start(
            Map.of(Settings.RECONCILE_RULES, "close-alerts,close-incident,reopen-alerts"));
    setIncident("Closed", "FalsePositive");
    reconcile();
    setIncident("Active", null);

    ReconcileReport report = reconcile();

    assertEquals(5, report.count("activate", Outcome.DONE), report.toString());
    assertEquals("Active", incidentStatus());
  }

  @Test
  void aResolvedTicketClosesTheIncidentAndAClosedIncidentResolvesItsTicket() {
    azure.run(CreateTicketPlaybook.NAME, "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\"}");
    String sysId = azure.emulator.state().serviceNowIncidents().get(0).path("sys_id").asText();
    azure
        .clients
        .serviceNow()
        .orElseThrow()
        .update(
            sysId,
            Map.of(
                "state",
                "6",
                "close_code",
                "Solved (Permanently)",
                "close_notes",
                "False alarm: pentest by the red team"));

    reconcile();

    ObjectNode properties =
        (ObjectNode)
            azure
                .emulator
                .state()
                .incident(EmulatedAzure.INCIDENT)
                .orElseThrow()
                .path("properties");
    assertEquals("Closed", properties.path("status").asText());
    assertTrue(
        properties.path("classificationComment").asText().contains("pentest by the red team"),
        properties.toString());

    azure.clients.serviceNow().orElseThrow().update(sysId, Map.of("state", "2"));
    reconcile();
    assertEquals("6", azure.emulator.state().serviceNowIncidents().get(0).path("state").asText());
  }

  @Test
  void aDryRunPlansAndWritesNothing() {
    setIncident("Closed", "FalsePositive");
    azure.emulator.clearRequests();

    ReconcileReport report = azure.reconcile(EmulatedAzure.WORKSPACE, true);

    assertEquals(5, report.count("dismiss", Outcome.PLANNED));
    assertEquals(List.of(), azure.writes());
  }

  @Test
  void twoConcurrentRunsOnOneWorkspaceOnlyOneProceeds() {
    setIncident("Closed", "FalsePositive");
    azure.emulator.faults().setLatency(Duration.ofMillis(40));

    CompletableFuture<ReconcileReport> first = CompletableFuture.supplyAsync(this::reconcile);
    CompletableFuture<ReconcileReport> second = CompletableFuture.supplyAsync(this::reconcile);

    List<ReconcileReport> reports = List.of(first.join(), second.join());
    assertEquals(1, reports.stream().filter(ReconcileReport::ran).count(), reports.toString());
    ReconcileReport skipped = reports.stream().filter(r -> !r.ran()).findFirst().orElseThrow();
    assertTrue(skipped.actions().get(0).detail().contains("another run"));
    long dismissals =
        azure.emulator.requests().stream()
            .filter(RecordedRequest::isWrite)
            .filter(r -> r.path().endsWith("/dismiss"))
            .count();
    assertEquals(5, dismissals, "each alert dismissed once");
  }

  @Test
  void aWorkspaceOutsideTheAllowListIsRefused() {
    WorkspaceId other =
        WorkspaceId.parse(EmulatedAzure.WORKSPACE.replace("law-sentinel-prod", "law-other"));
    BadInputException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BadInputException.class,
            () ->
                azure
                    .playbooks
                    .reconciler()
                    .reconcile(
                        other,
                        new Reconciler.Request(null, false),
                        new RunContext(false, azure.log),
                        n -> {}));
    assertTrue(e.getMessage().contains(Settings.SENTINEL_WORKSPACES));
    assertFalse(azure.emulator.requests().stream().anyMatch(RecordedRequest::isWrite));
  }
}
