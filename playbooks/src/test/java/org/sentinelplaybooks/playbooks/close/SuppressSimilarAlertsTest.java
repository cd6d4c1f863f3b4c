package org.sentinelplaybooks.playbooks.close;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sentinelplaybooks.clients.defender.ScopeCondition;
import org.sentinelplaybooks.clients.defender.SuppressionRule;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.AttackScenario;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.PlaybookTest;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.state.InMemoryTicketStore;

/**
 * close-incident with "suppress similar alerts": Defender for Cloud suppression rules (PUT
 * /subscriptions/{sub}/providers/Microsoft.Security/alertsSuppressionRules/{name}?api-version=
 * 2019-01-01-preview, as in examples/AlertsSuppressionRules/PutAlertsSuppressionRule_example.json
 * of specification/security/resource-manager/Microsoft.Security/preview/2019-01-01-preview,
 * Azure/azure-rest-api-specs).
 */
class SuppressSimilarAlertsTest extends PlaybookTest {
  static final Instant NOW = Instant.parse("2026-12-01T23:30:00Z");
  static final String RULES_PATH = "/providers/Microsoft.Security/alertsSuppressionRules/";
  static final String API = "2019-01-01-preview";

  /** The five linked alerts: five alert types over two subscriptions. */
  static final Map<String, String> TYPES_BY_SUBSCRIPTION =
      Map.of(
          "VM_SshBruteForceSuccess", AttackScenario.SUBSCRIPTION_1,
          "VM_SuspiciousCommandLine", AttackScenario.SUBSCRIPTION_1,
          "ARM_AnomalousOperation", AttackScenario.SUBSCRIPTION_1,
          "SQL.DB_BruteForce", AttackScenario.SUBSCRIPTION_2,
          "SQL.DB_LoginFromSuspiciousIP", AttackScenario.SUBSCRIPTION_2);

  Playbooks playbooks;

  @BeforeEach
  void closeWithAFixedClock() {
    playbooks = playbooksAt(NOW);
  }

  /** close-incident alone, its suppression rules expiring from {@code now}. */
  Playbooks playbooksAt(Instant now) {
    CloseIncidentPlaybook close =
        new CloseIncidentPlaybook(
            azure.settings,
            azure.clients.sentinel(),
            azure.clients.defenderForCloud(),
            null,
            new InMemoryTicketStore(Clock.fixed(now, ZoneOffset.UTC)),
            Clock.fixed(now, ZoneOffset.UTC));
    return new Playbooks(azure.settings, List.of(close), Clock.fixed(now, ZoneOffset.UTC));
  }

  PlaybookResult close(String classification, String extra, boolean dryRun) {
    return playbooks.run(
        CloseIncidentPlaybook.NAME,
        CloseIncidentPlaybookTest.closeBody(classification, extra),
        dryRun,
        azure.log);
  }

  List<RecordedRequest> rulePuts() {
    return azure.writes().stream()
        .filter(w -> w.method().equals("PUT") && w.path().contains(RULES_PATH))
        .toList();
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
  void aFalsePositiveCloseForFourteenDaysWritesOneRulePerSubscriptionAndAlertType() {
    PlaybookResult result =
        close(
            "FalsePositive",
            "\"comment\": \"Pen test by the red team\", \"suppress\": true, \"suppressFor\": \"P14D\"",
            false);

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    List<ActionResult> suppressions =
        result.actions().stream().filter(a -> a.action().equals("suppress")).toList();
    assertEquals(5, suppressions.size(), result.toString());
    assertTrue(suppressions.stream().allMatch(a -> a.outcome() == Outcome.DONE), result.toString());

    List<RecordedRequest> puts = rulePuts();
    assertEquals(5, puts.size(), puts.toString());
    Set<String> seen =
        puts.stream()
            .map(
                put -> {
                  assertEquals(API, put.query().get("api-version"));
                  assertEquals(200, put.status());
                  JsonNode properties = json(put.body()).path("properties");
                  String type = properties.path("alertType").asText();
                  assertTrue(
                      put.path().startsWith(TYPES_BY_SUBSCRIPTION.get(type) + RULES_PATH),
                      put.path() + " is in the subscription of its " + type + " alert");
                  String name = put.path().substring(put.path().lastIndexOf('/') + 1);
                  assertTrue(SuppressionRule.NAME.matcher(name).matches(), name);
                  assertEquals("FalsePositive", properties.path("reason").asText());
                  assertEquals("Enabled", properties.path("state").asText());
                  assertEquals(
                      NOW.plus(Duration.ofDays(14)).toString(),
                      properties.path("expirationDateUtc").asText());
                  assertFalse(properties.has("expirationDateUTC"), "the spec's casing only");
                  assertFalse(properties.has("suppressionAlertsScope"), "the whole alert type");
                  String comment = properties.path("comment").asText();
                  assertTrue(comment.contains("#" + incidentNumber()), comment);
                  assertTrue(comment.contains(EmulatedAzure.INCIDENT), comment);
                  assertTrue(comment.contains("FalsePositive / IncorrectAlertLogic"), comment);
                  assertTrue(comment.contains("Pen test by the red team"), comment);
                  assertTrue(comment.contains("for P14D"), comment);
                  return type;
                })
            .collect(Collectors.toSet());
    assertEquals(TYPES_BY_SUBSCRIPTION.keySet(), seen);
    for (String alert : AttackScenario.LINKED_ALERTS.subList(0, 4)) {
      assertEquals(
          1,
          azure.emulator.requests().stream()
              .filter(r -> r.method().equals("GET") && r.path().equals(alert))
              .count(),
          "the alert read while dismissing it is not read again: " + alert);
    }
    assertEquals(5, azure.emulator.state().suppressionRules().size());

    String audit =
        azure.emulator.state().comments(EmulatedAzure.INCIDENT).stream()
            .map(c -> c.path("properties").path("message").asText())
            .filter(m -> m.contains("suppress"))
            .findFirst()
            .orElseThrow();
    for (RecordedRequest put : puts) {
      String name = put.path().substring(put.path().lastIndexOf('/') + 1);
      assertTrue(audit.contains(name), "the audit comment names " + name + ": " + audit);
    }
    assertTrue(audit.contains("until " + NOW.plus(Duration.ofDays(14))), audit);
  }

  @Test
  void aRerunWritesNoRuleAndSaysAlready() {
    close("FalsePositive", "\"suppress\": true", false);
    azure.emulator.clearRequests();

    PlaybookResult again = close("FalsePositive", "\"suppress\": true", false);

    assertEquals(List.of(), rulePuts());
    List<ActionResult> suppressions =
        again.actions().stream().filter(a -> a.action().equals("suppress")).toList();
    assertEquals(5, suppressions.size(), again.toString());
    assertTrue(
        suppressions.stream().allMatch(a -> a.outcome() == Outcome.ALREADY), again.toString());
    assertTrue(
        suppressions.get(0).detail().contains("until " + NOW.plus(Duration.ofDays(30))),
        "SUPPRESSION_TTL's P30D by default: " + suppressions.get(0));
  }

  @Test
  void aBenignPositiveWithEntitiesNarrowsToTheAlertsOwnAddressesAndTheEmulatorAppliesIt() {
    PlaybookResult result =
        close("BenignPositive", "\"suppress\": true, \"suppressScope\": \"entities\"", false);

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    List<RecordedRequest> puts = rulePuts();
    assertEquals(5, puts.size());
    for (RecordedRequest put : puts) {
      JsonNode properties = json(put.body()).path("properties");
      assertEquals("NotRelevant", properties.path("reason").asText());
      JsonNode allOf = properties.path("suppressionAlertsScope").path("allOf");
      assertEquals(1, allOf.size(), allOf.toString());
      assertEquals(ScopeCondition.IP_ADDRESS, allOf.path(0).path("field").asText());
      assertEquals("[\"203.0.113.45\"]", allOf.path(0).path("in").toString());
    }

    ObjectNode again = mdcAlert("again", "VM_SshBruteForceSuccess", "203.0.113.45");
    ObjectNode elsewhere = mdcAlert("elsewhere", "VM_SshBruteForceSuccess", "198.51.100.20");
    azure.emulator.state().putMdcAlert(again);
    azure.emulator.state().putMdcAlert(elsewhere);
    assertEquals("Dismissed", status(again), "the same detection from the same address");
    assertEquals("Active", status(elsewhere), "another address is not suppressed");
  }

  static ObjectNode mdcAlert(String name, String alertType, String ip) {
    ObjectNode alert = (ObjectNode) json("{}");
    alert.put(
        "id",
        AttackScenario.SUBSCRIPTION_1
            + "/resourceGroups/rg-prod-web/providers/Microsoft.Security/locations/westeurope/alerts/"
            + name);
    ObjectNode properties = alert.putObject("properties");
    properties.put("alertType", alertType).put("status", "Active");
    properties.putArray("entities").addObject().put("type", "ip").put("address", ip);
    return alert;
  }

  String status(ObjectNode alert) {
    return azure
        .emulator
        .state()
        .mdcAlert(alert.path("id").asText())
        .orElseThrow()
        .path("properties")
        .path("status")
        .asText();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "TruePositive | \"suppress\": true | suppress | FalsePositive or BenignPositive",
        "Undetermined | \"suppress\": true | suppress | FalsePositive or BenignPositive",
        "FalsePositive | \"suppress\": true, \"suppressFor\": \"P91D\" | suppressFor | SUPPRESSION_MAX_TTL",
        "FalsePositive | \"suppress\": true, \"suppressFor\": \"soon\" | suppressFor | ISO-8601",
        "FalsePositive | \"suppress\": true, \"suppressScope\": \"host\" | suppressScope | alertType or entities",
        "FalsePositive | \"suppressFor\": \"P7D\" | suppressFor | \"suppress\": true",
        "FalsePositive | \"suppress\": \"yes\" | suppress | true or false",
        "FalsePositive | \"suppress\": true, \"dismissAlerts\": false | suppress | dismissAlerts",
      })
  void badSuppressionInputIsRefusedBeforeAnythingIsWrittenTheCloseIncluded(
      String classification, String extra, String field, String message) {
    BadInputException e =
        assertThrows(BadInputException.class, () -> close(classification, extra, false));
    assertEquals(field, e.field());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertEquals(List.of(), azure.emulator.requests(), "no call at all");
    assertEquals(
        "New",
        azure
            .emulator
            .state()
            .incident(EmulatedAzure.INCIDENT)
            .orElseThrow()
            .path("properties")
            .path("status")
            .asText());
  }

  @Test
  void anExistingRuleWithAnotherMeaningIsNeverOverwritten() {
    String subscription = AttackScenario.SUBSCRIPTION_1.substring("/subscriptions/".length());
    SimilarAlertSuppression.Request request =
        new SimilarAlertSuppression.Request(
            Duration.ofDays(30),
            SimilarAlertSuppression.Scope.ALERT_TYPE,
            "FalsePositive",
            Classification.FALSE_POSITIVE);
    String name = SimilarAlertSuppression.ruleName("VM_SshBruteForceSuccess", request, List.of());
    SuppressionRule theirs =
        new SuppressionRule(
            subscription,
            name,
            "VM_SshBruteForceSuccess",
            "Noise",
            "Enabled",
            NOW.plus(Duration.ofDays(3)),
            "made by hand",
            List.of(),
            null);
    azure.clients.defenderForCloud().putSuppressionRule(theirs);
    azure.emulator.clearRequests();

    PlaybookResult result = close("FalsePositive", "\"suppress\": true", false);

    ActionResult refused =
        result.actions().stream()
            .filter(a -> a.target().endsWith("/" + name))
            .findFirst()
            .orElseThrow();
    assertEquals(Outcome.REFUSED, refused.outcome(), refused.toString());
    assertTrue(refused.detail().contains("another meaning"), refused.detail());
    assertTrue(rulePuts().stream().noneMatch(p -> p.path().endsWith("/" + name)));
    assertEquals(4, rulePuts().size(), "the other four are written");
    assertEquals(
        "made by hand",
        azure
            .clients
            .defenderForCloud()
            .findSuppressionRule(subscription, name)
            .orElseThrow()
            .comment());
    assertEquals(
        RunStatus.SUCCEEDED, result.status(), "a guardrail's refusal is reported, not a failure");
  }

  @Test
  void aDryRunPlansEveryRuleAndWritesNothing() {
    PlaybookResult result =
        close("FalsePositive", "\"suppress\": true, \"suppressFor\": \"P14D\"", true);

    List<ActionResult> suppressions =
        result.actions().stream().filter(a -> a.action().equals("suppress")).toList();
    assertEquals(5, suppressions.size(), result.toString());
    for (ActionResult planned : suppressions) {
      assertEquals(Outcome.PLANNED, planned.outcome(), planned.toString());
      assertTrue(
          planned.detail().contains("until " + NOW.plus(Duration.ofDays(14))), planned.detail());
    }
    assertEquals(List.of(), azure.writes());
    assertTrue(azure.emulator.state().suppressionRules().isEmpty());
  }

  @Test
  void anIncidentAlreadyClosedAsATruePositiveGetsNoRule() {
    close("TruePositive", null, false);
    azure.emulator.clearRequests();

    PlaybookResult result = close("FalsePositive", "\"suppress\": true", false);

    assertEquals(List.of(), rulePuts());
    ActionResult refused =
        result.actions().stream()
            .filter(a -> a.action().equals("suppress"))
            .findFirst()
            .orElseThrow();
    assertEquals(Outcome.REFUSED, refused.outcome());
    assertTrue(refused.detail().contains("not closed as FalsePositive"), refused.detail());
  }

  /** Replaces the entities of one of the incident's Defender for Cloud alerts. */
  void setEntities(String alertId, String entitiesJson) {
    ObjectNode alert = azure.emulator.state().mdcAlert(alertId).orElseThrow();
    ((ObjectNode) alert.path("properties")).set("entities", json(entitiesJson));
    azure.emulator.state().removeMdcAlert(alertId);
    azure.emulator.state().putMdcAlert(alert);
  }

  @Test
  void theEntitiesScopeNamesHostsAndResourcesAndSkipsAnAlertTypeWithNone() {
    setEntities(
        AttackScenario.LINKED_ALERTS.get(0),
        "[{\"type\": \"ip\", \"address\": \"203.0.113.45\"},"
            + " {\"type\": \"host\", \"hostName\": \"vm-web-01\"},"
            + " {\"type\": \"azure-resource\", \"resourceId\": \"/subscriptions/x/vm-web-01\"}]");
    setEntities(AttackScenario.LINKED_ALERTS.get(1), "[]");

    PlaybookResult result =
        close("FalsePositive", "\"suppress\": true, \"suppressScope\": \"entities\"", false);

    JsonNode brute =
        rulePuts().stream()
            .map(put -> json(put.body()).path("properties"))
            .filter(p -> p.path("alertType").asText().equals("VM_SshBruteForceSuccess"))
            .findFirst()
            .orElseThrow();
    JsonNode allOf = brute.path("suppressionAlertsScope").path("allOf");
    assertEquals(3, allOf.size(), allOf.toString());
    assertEquals(ScopeCondition.IP_ADDRESS, allOf.path(0).path("field").asText());
    assertEquals(ScopeCondition.HOST_NAME, allOf.path(1).path("field").asText());
    assertEquals("[\"vm-web-01\"]", allOf.path(1).path("in").toString());
    assertEquals(ScopeCondition.AZURE_RESOURCE_ID, allOf.path(2).path("field").asText());

    ActionResult skipped =
        result.actions().stream()
            .filter(a -> a.action().equals("suppress") && a.outcome() == Outcome.SKIPPED)
            .findFirst()
            .orElseThrow(() -> new AssertionError(result.toString()));
    assertTrue(skipped.detail().startsWith("VM_SuspiciousCommandLine: "), skipped.detail());
    assertTrue(skipped.detail().contains("no rule written"), skipped.detail());
    assertEquals(
        4, rulePuts().size(), "no broader rule instead of the one that cannot be narrowed");
  }

  @Test
  void anExpiredRuleOfTheSameMeaningIsRenewed() {
    close("FalsePositive", "\"suppress\": true, \"suppressFor\": \"P1D\"", false);
    Instant later = NOW.plus(Duration.ofDays(2));
    azure.emulator.clearRequests();

    PlaybookResult renewed =
        playbooksAt(later)
            .run(
                CloseIncidentPlaybook.NAME,
                CloseIncidentPlaybookTest.closeBody("FalsePositive", "\"suppress\": true"),
                false,
                azure.log);

    List<ActionResult> suppressions =
        renewed.actions().stream().filter(a -> a.action().equals("suppress")).toList();
    assertEquals(5, suppressions.size(), renewed.toString());
    for (ActionResult action : suppressions) {
      assertEquals(Outcome.DONE, action.outcome(), action.toString());
      assertTrue(action.detail().startsWith("renewed: "), action.detail());
    }
    for (RecordedRequest put : rulePuts()) {
      assertEquals(
          later.plus(Duration.ofDays(30)).toString(),
          json(put.body()).path("properties").path("expirationDateUtc").asText());
    }
  }
}
