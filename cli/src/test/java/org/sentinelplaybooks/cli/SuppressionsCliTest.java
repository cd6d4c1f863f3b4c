package org.sentinelplaybooks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;

/**
 * {@code run close-incident --suppress} and {@code suppressions list|delete} against the emulator
 * (Microsoft.Security/alertsSuppressionRules 2019-01-01-preview, as the contract files
 * security/alertsSuppressionRules_*.json show it).
 */
class SuppressionsCliTest {
  static final String SUB_1 = "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6";
  static final String SUB_2 = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

  @TempDir Path folder;
  Emulator emulator;
  String settings;

  @BeforeEach
  void start() throws Exception {
    emulator = Emulator.start(Scenario.builtIn(DemoScenario.NAME));
    Path file = folder.resolve("local.settings.json");
    Files.writeString(
        file,
        "{\"IsEncrypted\":false,\"Values\":{\"AZURE_CLOUD\":\"Local\",\"AZURE_ARM_ENDPOINT\":\""
            + emulator.baseUrl()
            + "\",\"SENTINEL_WORKSPACES\":\""
            + DemoScenario.WORKSPACE
            + "\"}}");
    settings = file.toString();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  CliRun close(String... options) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("run", "close-incident", "--incident", DemoScenario.INCIDENT));
    args.addAll(List.of(options));
    args.addAll(List.of("--settings", settings));
    return CliRun.of(args.toArray(String[]::new));
  }

  List<RecordedRequest> ruleWrites() {
    return emulator.requests().stream()
        .filter(r -> r.isWrite() && r.path().contains("/alertsSuppressionRules"))
        .toList();
  }

  @Test
  void aFalsePositiveCloseWithSuppressForFourteenDaysIsListedWithItsIncidentAndExpiry()
      throws Exception {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    CliRun closed =
        close(
            "--classification",
            "FalsePositive",
            "--suppress",
            "--suppress-for",
            "P14D",
            "--output",
            "json");
    Instant after = Instant.now();

    assertEquals(Main.SUCCEEDED, closed.exit(), closed.err());
    JsonNode result = Json.MAPPER.readTree(closed.out());
    long rules = 0;
    for (JsonNode action : result.path("actions")) {
      if (action.path("action").asText().equals("suppress")) {
        rules++;
        assertEquals("done", action.path("outcome").asText(), action.toString());
      }
    }
    assertEquals(5, rules, result.toString());
    assertEquals(5, ruleWrites().size());

    CliRun listed =
        CliRun.of("suppressions", "list", SUB_1, SUB_2, "--output", "json", "--settings", settings);
    assertEquals(Main.SUCCEEDED, listed.exit(), listed.err());
    JsonNode rows = Json.MAPPER.readTree(listed.out());
    assertEquals(5, rows.size(), rows.toString());
    for (JsonNode row : rows) {
      assertEquals(DemoScenario.INCIDENT, row.path("incidentId").asText());
      assertTrue(row.path("madeByPlaybooks").asBoolean());
      assertEquals("FalsePositive", row.path("reason").asText());
      Instant expiry = Instant.parse(row.path("expirationDateUtc").asText());
      assertFalse(expiry.isBefore(before.plus(Duration.ofDays(14))), expiry.toString());
      assertFalse(expiry.isAfter(after.plus(Duration.ofDays(14))), expiry.toString());
    }

    CliRun text = CliRun.of("suppressions", "list", SUB_2, "--settings", settings);
    assertTrue(text.out().startsWith("2 suppression rule(s) written by the playbooks"), text.out());
    assertTrue(text.out().contains("SQL.DB_BruteForce"), text.out());
    assertTrue(text.out().contains("incident " + DemoScenario.INCIDENT), text.out());
  }

  @Test
  void listShowsRulesMadeByHandOnlyWithAll() throws Exception {
    String rule =
        "/subscriptions/" + SUB_1 + "/providers/Microsoft.Security/alertsSuppressionRules/by-hand";
    java.net.http.HttpResponse<String> put =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            emulator.baseUrl() + rule + "?api-version=2019-01-01-preview"))
                    .header("Authorization", "Bearer test-token")
                    .PUT(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"properties\":{\"alertType\":\"VM_EICAR\",\"reason\":\"Noise\","
                                + "\"state\":\"Enabled\"}}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, put.statusCode(), put.body());

    CliRun ours =
        CliRun.of("suppressions", "list", SUB_1, "--output", "json", "--settings", settings);
    assertEquals("[ ]", ours.out().trim());
    CliRun all =
        CliRun.of(
            "suppressions", "list", SUB_1, "--all", "--output", "json", "--settings", settings);
    JsonNode rows = Json.MAPPER.readTree(all.out());
    assertEquals(1, rows.size());
    assertEquals("by-hand", rows.path(0).path("name").asText());
    assertFalse(rows.path(0).path("madeByPlaybooks").asBoolean());
  }

  @Test
  void aTruePositiveWithSuppressExitsWithTwoAndNothingIsWritten() {
    CliRun run = close("--classification", "TruePositive", "--suppress");

    assertEquals(Main.BAD_INPUT, run.exit());
    assertTrue(run.err().contains("suppress"), run.err());
    assertTrue(run.err().contains("FalsePositive or BenignPositive"), run.err());
    assertEquals(0, emulator.requests().stream().filter(RecordedRequest::isWrite).count());
    assertEquals(
        "New",
        emulator
            .state()
            .incident(DemoScenario.INCIDENT)
            .orElseThrow()
            .path("properties")
            .path("status")
            .asText());
  }

  @Test
  void suppressionOptionsWithoutSuppressOrBeyondTheMaximumExitWithTwo() {
    CliRun without = close("--classification", "FalsePositive", "--suppress-for", "P7D");
    assertEquals(Main.BAD_INPUT, without.exit());
    assertTrue(without.err().contains("suppressFor"), without.err());
    CliRun tooLong =
        close("--classification", "FalsePositive", "--suppress", "--suppress-for", "P180D");
    assertEquals(Main.BAD_INPUT, tooLong.exit());
    assertTrue(tooLong.err().contains("SUPPRESSION_MAX_TTL (PT2160H)"), tooLong.err());
    CliRun scope =
        close("--classification", "BenignPositive", "--suppress", "--suppress-scope", "host");
    assertEquals(Main.BAD_INPUT, scope.exit());
    assertTrue(scope.err().contains("alertType or entities"), scope.err());
    assertEquals(0, emulator.requests().stream().filter(RecordedRequest::isWrite).count());
  }

  @Test
  void aDryRunPlansTheRulesAndARerunSaysAlready() throws Exception {
    CliRun planned =
        close("--classification", "FalsePositive", "--suppress", "--dry-run", "--output", "json");
    assertEquals(Main.SUCCEEDED, planned.exit(), planned.err());
    assertTrue(Json.MAPPER.readTree(planned.out()).findValuesAsText("outcome").contains("planned"));
    assertEquals(0, emulator.requests().stream().filter(RecordedRequest::isWrite).count());

    assertEquals(Main.SUCCEEDED, close("--classification", "FalsePositive", "--suppress").exit());
    emulator.clearRequests();
    CliRun again = close("--classification", "FalsePositive", "--suppress");
    assertEquals(Main.SUCCEEDED, again.exit(), again.err());
    assertEquals(List.of(), ruleWrites());
    assertEquals(5, again.out().split("already  suppress").length - 1, again.out());
  }

  @Test
  void deleteRemovesOneRuleAndRefusesANameThatIsNotOne() throws Exception {
    close("--classification", "FalsePositive", "--suppress");
    JsonNode rows =
        Json.MAPPER.readTree(
            CliRun.of("suppressions", "list", SUB_2, "--output", "json", "--settings", settings)
                .out());
    String name = rows.path(0).path("name").asText();

    CliRun dry =
        CliRun.of(
            "suppressions",
            "delete",
            name,
            "--subscription",
            SUB_2,
            "--dry-run",
            "--settings",
            settings);
    assertEquals(Main.SUCCEEDED, dry.exit(), dry.err());
    assertTrue(dry.out().startsWith("Would delete " + name), dry.out());
    assertEquals(5, emulator.state().suppressionRules().size());

    emulator.clearRequests();
    CliRun deleted =
        CliRun.of("suppressions", "delete", name, "--subscription", SUB_2, "--settings", settings);
    assertEquals(Main.SUCCEEDED, deleted.exit(), deleted.err());
    assertTrue(deleted.out().startsWith("Deleted " + name), deleted.out());
    assertEquals(4, emulator.state().suppressionRules().size());
    RecordedRequest delete =
        emulator.requests().stream()
            .filter(r -> r.method().equals("DELETE"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        "/subscriptions/" + SUB_2 + "/providers/Microsoft.Security/alertsSuppressionRules/" + name,
        delete.path());
    assertEquals("2019-01-01-preview", delete.query().get("api-version"));
    assertEquals(204, delete.status());

    CliRun gone =
        CliRun.of("suppressions", "delete", name, "--subscription", SUB_2, "--settings", settings);
    assertEquals(Main.BAD_INPUT, gone.exit());
    assertTrue(gone.err().contains("no suppression rule"), gone.err());
    CliRun badName =
        CliRun.of("suppressions", "delete", "x", "--subscription", SUB_2, "--settings", settings);
    assertEquals(Main.BAD_INPUT, badName.exit());
    assertTrue(badName.err().contains("2 to 50"), badName.err());
    CliRun badSubscription =
        CliRun.of("suppressions", "delete", name, "--subscription", "prod", "--settings", settings);
    assertEquals(Main.BAD_INPUT, badSubscription.exit());
    assertTrue(badSubscription.err().contains("not a subscription id"), badSubscription.err());
  }

  @Test
  void theDemoClosesAFalsePositiveWithASuppressionThatDismissesTheNextAlert() {
    CliRun demo = CliRun.of("demo");

    assertEquals(Main.SUCCEEDED, demo.exit(), demo.out() + demo.err());
    assertTrue(demo.out().contains("New VM_EICAR alert arrives Dismissed"), demo.out());
    assertTrue(demo.out().contains("Suppression rule   sentinel-VM_EICAR-"), demo.out());
    assertTrue(
        demo.out().contains("The false positive is closed and its detection suppressed"),
        demo.out());
  }
}
