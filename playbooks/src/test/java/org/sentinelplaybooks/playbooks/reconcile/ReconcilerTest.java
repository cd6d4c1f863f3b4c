package org.sentinelplaybooks.playbooks.reconcile;

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
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;
import org.sentinelplaybooks.playbooks.AttackScenario;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.PlaybookTest;
import org.sentinelplaybooks.playbooks.ServiceNowDesk;
import org.sentinelplaybooks.playbooks.TestJson;
import org.sentinelplaybooks.playbooks.close.DefenderXdrCloseTest;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.state.Checkpoint;
import org.sentinelplaybooks.playbooks.state.TableCheckpointStore;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketPlaybook;

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
              p.put("lastModifiedTimeUtc", azure.clients.clock().instant().toString());
            });
  }

  /** Sets the attack incident's labels, as any Sentinel Responder can. */
  void setLabels(String... labels) {
    azure
        .emulator
        .state()
        .editIncident(
            EmulatedAzure.INCIDENT,
            incident -> {
              ObjectNode p = (ObjectNode) incident.path("properties");
              com.fasterxml.jackson.databind.node.ArrayNode list = p.putArray("labels");
              for (String label : labels) {
                list.addObject().put("labelName", label).put("labelType", "User");
              }
              p.put("lastModifiedTimeUtc", azure.clients.clock().instant().toString());
            });
  }

  void setLinkedAlerts(String status) {
    for (ObjectNode alert : linkedAlerts()) {
      ((ObjectNode) alert.path("properties")).put("status", status);
      azure.emulator.state().putMdcAlert(alert);
    }
  }

  /** Sets the attack incident's Defender for Endpoint alert in Defender XDR. */
  void setXdrAlert(String status, String classification) {
    ObjectNode alert = xdrAlert();
    alert.put("status", status).put("classification", classification);
    azure.emulator.state().putXdrAlert(alert);
  }

  ObjectNode xdrAlert() {
    return azure.emulator.state().xdrAlert(AttackScenario.XDR_ALERT).orElseThrow();
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

    assertEquals(5, report.count("mdc-alert", "resolve", Outcome.DONE), report.toString());
    assertTrue(
        linkedAlerts().stream()
            .allMatch(a -> a.path("properties").path("status").asText().equals("Resolved")));
    // close-xdr-alerts: the incident's Defender for Endpoint alert is resolved in Defender XDR.
    assertEquals(1, report.count("xdr-alert", "resolve", Outcome.DONE), report.toString());
    assertEquals(1, report.count("xdr-alert", "read", Outcome.DONE), "the XDR alert was read");
    assertEquals("resolved", xdrAlert().path("status").asText());
    assertEquals("truePositive", xdrAlert().path("classification").asText());
    assertEquals("other", xdrAlert().path("determination").asText());

    azure.emulator.clearRequests();
    ReconcileReport again = reconcile();
    assertEquals(List.of(), azure.writes(), "a rerun writes nothing: " + again);
  }

  @Test
  void aClosedIncidentsXdrAlertIsLeftWhenTheRuleIsOffOrDefenderXdrOwnsTheIncident() {
    azure.close();
    azure =
        EmulatedAzure.start(
            Map.of(ReconcileSettings.RECONCILE_RULES, "close-alerts,close-incident"));
    setIncident("Closed", "TruePositive");
    ReconcileReport off = reconcile();
    assertEquals(0, off.count("xdr-alert", "resolve", Outcome.DONE), off.toString());
    assertEquals("new", xdrAlert().path("status").asText());

    azure.close();
    azure = EmulatedAzure.start();
    setIncident("Closed", "TruePositive");
    azure
        .emulator
        .state()
        .editIncident(
            EmulatedAzure.INCIDENT,
            incident ->
                ((ObjectNode) incident.path("properties"))
                    .put("providerName", "Microsoft XDR")
                    .put("providerIncidentId", "31337"));
    ReconcileReport owned = reconcile();
    assertEquals(0, owned.count("xdr-alert", "resolve", Outcome.DONE), owned.toString());
    assertTrue(
        owned.actions().stream()
            .anyMatch(
                a ->
                    a.action().equals("close-xdr-alerts")
                        && a.detail().contains("Defender XDR resolves them with the incident")),
        owned.toString());
    assertTrue(
        azure.writes().stream().noneMatch(w -> w.path().startsWith("/v1.0/")),
        "no second writer to an incident Defender XDR owns");
  }

  @Test
  void anOpenIncidentWhoseDefenderXdrAlertIsOpenStaysOpen() {
    setLinkedAlerts("Dismissed");

    ReconcileReport report = reconcile();

    assertEquals(0, report.count("close", Outcome.DONE), report.toString());
    assertEquals("New", incidentStatus(), "every alert of every product must be closed");

    setXdrAlert("unknownFutureValue", "unknown");
    ReconcileReport unknown = reconcile();
    assertEquals(0, unknown.count("close", Outcome.DONE), "a state it cannot read is not closed");
    assertTrue(
        unknown.actions().stream().noneMatch(a -> a.target().startsWith("xdr-alert:")),
        unknown.toString());
  }

  @Test
  void anXdrAlertDefenderXdrDoesNotHaveKeepsTheIncidentOpenAndSaysWhy() {
    setLinkedAlerts("Dismissed");
    azure.emulator.reset(
        org.sentinelplaybooks.emulator.Scenario.fromJson(
            DefenderXdrCloseTest.withoutXdrAlerts(
                org.sentinelplaybooks.emulator.Scenario.builtIn("attack").toJson())));
    setLinkedAlerts("Dismissed");

    ReconcileReport report = reconcile();

    assertEquals("New", incidentStatus());
    assertTrue(
        report.actions().stream()
            .anyMatch(
                a ->
                    a.action().equals("read-xdr-alert")
                        && a.outcome() == Outcome.SKIPPED
                        && a.detail().contains("not found in Defender XDR")),
        report.toString());
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
    setXdrAlert("resolved", "falsePositive");
    reopenWithAnEarlierVerdict();

    ReconcileReport report = reconcile();

    assertEquals(1, report.count("close", Outcome.DONE), report.toString());
    JsonNode properties = incidentProperties();
    assertEquals("Undetermined", properties.path("classification").asText());
    assertTrue(properties.path("classificationReason").isMissingNode(), properties.toString());
    assertTrue(
        properties
            .path("classificationComment")
            .asText()
            .contains("Defender for Cloud and Defender XDR alerts"));
  }

  @Test
  void anOpenIncidentWhoseAlertsAreAllDismissedIsClosedAndStaysClosedAfterAReopen() {
    setLinkedAlerts("Dismissed");
    setXdrAlert("resolved", "falsePositive");

    ReconcileReport report = reconcile();

    assertEquals(1, report.count("close", Outcome.DONE), report.toString());
    JsonNode properties = incidentProperties();
    assertEquals("Closed", properties.path("status").asText());
    assertEquals("Undetermined", properties.path("classification").asText());
    assertTrue(
        properties
            .path("classificationComment")
            .asText()
            .contains("Defender for Cloud and Defender XDR alerts"));

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
            Map.of(ReconcileSettings.RECONCILE_RULES, "close-alerts,close-incident,reopen-alerts"));
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
    new ServiceNowDesk(azure)
        .edit(
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

    new ServiceNowDesk(azure).edit(sysId, Map.of("state", "2"));
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
    // The first run is held in its first call, lease taken, until the second has tried: the two
    // overlap by construction, not by how long a call takes.
    java.util.concurrent.CountDownLatch firstInACall = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch secondDone = new java.util.concurrent.CountDownLatch(1);
    azure.emulator.useClock(
        java.time.Clock.systemUTC(),
        latency -> {
          if (firstInACall.getCount() > 0) {
            firstInACall.countDown();
            awaitOrFail(secondDone);
          }
        });
    azure.emulator.faults().setLatency(Duration.ofMillis(40));

    CompletableFuture<ReconcileReport> first = CompletableFuture.supplyAsync(this::reconcile);
    awaitOrFail(firstInACall);
    CompletableFuture<ReconcileReport> second = CompletableFuture.completedFuture(reconcile());
    secondDone.countDown();

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

  /** Waits for another thread's step, failing the test rather than hanging when it never comes. */
  static void awaitOrFail(java.util.concurrent.CountDownLatch latch) {
    try {
      if (!latch.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new AssertionError("the other run never got there");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Test
  void aWorkspaceOutsideTheAllowListIsRefused() {
    WorkspaceId other =
        WorkspaceId.parse(EmulatedAzure.WORKSPACE.replace("law-sentinel-prod", "law-other"));
    BadInputException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BadInputException.class,
            () ->
                azure.playbooks.reconcile(
                    new ReconcileOptions(other, null, false),
                    azure.log,
                    "run",
                    ReconcileProgress.NONE));
    assertTrue(e.getMessage().contains(PlaybookSettings.SENTINEL_WORKSPACES));
    assertFalse(azure.emulator.requests().stream().anyMatch(RecordedRequest::isWrite));
  }

  static final String OTHER_INCIDENT_NAME = "5e0c4f1a-7b2d-4c3e-9f8a-6b5c4d3e2f10";
  static final String OTHER_INCIDENT =
      EmulatedAzure.WORKSPACE
          + "/providers/Microsoft.SecurityInsights/incidents/"
          + OTHER_INCIDENT_NAME;

  /**
   * The attack incident's first Sentinel alert (a Defender for Cloud one), as the scenario has it.
   */
  static ObjectNode attackAlert(int index) {
    try {
      JsonNode scenario = TestJson.MAPPER.readTree(Scenario.builtIn("attack").toJson());
      return (ObjectNode)
          scenario.path("sentinel").path("incidents").get(0).path("alerts").get(index).deepCopy();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A second incident in the workspace, with these Sentinel alerts. */
  void putOtherIncident(String status, String classification, List<ObjectNode> alerts) {
    ObjectNode incident = TestJson.object();
    incident.put("id", OTHER_INCIDENT).put("name", OTHER_INCIDENT_NAME);
    incident.put("type", "Microsoft.SecurityInsights/Incidents");
    incident.put("etag", "\"0000aaaa-0000-0000-0000-000000000001\"");
    ObjectNode p = incident.putObject("properties");
    p.put("title", "Several products, one host").put("severity", "High").put("status", status);
    if (classification != null) {
      p.put("classification", classification);
    }
    p.putArray("labels");
    p.put("incidentNumber", 4300);
    p.put("createdTimeUtc", azure.clients.clock().instant().minusSeconds(3600).toString());
    p.put("lastModifiedTimeUtc", azure.clients.clock().instant().toString());
    azure.emulator.state().putIncident(incident, alerts, List.of());
  }

  /** The Defender for Cloud alert behind a Sentinel alert, with this status. */
  void setMdcAlert(ObjectNode sentinelAlert, String status) {
    String name = sentinelAlert.path("properties").path("providerAlertId").asText();
    ObjectNode alert =
        azure.emulator.state().mdcAlerts().stream()
            .filter(a -> a.path("name").asText().equals(name))
            .findFirst()
            .orElseThrow();
    ((ObjectNode) alert.path("properties")).put("status", status);
    azure.emulator.state().putMdcAlert(alert);
  }

  String mdcAlertStatus(ObjectNode sentinelAlert) {
    String name = sentinelAlert.path("properties").path("providerAlertId").asText();
    return azure.emulator.state().mdcAlerts().stream()
        .filter(a -> a.path("name").asText().equals(name))
        .findFirst()
        .orElseThrow()
        .path("properties")
        .path("status")
        .asText();
  }

  String status(String incidentId) {
    return azure
        .emulator
        .state()
        .incident(incidentId)
        .orElseThrow()
        .path("properties")
        .path("status")
        .asText();
  }

  long alertWrites() {
    return azure.emulator.requests().stream()
        .filter(RecordedRequest::isWrite)
        .filter(r -> r.path().contains("/Microsoft.Security/"))
        .count();
  }

  /** The workspace's checkpoint as the last run left it. */
  Checkpoint checkpoint() {
    TableCheckpointStore store =
        new TableCheckpointStore(azure.clients.tables().orElseThrow(), azure.clients.clock());
    Checkpoint taken =
        store.acquire(EmulatedAzure.WORKSPACE, "probe", Duration.ofSeconds(30)).orElseThrow();
    store.release(taken);
    return taken;
  }

  @Test
  void partialEvidenceClosesNothing() {
    ObjectNode dismissed = attackAlert(0);
    setMdcAlert(dismissed, "Dismissed");
    ObjectNode unseen = attackAlert(1);
    ((ObjectNode) unseen.path("properties"))
        .put("providerAlertId", "2517538088322968000_0f0e0d0c-0b0a-4909-8807-060504030201")
        .put("alertDisplayName", "Alert Resource Graph cannot show");
    ((ObjectNode) unseen.path("properties")).remove("alertLink");
    ((ObjectNode) unseen.path("properties")).put("systemAlertId", "unseen-1");
    unseen.put("name", "unseen-1");
    ObjectNode ransomware = attackAlert(2);
    ((ObjectNode) ransomware.path("properties"))
        .put("productName", "Microsoft Defender Advanced Threat Protection")
        .put("alertDisplayName", "Ransomware activity")
        .put("providerAlertId", "da638000000000000000_1234567890")
        .put("systemAlertId", "mde-1")
        .put("status", "New");
    ransomware.put("name", "mde-1");
    putOtherIncident("Active", null, List.of(dismissed, unseen, ransomware));

    ReconcileReport report = reconcile();

    assertEquals("Active", status(OTHER_INCIDENT), report.toString());
    assertEquals(0, report.count("close", Outcome.DONE), report.toString());
    List<ActionResult> about =
        report.actions().stream().filter(a -> a.target().endsWith(OTHER_INCIDENT_NAME)).toList();
    assertTrue(
        about.stream()
            .anyMatch(
                a ->
                    a.action().equals("read-alert")
                        && a.detail().contains("Alert Resource Graph cannot show")),
        "the unreadable alert is reported: " + about);
    assertTrue(
        about.stream()
            .anyMatch(
                a ->
                    a.action().equals("close")
                        && a.outcome() == Outcome.SKIPPED
                        && a.detail().contains("Ransomware activity")),
        "why it stays open is reported: " + about);
  }

  @Test
  void aTicketResolvedOutsideTheTrustedGroupsClosesTheIncidentButDismissesNoAlert() {
    azure.close();
    azure = EmulatedAzure.start(Map.of(ReconcileSettings.SERVICENOW_TRUSTED_GROUPS, TRUSTED_GROUP));
    resolveTicketAs("0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f");

    ReconcileReport first = reconcile();
    ReconcileReport second = reconcile();
    setIncident("Closed", "Undetermined");
    ReconcileReport third = reconcile();

    assertEquals("Closed", incidentStatus(), first.toString());
    ObjectNode properties =
        (ObjectNode)
            azure
                .emulator
                .state()
                .incident(EmulatedAzure.INCIDENT)
                .orElseThrow()
                .path("properties");
    assertTrue(
        properties
            .path("classificationComment")
            .asText()
            .contains("by 6816f79cc0a8016401c5a33be04be441"));
    assertTrue(
        properties.path("labels").toString().contains(ReconcileRules.CLOSED_FROM_TICKET),
        properties.toString());
    assertEquals(0, alertWrites(), "no alert is dismissed on a ServiceNow resolution alone");
    assertTrue(
        linkedAlerts().stream()
            .allMatch(a -> a.path("properties").path("status").asText().equals("Active")));
    assertEquals(0, second.count("dismiss", Outcome.DONE) + third.count("dismiss", Outcome.DONE));
  }

  static final String TRUSTED_GROUP = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
  static final String RESOLVER = "6816f79cc0a8016401c5a33be04be441";

  @Test
  void aTicketResolvedByAMemberOfATrustedGroupCountsAsTheSocsDecision() {
    azure.close();
    azure = EmulatedAzure.start(Map.of(ReconcileSettings.SERVICENOW_TRUSTED_GROUPS, TRUSTED_GROUP));
    azure.emulator.state().addServiceNowGroupMember(RESOLVER, TRUSTED_GROUP);
    resolveTicketAs("0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f");

    reconcile();
    ReconcileReport second = reconcile();

    assertEquals("Closed", incidentStatus());
    assertEquals(5, second.count("dismiss", Outcome.DONE), second.toString());
    RecordedRequest membership =
        azure.emulator.requests().stream()
            .filter(r -> r.path().equals("/api/now/table/sys_user_grmember"))
            .findFirst()
            .orElseThrow();
    assertEquals("GET", membership.method());
    assertEquals(
        "user=" + RESOLVER + "^groupIN" + TRUSTED_GROUP, membership.query().get("sysparm_query"));
    assertEquals("group", membership.query().get("sysparm_fields"));
  }

  @Test
  void aTicketWhoseAssignmentGroupIsTrustedButWhoseResolverIsNotDismissesNoAlert() {
    azure.close();
    azure = EmulatedAzure.start(Map.of(ReconcileSettings.SERVICENOW_TRUSTED_GROUPS, TRUSTED_GROUP));
    resolveTicketAs(TRUSTED_GROUP);

    reconcile();
    ReconcileReport second = reconcile();

    assertEquals("Closed", incidentStatus());
    assertEquals(0, second.count("dismiss", Outcome.DONE), second.toString());
    assertEquals(0, alertWrites(), "anyone may set a ticket's assignment group");
  }

  @Test
  void aGroupMembershipThatCannotBeReadIsNotTrusted() {
    azure.close();
    azure = EmulatedAzure.start(Map.of(ReconcileSettings.SERVICENOW_TRUSTED_GROUPS, TRUSTED_GROUP));
    azure.emulator.state().addServiceNowGroupMember(RESOLVER, TRUSTED_GROUP);
    resolveTicketAs(TRUSTED_GROUP);
    azure
        .emulator
        .faults()
        .inject(
            new org.sentinelplaybooks.emulator.FaultRule(
                "GET",
                "/api/now/table/sys_user_grmember",
                org.sentinelplaybooks.emulator.Fault.status(403, null),
                100));

    ReconcileReport first = reconcile();
    ReconcileReport second = reconcile();

    assertEquals("Closed", incidentStatus());
    assertTrue(
        first.actions().stream()
            .anyMatch(
                a ->
                    a.action().equals("read-group-membership")
                        && a.outcome() == Outcome.FAILED
                        && a.detail().startsWith("treated as not trusted")),
        first.toString());
    assertEquals(0, second.count("dismiss", Outcome.DONE), second.toString());
    assertEquals(0, alertWrites());
  }

  @Test
  void removingTheClosedFromTicketLabelInSentinelStillHoldsTheAlerts() {
    resolveTicketAs("0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f");
    reconcile();
    String ticketLabel =
        azure
            .emulator
            .state()
            .incident(EmulatedAzure.INCIDENT)
            .orElseThrow()
            .path("properties")
            .path("labels")
            .findValuesAsText("labelName")
            .stream()
            .filter(l -> l.startsWith(Reconciler.TICKET_LABEL))
            .findFirst()
            .orElseThrow();
    setLabels(ticketLabel);

    ReconcileReport second = reconcile();

    assertEquals("Closed", incidentStatus());
    assertEquals(0, second.count("dismiss", Outcome.DONE), second.toString());
    assertEquals(0, alertWrites());
  }

  @Test
  void addingTheClosedFromTicketLabelInSentinelHoldsNothing() {
    reconcile();
    setIncident("Closed", "FalsePositive");
    setLabels(ReconcileRules.CLOSED_FROM_TICKET);

    ReconcileReport report = reconcile();

    assertEquals(5, report.count("dismiss", Outcome.DONE), report.toString());
  }

  @Test
  void anIncidentReopenedAfterAClosingFromATicketIsTheSocsAgain() {
    resolveTicketAs("0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f");
    reconcile();
    setIncident("Active", null);
    reconcile();
    setIncident("Closed", "FalsePositive");

    ReconcileReport closedBySoc = reconcile();

    assertEquals(5, closedBySoc.count("dismiss", Outcome.DONE), closedBySoc.toString());
  }

  @Test
  void aResolvedTicketPlantedWithTheIncidentsCorrelationIdDoesNotCloseIt() {
    String name = EmulatedAzure.INCIDENT.substring(EmulatedAzure.INCIDENT.lastIndexOf('/') + 1);
    new ServiceNowDesk(azure)
        .file(
            Map.of(
                "correlation_id",
                name.toLowerCase(java.util.Locale.ROOT),
                "state",
                "6",
                "close_code",
                "Solved (Permanently)",
                "close_notes",
                "nothing to see"));
    setLabels(Reconciler.TICKET_LABEL + "INC0099999");
    azure.emulator.clearRequests();

    ReconcileReport report = reconcile();

    org.junit.jupiter.api.Assertions.assertNotEquals("Closed", incidentStatus(), report.toString());
    assertEquals(0, report.count("close", Outcome.DONE), report.toString());
    assertTrue(
        azure.emulator.requests().stream().noneMatch(r -> r.path().contains("/api/now/table")),
        "no ticket is looked for by correlation id: " + azure.emulator.requests());
  }

  @Test
  void anIncidentWhoseReconcilingThrowsIsFailedAndTheOthersGoOn() {
    setIncident("Closed", "FalsePositive");
    putOtherIncident("Closed", "FalsePositive", List.of());
    org.sentinelplaybooks.playbooks.state.CheckpointStore memory =
        new org.sentinelplaybooks.playbooks.state.InMemoryCheckpointStore(azure.clients.clock());
    org.sentinelplaybooks.playbooks.state.CheckpointStore store =
        new org.sentinelplaybooks.playbooks.state.CheckpointStore() {
          @Override
          public java.util.Optional<org.sentinelplaybooks.playbooks.state.Checkpoint> acquire(
              String workspace, String runId, Duration lease) {
            return memory.acquire(workspace, runId, lease);
          }

          @Override
          public void complete(
              org.sentinelplaybooks.playbooks.state.Checkpoint taken,
              java.time.Instant watermark,
              java.time.Instant fullSweep,
              java.util.Set<String> retry) {
            memory.complete(taken, watermark, fullSweep, retry);
          }

          @Override
          public void release(org.sentinelplaybooks.playbooks.state.Checkpoint taken) {
            memory.release(taken);
          }

          @Override
          public void rememberStatus(String workspace, String incident, String status) {
            memory.rememberStatus(workspace, incident, status);
          }

          @Override
          public void forgetStatusesBefore(
              String workspace, java.time.Instant before, String kept) {
            memory.forgetStatusesBefore(workspace, before, kept);
          }

          @Override
          public Map<String, String> statuses(String workspace) {
            // The other incident's remembered status cannot be read: a fault of its own.
            return new java.util.HashMap<>() {
              @Override
              public String get(Object incident) {
                if (OTHER_INCIDENT_NAME.equals(incident)) {
                  throw new IllegalStateException("status row unreadable");
                }
                return super.get(incident);
              }
            };
          }
        };
    Reconciler reconciler =
        new Reconciler(
            azure.settings,
            azure.clients.sentinel(),
            azure.clients.defenderForCloud(),
            azure.clients.resourceGraph(),
            null,
            new org.sentinelplaybooks.playbooks.state.InMemoryTicketStore(azure.clients.clock()),
            store,
            azure.clients.clock(),
            null,
            Parallel.shared());

    ReconcileReport report =
        reconciler.reconcile(
            org.sentinelplaybooks.clients.sentinel.WorkspaceId.parse(EmulatedAzure.WORKSPACE),
            new Reconciler.Request(null, false),
            new RunContext(false, azure.log, azure.clients.clock()),
            done -> {});

    assertEquals(5, report.count("dismiss", Outcome.DONE), report.toString());
    assertTrue(
        report.actions().stream()
            .anyMatch(
                a ->
                    a.target().endsWith(OTHER_INCIDENT_NAME)
                        && a.action().equals("reconcile")
                        && a.outcome() == Outcome.FAILED
                        && a.detail().contains("status row unreadable")),
        report.toString());
    assertEquals(1, report.retrying(), report.toString());
  }

  @Test
  void aCancelledTicketDoesNotCloseTheIncident() {
    azure.run(CreateTicketPlaybook.NAME, "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\"}");
    String sysId = azure.emulator.state().serviceNowIncidents().get(0).path("sys_id").asText();
    new ServiceNowDesk(azure).edit(sysId, Map.of("state", "8"));
    azure.emulator.clearRequests();

    ReconcileReport report = reconcile();

    org.junit.jupiter.api.Assertions.assertNotEquals("Closed", incidentStatus(), report.toString());
    assertTrue(
        report.actions().stream()
            .anyMatch(
                a ->
                    a.action().equals("close")
                        && a.outcome() == Outcome.SKIPPED
                        && a.detail().startsWith("ticket cancelled")),
        report.toString());
    assertTrue(
        azure.emulator.requests().stream()
            .noneMatch(r -> r.isWrite() && r.path().contains("/api/now/table")),
        "the cancelled ticket is not resolved either");
  }

  /** A ticket for the attack incident, resolved by a ServiceNow user of this assignment group. */
  void resolveTicketAs(String assignmentGroup) {
    azure.run(CreateTicketPlaybook.NAME, "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\"}");
    String sysId = azure.emulator.state().serviceNowIncidents().get(0).path("sys_id").asText();
    new ServiceNowDesk(azure)
        .edit(
            sysId,
            Map.of(
                "state",
                "6",
                "close_code",
                "Solved (Permanently)",
                "close_notes",
                "not an attack",
                "resolved_by",
                "6816f79cc0a8016401c5a33be04be441",
                "assignment_group",
                assignmentGroup));
    azure.emulator.clearRequests();
  }

  @Test
  void oneBadReferenceDoesNotStopTheWorkspaceAndIsTriedAgainNextRun() {
    setIncident("Closed", "FalsePositive");
    ObjectNode bad = attackAlert(0);
    String badName = "2517538088322968001_badbadba-d0d0-4d0d-8d0d-0d0d0d0d0d0d";
    ((ObjectNode) bad.path("properties"))
        .put("providerAlertId", badName)
        .put("systemAlertId", "bad-1")
        .put("alertDisplayName", "Alert with a bad reference");
    bad.put("name", "bad-1");
    ObjectNode mdc = linkedAlerts().get(0).deepCopy();
    mdc.put("id", mdc.path("id").asText().replace(mdc.path("name").asText(), badName));
    mdc.put("name", badName);
    ((ObjectNode) mdc.path("properties")).put("systemAlertId", badName).put("status", "Active");
    azure.emulator.state().putMdcAlert(mdc);
    putOtherIncident("Closed", "FalsePositive", List.of(bad));
    // Resource Graph refuses every query, and the bad alert cannot be read one by one either.
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "POST",
                "/providers/Microsoft\\.ResourceGraph/resources",
                Fault.status(400, null),
                1000));
    azure
        .emulator
        .faults()
        .inject(new FaultRule("GET", ".*/alerts/" + badName, Fault.status(500, null), 1000));

    ReconcileReport report = reconcile();

    assertTrue(report.ran());
    assertEquals(RunStatus.PARTIAL, report.status(), report.toString());
    assertEquals(5, report.count("dismiss", Outcome.DONE), "the rest of the workspace goes on");
    assertEquals(1, report.retrying(), report.toString());
    Checkpoint checkpoint = checkpoint();
    assertTrue(checkpoint.watermark() != null, "the checkpoint moves past what succeeded");
    assertEquals(java.util.Set.of(OTHER_INCIDENT_NAME), checkpoint.retry());
    assertEquals("Active", mdcAlertStatus(bad));

    azure.emulator.faults().clear();
    ReconcileReport next = reconcile();

    assertEquals(RunStatus.SUCCEEDED, next.status(), next.toString());
    assertEquals("Dismissed", mdcAlertStatus(bad), "tried again on the next run");
    assertEquals(java.util.Set.of(), checkpoint().retry());
  }

  @Test
  void incidentsAreReadInCreationOrderWhichNoWriteChanges() {
    reconcile();

    List<RecordedRequest> lists =
        azure.emulator.requests().stream()
            .filter(r -> r.method().equals("GET") && r.path().endsWith("/incidents"))
            .toList();
    assertFalse(lists.isEmpty());
    assertTrue(
        lists.stream()
            .allMatch(r -> "properties/createdTimeUtc asc".equals(r.query().get("$orderby"))),
        lists.toString());
  }

  @Test
  void aSinceMoreThanThirtyDaysBackIsRefusedAndNothingIsRead() {
    azure.emulator.clearRequests();
    BadInputException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BadInputException.class,
            () ->
                azure.playbooks.reconcile(
                    new ReconcileOptions(
                        WORKSPACE,
                        azure.clients.clock().instant().minus(Duration.ofDays(31)),
                        false),
                    azure.log,
                    "run",
                    ReconcileProgress.NONE));
    assertTrue(e.getMessage().contains("30 days"), e.getMessage());
    assertEquals(List.of(), azure.emulator.requests());
  }

  @Test
  void statusesOutsideTheSweepWindowAreForgotten() {
    TableCheckpointStore store =
        new TableCheckpointStore(azure.clients.tables().orElseThrow(), azure.clients.clock());
    store.rememberStatus(EmulatedAzure.WORKSPACE, "old-incident", "Closed");

    store.rememberStatus(
        EmulatedAzure.WORKSPACE, "held-incident", ReconcileRules.STATUS_CLOSED_FROM_TICKET);

    // The rows' Timestamp is Azurite's own wall-clock time of the write, so the test's times are
    // the wall clock's too.
    store.forgetStatusesBefore(
        EmulatedAzure.WORKSPACE,
        java.time.Instant.now().minus(Duration.ofHours(1)),
        ReconcileRules.STATUS_CLOSED_FROM_TICKET);
    assertEquals(
        Map.of("old-incident", "Closed", "held-incident", ReconcileRules.STATUS_CLOSED_FROM_TICKET),
        store.statuses(EmulatedAzure.WORKSPACE));

    store.forgetStatusesBefore(
        EmulatedAzure.WORKSPACE,
        java.time.Instant.now().plus(Duration.ofHours(1)),
        ReconcileRules.STATUS_CLOSED_FROM_TICKET);
    assertEquals(
        Map.of("held-incident", ReconcileRules.STATUS_CLOSED_FROM_TICKET),
        store.statuses(EmulatedAzure.WORKSPACE));
  }
}
