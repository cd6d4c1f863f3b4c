package org.sentinelplaybooks.playbooks.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.SecurityAlert;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.RunStatus;

/** Reconcile over a generated workspace of 450 incidents in every combination of states. */
class ReconcilerScaleTest {
  static final String MDC_SUBSCRIPTION = "2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091";
  static final int INCIDENTS = 450;
  static final WorkspaceId WORKSPACE = WorkspaceId.parse(EmulatedAzure.WORKSPACE);

  EmulatedAzure azure =
      EmulatedAzure.start(
          Scenario.generated(
              7,
              java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS),
              EmulatedAzure.WORKSPACE,
              MDC_SUBSCRIPTION,
              INCIDENTS,
              2),
          Map.of(Settings.SERVICENOW_INSTANCE_URL, ""));

  @AfterEach
  void stop() {
    azure.close();
  }

  ReconcileReport reconcile() {
    return azure.reconcile(EmulatedAzure.WORKSPACE, false);
  }

  /** Every rule holds: a closed incident has no open alert, an open one has an open alert. */
  List<String> violations() {
    Map<String, String> alertStatus = new HashMap<>();
    for (ObjectNode alert : azure.emulator.state().mdcAlerts()) {
      alertStatus.put(
          alert.path("name").asText(), alert.path("properties").path("status").asText());
    }
    List<String> violations = new java.util.ArrayList<>();
    for (String id : azure.emulator.state().incidentIds()) {
      String status =
          azure
              .emulator
              .state()
              .incident(id)
              .orElseThrow()
              .path("properties")
              .path("status")
              .asText();
      List<String> statuses =
          azure.clients.sentinel().listAlerts(IncidentId.parse(id)).stream()
              .map(SecurityAlert::providerAlertId)
              .map(alertStatus::get)
              .toList();
      boolean anyOpen =
          statuses.stream().anyMatch(s -> s.equals("Active") || s.equals("InProgress"));
      if (status.equals("Closed") == anyOpen) {
        violations.add(id + " " + status + " " + statuses);
      }
    }
    return violations;
  }

  @Test
  void oneRunMakesEveryRuleHoldAndASecondRunWritesNothing() {
    assertTrue(violations().size() > INCIDENTS / 3, "the generated mix starts out of step");

    ReconcileReport report = reconcile();

    assertEquals(RunStatus.SUCCEEDED, report.status());
    assertEquals(INCIDENTS, report.incidents(), "a full sweep on the first run");
    assertEquals(List.of(), violations());
    assertTrue(
        report.count("close", Outcome.DONE) > 0 && report.count("dismiss", Outcome.DONE) > 0);
    assertTrue(report.count("resolve", Outcome.DONE) > 0, "TruePositive incidents resolve");

    azure.emulator.clearRequests();
    ReconcileReport again = reconcile();
    assertEquals(List.of(), azure.writes(), "a second run writes nothing");
    assertEquals(RunStatus.SUCCEEDED, again.status());
  }

  @Test
  void withOneRequestInFiveFailingTheRunsConvergeAndWriteEachChangeOnce() {
    azure
        .emulator
        .faults()
        .failFraction(
            0.2, 11, List.of(Fault.status(429, 0), Fault.status(500, null), Fault.status(503, 0)));

    ReconcileReport report = reconcile();
    for (int run = 0; run < 4 && report.status() != RunStatus.SUCCEEDED; run++) {
      report = reconcile();
    }
    azure.emulator.faults().clear();

    assertEquals(RunStatus.SUCCEEDED, report.status(), report.toString());
    assertEquals(List.of(), violations());
    Map<String, Long> appliedPerAlert =
        azure.emulator.requests().stream()
            .filter(RecordedRequest::isWrite)
            .filter(r -> r.path().contains("/Microsoft.Security/") && r.status() / 100 == 2)
            .collect(
                Collectors.groupingBy(
                    r -> r.path().substring(0, r.path().lastIndexOf('/')), Collectors.counting()));
    assertTrue(appliedPerAlert.size() > 0);
    assertEquals(
        Set.of(1L), Set.copyOf(appliedPerAlert.values()), "each alert change is applied once");
    long closes =
        azure.emulator.requests().stream()
            .filter(r -> r.method().equals("PUT") && r.path().matches(".*/incidents/[^/]+$"))
            .filter(r -> r.status() / 100 == 2)
            .map(RecordedRequest::path)
            .count();
    long distinctCloses =
        azure.emulator.requests().stream()
            .filter(r -> r.method().equals("PUT") && r.path().matches(".*/incidents/[^/]+$"))
            .filter(r -> r.status() / 100 == 2)
            .map(RecordedRequest::path)
            .distinct()
            .count();
    assertEquals(distinctCloses, closes, "each incident is closed once");
  }

  @Test
  void underArmsTokenBucketTheRunIsSlowedNotFailed() {
    azure.emulator.state().setArmThrottling(60, 200, 30, 100);

    ReconcileReport report = reconcile();

    assertEquals(RunStatus.SUCCEEDED, report.status(), report.toString());
    assertTrue(azure.emulator.state().armThrottled() > 0, "the bucket ran dry at least once");
    assertEquals(List.of(), violations());
  }
}
