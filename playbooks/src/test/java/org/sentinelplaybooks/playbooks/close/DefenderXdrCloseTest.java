package org.sentinelplaybooks.playbooks.close;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.servicenow.ServiceNowIncident;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;
import org.sentinelplaybooks.playbooks.AttackScenario;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.PlaybookTest;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.state.TableTicketStore;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketPlaybook;

/**
 * close-incident and Defender XDR: the incident's Defender for Endpoint alert is found by the id
 * forms the references allow and resolved there; incidents Defender XDR owns are left to its own
 * sync; a merged incident's ticket follows the survivor.
 */
public class DefenderXdrCloseTest extends PlaybookTest {
  static final String CLOSE = CloseIncidentPlaybook.NAME;
  static final String SURVIVOR =
      EmulatedAzure.WORKSPACE
          + "/providers/Microsoft.SecurityInsights/incidents/5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";

  static String close(String classification, String extra) {
    ObjectNode body = (ObjectNode) json(EmulatedAzure.triggerBody());
    body.put("classification", classification);
    if (extra != null) {
      json("{" + extra + "}").fields().forEachRemaining(f -> body.set(f.getKey(), f.getValue()));
    }
    return body.toString();
  }

  ActionResult xdrAction(PlaybookResult result) {
    List<ActionResult> xdr =
        result.actions().stream()
            .filter(
                a ->
                    a.target().startsWith("xdr-alert:")
                        || a.detail().contains("(Defender for Endpoint)"))
            .toList();
    assertEquals(1, xdr.size(), result.toString());
    return xdr.get(0);
  }

  List<RecordedRequest> graphWrites() {
    return azure.writes().stream().filter(w -> w.path().startsWith("/v1.0/")).toList();
  }

  JsonNode xdrAlert() {
    return azure.emulator.state().xdrAlert(AttackScenario.XDR_ALERT).orElseThrow();
  }

  void makeTheIncidentDefenderXdrs(String xdrIncidentId) {
    azure
        .emulator
        .state()
        .editIncident(
            EmulatedAzure.INCIDENT,
            incident ->
                ((ObjectNode) incident.path("properties"))
                    .put("providerName", "Microsoft XDR")
                    .put("providerIncidentId", xdrIncidentId));
  }

  @Test
  void theAlertIsFoundByTheOtherIdFormResolvedAndGivenTheAnalystsComment() {
    PlaybookResult result =
        azure.run(CLOSE, close("TruePositive", "\"comment\": \"Contained on vm-web-01\""));

    ActionResult action = xdrAction(result);
    assertEquals(Outcome.DONE, action.outcome(), action.toString());
    assertEquals("xdr-alert:" + AttackScenario.XDR_ALERT, action.target());
    assertEquals(
        List.of(
            "GET /v1.0/security/alerts_v2/" + AttackScenario.XDR_PROVIDER_ALERT_ID + " 404",
            "GET /v1.0/security/alerts_v2/" + AttackScenario.XDR_ALERT + " 200",
            "PATCH /v1.0/security/alerts_v2/" + AttackScenario.XDR_ALERT + " 200",
            "POST /v1.0/security/alerts_v2/" + AttackScenario.XDR_ALERT + "/comments 200"),
        azure.emulator.requests().stream()
            .filter(r -> r.path().startsWith("/v1.0/security/"))
            .map(r -> r.method() + " " + r.path() + " " + r.status())
            .toList());
    assertEquals("resolved", xdrAlert().path("status").asText());
    assertEquals("truePositive", xdrAlert().path("classification").asText());
    assertEquals("other", xdrAlert().path("determination").asText());
    assertEquals(
        "Closed in Microsoft Sentinel: Contained on vm-web-01",
        xdrAlert().path("comments").path(0).path("comment").asText());
    String audit = azure.emulator.state().comments(EmulatedAzure.INCIDENT).get(0).toString();
    assertTrue(audit.contains(AttackScenario.XDR_ALERT), audit);
  }

  @Test
  void anAlertWhoseIdIsGraphsOwnIsFoundAsGiven() {
    azure
        .emulator
        .state()
        .putXdrAlert(
            Json.object()
                .put("id", AttackScenario.XDR_PROVIDER_ALERT_ID)
                .put("providerAlertId", AttackScenario.XDR_PROVIDER_ALERT_ID)
                .put("incidentId", "31337"));
    PlaybookResult result = azure.run(CLOSE, close("FalsePositive", null));

    assertEquals("xdr-alert:" + AttackScenario.XDR_PROVIDER_ALERT_ID, xdrAction(result).target());
    assertEquals(
        "falsePositive",
        azure
            .emulator
            .state()
            .xdrAlert(AttackScenario.XDR_PROVIDER_ALERT_ID)
            .orElseThrow()
            .path("classification")
            .asText());
    assertEquals("new", xdrAlert().path("status").asText(), "the other form is not touched");
  }

  @Test
  void anAlertFoundByTheOtherFormThatNamesAnotherProviderIdIsSkippedNotGuessed() {
    azure
        .emulator
        .state()
        .putXdrAlert(
            Json.object()
                .put("id", AttackScenario.XDR_ALERT)
                .put("providerAlertId", "some-other-alert_1")
                .put("incidentId", "31337"));
    PlaybookResult result = azure.run(CLOSE, close("TruePositive", null));

    ActionResult action = xdrAction(result);
    assertEquals(Outcome.SKIPPED, action.outcome());
    assertTrue(
        action.detail().contains("does not name " + AttackScenario.XDR_PROVIDER_ALERT_ID),
        action.detail());
    assertEquals(List.of(), graphWrites());
    assertEquals(RunStatus.SUCCEEDED, result.status(), "a skipped alert fails nothing");
  }

  @Test
  void anAlertDefenderXdrDoesNotHaveIsSkippedWithTheReason() {
    azure.emulator.reset(Scenario.fromJson(withoutXdrAlerts(Scenario.builtIn("attack").toJson())));
    PlaybookResult result = azure.run(CLOSE, close("TruePositive", null));

    ActionResult action = xdrAction(result);
    assertEquals(Outcome.SKIPPED, action.outcome());
    assertTrue(action.detail().contains("not found in Defender XDR"), action.detail());
    assertEquals(List.of(), graphWrites());
  }

  public static String withoutXdrAlerts(String scenario) {
    ObjectNode root = (ObjectNode) json(scenario);
    ((ObjectNode) root.path("defenderXdr")).putArray("alerts");
    return root.toString();
  }

  @Test
  void anIncidentDefenderXdrOwnsIsLeftToItsOwnSync() {
    makeTheIncidentDefenderXdrs("31337");
    PlaybookResult result = azure.run(CLOSE, close("TruePositive", null));

    ActionResult action = xdrAction(result);
    assertEquals(Outcome.SKIPPED, action.outcome());
    assertTrue(
        action.detail().contains("Defender XDR resolves them with the incident"), action.detail());
    assertEquals(List.of(), graphWrites(), "no second writer");
    assertEquals("new", xdrAlert().path("status").asText());
  }

  @Test
  void theSettingTurnsTheSyncOff() {
    try (EmulatedAzure off =
        EmulatedAzure.start(Map.of(PlaybookSettings.DEFENDER_XDR_SYNC, "false"))) {
      PlaybookResult result = off.run(CLOSE, close("TruePositive", null));
      assertTrue(
          off.emulator.requests().stream().noneMatch(r -> r.path().startsWith("/v1.0/security/")),
          "Defender XDR is not called");
      assertTrue(
          result.actions().stream()
              .anyMatch(
                  a ->
                      a.outcome() == Outcome.SKIPPED
                          && a.detail().contains("not a Defender for Cloud alert")),
          result.toString());
      assertEquals(
          "new",
          off.emulator
              .state()
              .xdrAlert(AttackScenario.XDR_ALERT)
              .orElseThrow()
              .path("status")
              .asText());
    }
  }

  @Test
  void aMergedIncidentsTicketFollowsTheSurvivorInsteadOfBeingResolved() {
    azure.run(CreateTicketPlaybook.NAME, "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\"}");
    ObjectNode ticket = azure.emulator.state().serviceNowIncidents().get(0);
    makeTheIncidentDefenderXdrs("31337");
    azure
        .emulator
        .state()
        .putXdrIncident(
            Json.object()
                .put("id", "31337")
                .put("status", "redirected")
                .put("redirectIncidentId", "31400"));
    azure.emulator.state().putXdrIncident(Json.object().put("id", "31400").put("status", "active"));
    ObjectNode survivor = Json.object().put("id", SURVIVOR);
    survivor
        .putObject("properties")
        .put("title", "Multi-stage incident on vm-web-01")
        .put("severity", "High")
        .put("status", "Active")
        .put("providerName", "Microsoft XDR")
        .put("providerIncidentId", "31400");
    azure.emulator.state().putIncident(survivor, List.of(), List.of());

    PlaybookResult merged = azure.run(CLOSE, close("TruePositive", null));

    ActionResult move =
        merged.actions().stream()
            .filter(a -> a.action().equals("move-ticket"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(merged.toString()));
    assertEquals(Outcome.DONE, move.outcome(), move.toString());
    assertTrue(
        merged.actions().stream()
            .noneMatch(a -> a.target().startsWith("servicenow:") && a.action().equals("resolve")));
    assertFalse(
        ServiceNowIncident.RESOLVED.equals(
            azure.emulator.state().serviceNowIncidents().get(0).path("state").asText()),
        "the ticket stays open for the surviving incident");
    assertEquals(
        ticket.path("sys_id").asText(),
        new TableTicketStore(azure.clients.tables().orElseThrow())
            .get(IncidentId.parse(SURVIVOR))
            .orElseThrow()
            .sysId());
    assertTrue(
        new TableTicketStore(azure.clients.tables().orElseThrow())
            .get(IncidentId.parse(EmulatedAzure.INCIDENT))
            .isEmpty(),
        "the merged incident's link is forgotten");
    assertEquals(
        "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d",
        azure.emulator.state().serviceNowIncidents().get(0).path("correlation_id").asText());
    PlaybookResult mergedAgain = azure.run(CLOSE, close("TruePositive", null));
    assertTrue(
        mergedAgain.actions().stream().noneMatch(a -> a.target().startsWith("servicenow:")),
        "closing the merged incident again finds no ticket of its own: " + mergedAgain);

    PlaybookResult closingTheSurvivor =
        azure.run(
            CLOSE, "{\"incidentId\":\"" + SURVIVOR + "\",\"classification\":\"TruePositive\"}");
    assertTrue(
        closingTheSurvivor.actions().stream()
            .anyMatch(
                a ->
                    a.action().equals("resolve")
                        && a.target().startsWith("servicenow:")
                        && a.outcome() == Outcome.DONE),
        closingTheSurvivor.toString());
    assertEquals(
        ServiceNowIncident.RESOLVED,
        azure.emulator.state().serviceNowIncidents().get(0).path("state").asText());
  }
}
