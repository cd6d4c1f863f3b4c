package org.sentinelplaybooks.playbooks.close;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.defender.MdcAlertId;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.IncidentUpdate;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.AttackScenario;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.PlaybookTest;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.RunContext;

/**
 * The close steps close-incident and reconcile share, against the emulator: what goes over the wire
 * and how each caller's result reads.
 */
class CloseStepsTest extends PlaybookTest {
  private CloseSteps steps() {
    return new CloseSteps(
        azure.settings,
        azure.clients.sentinel(),
        azure.clients.defenderForCloud(),
        azure.clients.serviceNow().orElse(null));
  }

  private RunContext context(boolean dryRun) {
    return new RunContext(dryRun, azure.log, azure.clients.clock());
  }

  /**
   * Dismiss, then activate (reconcile's change for a reopened incident): each a POST with no body
   * to the alert's {@code /dismiss} or {@code /activate} (alerts.json 2022-01-01,
   * Alerts_UpdateSubscriptionLevelStateToDismiss and ...ToActivate, answered 204), and the alert
   * Active again.
   */
  @Test
  void dismissesThenActivatesAnAlertWithTheAlertsApisPosts() {
    String alert = AttackScenario.LINKED_ALERTS.get(2);
    MdcAlertId id = MdcAlertId.parse(alert);

    ActionResult dismissed =
        steps().changeAlert(id, "Brute force", "Active", AlertChange.DISMISS, context(false));
    ActionResult activated =
        steps().changeAlert(id, "Brute force", "Dismissed", AlertChange.ACTIVATE, context(false));

    assertEquals("Brute force: dismissed", dismissed.detail());
    assertEquals("Brute force: activated", activated.detail());
    assertEquals(Outcome.DONE, activated.outcome());
    assertEquals("mdc-alert:" + alert, activated.target());
    List<RecordedRequest> writes = azure.writes();
    assertEquals(
        List.of("POST " + alert + "/dismiss", "POST " + alert + "/activate"),
        writes.stream().map(r -> r.method() + " " + r.path()).toList());
    assertEquals(List.of("", ""), writes.stream().map(RecordedRequest::body).toList());
    assertEquals(
        "Active",
        azure
            .emulator
            .state()
            .mdcAlert(alert)
            .orElseThrow()
            .path("properties")
            .path("status")
            .asText());
  }

  /**
   * Reconcile's close (by id, with its reason) plans without reading in a dry run, then reads and
   * writes, quoting its reason; close-incident's (from the read incident) names what it found when
   * the incident is closed already, and writes nothing.
   */
  @Test
  void eachCallersCloseReadsAsBeforeAndAClosedIncidentIsLeftAsItIs() {
    IncidentId id = IncidentId.parse(EmulatedAzure.INCIDENT);
    String reason = "All 5 linked Defender for Cloud alerts are resolved.";
    CloseSteps.IncidentClose byReconcile =
        new CloseSteps.IncidentClose(
            IncidentUpdate.close("TruePositive", "SuspiciousActivity", reason),
            "TruePositive / SuspiciousActivity",
            reason);

    ActionResult planned = steps().closeIncident(id, byReconcile, context(true));
    assertEquals(Outcome.PLANNED, planned.outcome());
    assertEquals("would close as TruePositive / SuspiciousActivity: " + reason, planned.detail());
    assertEquals(List.of(), azure.emulator.requests());

    ActionResult closed = steps().closeIncident(id, byReconcile, context(false));
    assertEquals(Outcome.DONE, closed.outcome());
    assertEquals("closed as TruePositive / SuspiciousActivity: " + reason, closed.detail());
    assertEquals(1, azure.writes().size(), azure.writes().toString());
    assertEquals("Closed", incidentProperties().path("status").asText());
    assertEquals(reason, incidentProperties().path("classificationComment").asText());

    azure.emulator.clearRequests();
    ActionResult already =
        steps()
            .closeIncident(
                azure.clients.sentinel().getIncident(id),
                new CloseSteps.IncidentClose(
                    IncidentUpdate.close("FalsePositive", "InaccurateData", null),
                    "FalsePositive / InaccurateData",
                    null),
                context(false));
    assertEquals(Outcome.ALREADY, already.outcome());
    assertEquals("already Closed as TruePositive / SuspiciousActivity", already.detail());
    assertEquals(List.of(), azure.writes());
  }
}
