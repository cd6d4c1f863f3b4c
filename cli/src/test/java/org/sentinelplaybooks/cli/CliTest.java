package org.sentinelplaybooks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;
import picocli.CommandLine;

/**
 * The CLI contract: options, exit codes, and stdout carrying only the result with --output json.
 */
class CliTest {
  @TempDir Path folder;
  Emulator emulator;
  Path settings;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    emulator = Emulator.start(Scenario.builtIn(DemoScenario.NAME));
    settings = settingsFile(DemoScenario.WORKSPACE);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  Path settingsFile(String workspaces) throws Exception {
    Path file = folder.resolve("local.settings.json");
    Files.writeString(
        file,
        "{\"IsEncrypted\":false,\"Values\":{\"AZURE_CLOUD\":\"Local\",\"AZURE_ARM_ENDPOINT\":\""
            + emulator.baseUrl()
            + "\",\"SENTINEL_WORKSPACES\":\""
            + workspaces
            + "\"}}");
    return file;
  }

  /** {@code run close-incident --incident <the demo incident>} and the given options. */
  int closeIncident(String... options) {
    String[] args = new String[options.length + 4];
    args[0] = "run";
    args[1] = "close-incident";
    args[2] = "--incident";
    args[3] = DemoScenario.INCIDENT;
    System.arraycopy(options, 0, args, 4, options.length);
    return run(args);
  }

  int run(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    return commandLine.execute(args);
  }

  @Test
  void runClosesTheIncidentAndPrintsOnlyJson() throws Exception {
    int exit =
        closeIncident(
            "--classification",
            "FalsePositive",
            "--comment",
            "test alert",
            "--output",
            "json",
            "--settings",
            settings.toString());

    assertEquals(Main.SUCCEEDED, exit, err.toString());
    JsonNode result = Json.MAPPER.readTree(out.toString());
    assertEquals("succeeded", result.path("status").asText());
    assertEquals(
        "closed as FalsePositive / IncorrectAlertLogic",
        result.path("actions").get(0).path("detail").asText());
    assertEquals(7, emulator.requests().stream().filter(RecordedRequest::isWrite).count());
  }

  @Test
  void runCreateTicketOpensOneTicket() throws Exception {
    emulator.state().setServiceNowAccount("svc", "cli-test-password", null, null);
    Path withServiceNow = folder.resolve("servicenow.settings.json");
    Files.writeString(
        withServiceNow,
        Files.readString(settings)
            .replace(
                "\"SENTINEL_WORKSPACES\"",
                "\"SERVICENOW_INSTANCE_URL\":\""
                    + emulator.baseUrl()
                    + "\",\"SERVICENOW_USERNAME\":\"svc\",\"SERVICENOW_PASSWORD\":\"cli-test-password\",\"SENTINEL_WORKSPACES\""));

    int exit =
        run(
            "run",
            "create-ticket",
            "--incident",
            DemoScenario.INCIDENT,
            "--output",
            "json",
            "--settings",
            withServiceNow.toString());

    assertEquals(Main.SUCCEEDED, exit, err.toString());
    JsonNode result = Json.MAPPER.readTree(out.toString());
    assertEquals(
        "created INC0010001",
        result.path("actions").get(0).path("detail").asText().substring(0, 18));
    assertEquals(1, emulator.state().serviceNowIncidents().size());
  }

  @Test
  void runConfirmRiskyUserActsOnTheNamedUserOnly() throws Exception {
    Path withGraph = folder.resolve("graph.settings.json");
    Files.writeString(
        withGraph,
        Files.readString(settings)
            .replace(
                "\"SENTINEL_WORKSPACES\"",
                "\"AZURE_GRAPH_ENDPOINT\":\"" + emulator.baseUrl() + "\",\"SENTINEL_WORKSPACES\""));

    int exit =
        run(
            "run",
            "confirm-risky-user",
            "--incident",
            DemoScenario.INCIDENT,
            "--user",
            "asmith@contoso.com",
            "--actions",
            "revoke",
            "--output",
            "json",
            "--settings",
            withGraph.toString());

    assertEquals(Main.SUCCEEDED, exit, err.toString());
    JsonNode action = Json.MAPPER.readTree(out.toString()).path("actions").get(0);
    assertEquals("revoke", action.path("action").asText());
    assertEquals("done", action.path("outcome").asText());
    assertTrue(action.path("target").asText().startsWith("entra-user:asmith@contoso.com"));
  }

  Path blockSettings() throws Exception {
    Path file = folder.resolve("block.settings.json");
    Files.writeString(
        file,
        Files.readString(settings)
            .replace(
                "\"SENTINEL_WORKSPACES\"",
                "\"BLOCK_NSG_IDS\":\"" + DemoScenario.NSG + "\",\"SENTINEL_WORKSPACES\""));
    return file;
  }

  @Test
  void runBlockIpBlocksTheGivenAddressesOnly() throws Exception {
    int exit =
        run(
            "run",
            "block-ip",
            "--incident",
            DemoScenario.INCIDENT,
            "--ip",
            "198.51.100.9",
            "--ip",
            "2001:db8::9",
            "--ttl",
            "PT12H",
            "--output",
            "json",
            "--settings",
            blockSettings().toString());

    assertEquals(Main.SUCCEEDED, exit, err.toString());
    JsonNode action = Json.MAPPER.readTree(out.toString()).path("actions").get(0);
    assertEquals("nsg:" + DemoScenario.NSG, action.path("target").asText());
    assertEquals("done", action.path("outcome").asText());
    String nsg = emulator.state().networkSecurityGroup(DemoScenario.NSG).orElseThrow().toString();
    assertTrue(nsg.contains("[\"198.51.100.9\"]") && nsg.contains("[\"2001:db8::9\"]"), nsg);
    assertFalse(nsg.contains("203.0.113.45"), "the incident's own address was not asked for");
  }

  @Test
  void optionsComeFromTheFlagsNeverFromTheIncidentFile() throws Exception {
    Path trigger = folder.resolve("incident-with-ips.json");
    Files.writeString(
        trigger, "{\"incidentId\":\"" + DemoScenario.INCIDENT + "\",\"ips\":[\"198.51.100.9\"]}");

    int exit =
        run(
            "run",
            "block-ip",
            "--incident",
            trigger.toString(),
            "--output",
            "json",
            "--settings",
            blockSettings().toString());

    assertEquals(Main.SUCCEEDED, exit, err.toString());
    String nsg = emulator.state().networkSecurityGroup(DemoScenario.NSG).orElseThrow().toString();
    assertTrue(nsg.contains("203.0.113.45"), "the incident's own address is blocked: " + nsg);
    assertFalse(nsg.contains("198.51.100.9"), "the file's ips field is not an option: " + nsg);
  }

  @Test
  void aPrivateAddressExitsWithTwoAndNothingIsBlocked() throws Exception {
    int exit =
        run(
            "run",
            "block-ip",
            "--incident",
            DemoScenario.INCIDENT,
            "--ip",
            "10.20.30.40",
            "--settings",
            blockSettings().toString());

    assertEquals(Main.BAD_INPUT, exit);
    assertTrue(err.toString().contains("10.20.30.40 is private (RFC 1918)"), err.toString());
    assertFalse(
        emulator.requests().stream().anyMatch(r -> r.path().contains("Microsoft.Network")),
        "no enforcement point was called");
  }

  @Test
  void blockIpWithoutAnEnforcementPointSaysWhatToSet() {
    int exit =
        run(
            "run",
            "block-ip",
            "--incident",
            DemoScenario.INCIDENT,
            "--settings",
            settings.toString());
    assertEquals(Main.BAD_INPUT, exit);
    assertTrue(
        err.toString().contains("block-ip needs an enforcement point: set BLOCK_NSG_IDS"),
        err.toString());
  }

  @Test
  void expireBlocksWithNothingExpiredChangesNothing() throws Exception {
    int exit = run("expire-blocks", "--output", "json", "--settings", blockSettings().toString());

    assertEquals(Main.SUCCEEDED, exit, err.toString());
    JsonNode result = Json.MAPPER.readTree(out.toString());
    assertEquals("expire-blocks", result.path("playbook").asText());
    assertEquals(0, result.path("actions").size());
    assertFalse(emulator.requests().stream().anyMatch(RecordedRequest::isWrite));
  }

  @Test
  void reconcileDismissesAClosedIncidentsAlertsAndPrintsASummary() throws Exception {
    emulator
        .state()
        .editIncident(
            DemoScenario.INCIDENT,
            incident ->
                ((com.fasterxml.jackson.databind.node.ObjectNode) incident.path("properties"))
                    .put("status", "Closed")
                    .put("classification", "FalsePositive"));

    int exit = run("reconcile", "--settings", settings.toString(), "--progress");

    assertEquals(Main.SUCCEEDED, exit, err.toString());
    String text = out.toString();
    assertTrue(text.startsWith("workspace"), text);
    // 7 alerts: every alert of the two incidents is accounted for, the Sentinel one and the
    // Defender for Endpoint one too; without a Graph endpoint no Defender XDR alert is read.
    assertTrue(
        text.matches(
            "(?s).*law-sentinel-prod\\s+succeeded\\s+2\\s+7\\s+0\\s+5\\s+0\\s+0\\s+0\\s.*"),
        text);
    assertTrue(err.toString().contains("reconciling law-sentinel-prod"), err.toString());
    assertEquals(
        5,
        emulator.state().mdcAlerts().stream()
            .filter(a -> a.path("properties").path("status").asText().equals("Dismissed"))
            .count());
  }

  @Test
  void reconcileWithABadSinceExitsWithTwo() {
    int exit = run("reconcile", "--since", "last week", "--settings", settings.toString());
    assertEquals(Main.BAD_INPUT, exit);
    assertTrue(err.toString().contains("'last week' is not an ISO-8601 time"), err.toString());
  }

  /** The one reconcile entry refuses a workspace outside the allow-list before any call. */
  @Test
  void reconcileOfAWorkspaceNotAllowedExitsWithTwoAndCallsNothing() {
    String other =
        "/subscriptions/1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6/resourceGroups/rg-other"
            + "/providers/Microsoft.OperationalInsights/workspaces/law-other";

    int exit = run("reconcile", "--workspace", other, "--settings", settings.toString());

    assertEquals(Main.BAD_INPUT, exit);
    assertTrue(err.toString().contains("is not in SENTINEL_WORKSPACES"), err.toString());
    assertEquals(List.of(), emulator.requests());
  }

  @Test
  void reconcileWithAMalformedWorkspaceNamesTheOption() {
    int exit =
        run("reconcile", "--workspace", "law-sentinel-prod", "--settings", settings.toString());

    assertEquals(Main.BAD_INPUT, exit);
    assertTrue(err.toString().contains("--workspace"), err.toString());
    assertEquals(List.of(), emulator.requests());
  }

  @Test
  void alertsListsTheOpenAlertsMostSevereFirst() {
    int exit =
        run(
            "alerts",
            "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6",
            "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
            "--settings",
            settings.toString());

    assertEquals(Main.SUCCEEDED, exit, err.toString());
    String text = out.toString();
    assertTrue(text.startsWith("6 open alert(s)"), text);
    assertTrue(text.indexOf("High") < text.lastIndexOf("Medium") || !text.contains("Medium"), text);
    assertTrue(text.contains("Successful SSH brute force attack"), text);
  }

  @Test
  void createTicketWithoutServiceNowSaysWhatIsMissing() {
    int exit =
        run(
            "run",
            "create-ticket",
            "--incident",
            DemoScenario.INCIDENT,
            "--settings",
            settings.toString());
    assertEquals(Main.BAD_INPUT, exit);
    assertTrue(
        err.toString().contains("create-ticket needs ServiceNow: set SERVICENOW_INSTANCE_URL"),
        err.toString());
  }

  @Test
  void aTriggerBodyFileIsAcceptedAndDryRunWritesNothing() throws Exception {
    Path trigger = folder.resolve("incident.json");
    Files.writeString(trigger, "{\"incidentId\":\"" + DemoScenario.INCIDENT + "\"}");

    int exit =
        run(
            "run",
            "close-incident",
            "--incident",
            trigger.toString(),
            "--classification",
            "TruePositive",
            "--dry-run",
            "--settings",
            settings.toString());

    assertEquals(Main.SUCCEEDED, exit, err.toString());
    assertTrue(out.toString().startsWith("close-incident (dry run): succeeded"), out.toString());
    assertTrue(
        out.toString()
            .contains("planned  close    would close as TruePositive / SuspiciousActivity"),
        out.toString());
    assertEquals(0, emulator.requests().stream().filter(RecordedRequest::isWrite).count());
  }

  @Test
  void badInputExitsWithTwoAndNamesTheField() {
    int exit =
        closeIncident(
            "--classification",
            "TruePositive",
            "--classification-reason",
            "InaccurateData",
            "--settings",
            settings.toString());

    assertEquals(Main.BAD_INPUT, exit);
    assertTrue(
        err.toString().contains("error: classificationReason: 'InaccurateData' does not fit"),
        err.toString());
    assertEquals(0, emulator.requests().size());
  }

  @Test
  void aMissingOptionExitsWithTwo() {
    assertEquals(Main.BAD_INPUT, run("run", "close-incident", "--incident", DemoScenario.INCIDENT));
    assertTrue(
        err.toString().contains("Missing required option: '--classification"), err.toString());
  }

  @Test
  void aRefusedWorkspaceExitsWithTwo() throws Exception {
    Path narrow = settingsFile(DemoScenario.WORKSPACE.replace("law-sentinel-prod", "law-other"));
    int exit =
        closeIncident(
            "--classification",
            "TruePositive",
            "--output",
            "json",
            "--settings",
            narrow.toString());
    assertEquals(Main.BAD_INPUT, exit);
    assertEquals("refused", Json.MAPPER.readTree(out.toString()).path("status").asText());
  }

  @Test
  void aPartialRunExitsWithOne() throws Exception {
    emulator
        .faults()
        .inject(new FaultRule("POST", Pattern.quote("/resolve"), Fault.status(400, null), 1));
    int exit =
        closeIncident(
            "--classification",
            "TruePositive",
            "--output",
            "json",
            "--settings",
            settings.toString());
    assertEquals(Main.FAILED, exit);
    assertEquals("partial", Json.MAPPER.readTree(out.toString()).path("status").asText());
  }

  @Test
  void badSettingsExitWithTwoNamingTheSetting() throws Exception {
    Path broken = folder.resolve("broken.json");
    Files.writeString(
        broken,
        "{\"Values\":{\"AZURE_CLOUD\":\"Local\",\"AZURE_ARM_ENDPOINT\":\"http://10.1.2.3:8480\",\"SENTINEL_WORKSPACES\":\""
            + DemoScenario.WORKSPACE
            + "\"}}");
    int exit = closeIncident("--classification", "TruePositive", "--settings", broken.toString());
    assertEquals(Main.BAD_INPUT, exit);
    assertTrue(
        err.toString()
            .contains("AZURE_ARM_ENDPOINT: 'http://10.1.2.3:8480' is not a loopback address"),
        err.toString());
    assertEquals(0, emulator.requests().size());
  }

  @Test
  void badClientAndPlaybookSettingsAreNamedTogether() throws Exception {
    Path broken = folder.resolve("broken-both.json");
    Files.writeString(
        broken,
        "{\"Values\":{\"AZURE_CLOUD\":\"Local\",\"AZURE_ARM_ENDPOINT\":\"http://10.1.2.3:8480\","
            + "\"SENTINEL_WORKSPACES\":\"law-prod\",\"BLOCK_TTL\":\"P0D\"}}");
    int exit = closeIncident("--classification", "TruePositive", "--settings", broken.toString());
    assertEquals(Main.BAD_INPUT, exit);
    String message = err.toString();
    assertTrue(message.startsWith("error: Invalid settings:\n  - "), message);
    assertTrue(
        message.contains("AZURE_ARM_ENDPOINT: 'http://10.1.2.3:8480' is not a loopback address"),
        message);
    assertTrue(message.contains("SENTINEL_WORKSPACES: 'law-prod'"), message);
    assertTrue(message.contains("BLOCK_TTL: 'P0D' is not longer than zero"), message);
    assertEquals(0, emulator.requests().size());
  }

  @Test
  void theDemoOpensATicketClosesTheIncidentAndResolvesTheAlerts() {
    int exit = run("demo");
    assertEquals(Main.SUCCEEDED, exit, out.toString() + err);
    String text = out.toString();
    assertTrue(text.contains("Sentinel incident #4217 Closed"), text);
    assertEquals(5, text.split("Defender for Cloud Resolved").length - 1, text);
    assertTrue(
        text.contains(
            "Defender XDR       resolved  Suspicious process launched by the SSH session on"
                + " vm-web-01  (da4f1e2d3c-5b6a-4789-9abc-def012345678_1, truePositive / other)"),
        text);
    assertTrue(text.contains("ServiceNow         INC0010001 state 6"), text);
    assertTrue(
        text.contains("Entra ID           jdoe@contoso.com risk=confirmedCompromised"), text);
    assertTrue(
        text.contains(
            "Demo finished: the user is contained, the attacker blocked, the incident closed, its"
                + " alerts and its ticket resolved."),
        text);
    assertTrue(
        text.contains(
            "sentinel-playbooks-block-ipv4-1          priority 100 from [\"203.0.113.45\"]"),
        text);
    assertTrue(text.contains("Defender for Endpoint indicators [Block 203.0.113.45]"), text);
  }

  // Suppression rules: Microsoft.Security/alertsSuppressionRules 2019-01-01-preview, as the
  // contract files security/alertsSuppressionRules_*.json show it.
  static final String SUB_1 = "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6";
  static final String SUB_2 = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

  /** {@code run close-incident} on the demo incident, its output apart. */
  CliRun closeRun(String... options) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("run", "close-incident", "--incident", DemoScenario.INCIDENT));
    args.addAll(List.of(options));
    args.addAll(List.of("--settings", settings.toString()));
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
        closeRun(
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
        CliRun.of(
            "suppressions",
            "list",
            SUB_1,
            SUB_2,
            "--output",
            "json",
            "--settings",
            settings.toString());
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

    CliRun text = CliRun.of("suppressions", "list", SUB_2, "--settings", settings.toString());
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
        CliRun.of(
            "suppressions", "list", SUB_1, "--output", "json", "--settings", settings.toString());
    assertEquals("[ ]", ours.out().trim());
    CliRun all =
        CliRun.of(
            "suppressions",
            "list",
            SUB_1,
            "--all",
            "--output",
            "json",
            "--settings",
            settings.toString());
    JsonNode rows = Json.MAPPER.readTree(all.out());
    assertEquals(1, rows.size());
    assertEquals("by-hand", rows.path(0).path("name").asText());
    assertFalse(rows.path(0).path("madeByPlaybooks").asBoolean());
  }

  @Test
  void aTruePositiveWithSuppressExitsWithTwoAndNothingIsWritten() {
    CliRun run = closeRun("--classification", "TruePositive", "--suppress");

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
    CliRun without = closeRun("--classification", "FalsePositive", "--suppress-for", "P7D");
    assertEquals(Main.BAD_INPUT, without.exit());
    assertTrue(without.err().contains("suppressFor"), without.err());
    CliRun tooLong =
        closeRun("--classification", "FalsePositive", "--suppress", "--suppress-for", "P180D");
    assertEquals(Main.BAD_INPUT, tooLong.exit());
    assertTrue(
        tooLong.err().contains("is P180D, longer than SUPPRESSION_MAX_TTL (P90D)"), tooLong.err());
    CliRun scope =
        closeRun("--classification", "BenignPositive", "--suppress", "--suppress-scope", "host");
    assertEquals(Main.BAD_INPUT, scope.exit());
    assertTrue(scope.err().contains("alertType or entities"), scope.err());
    assertEquals(0, emulator.requests().stream().filter(RecordedRequest::isWrite).count());
  }

  @Test
  void aDryRunPlansTheRulesAndARerunSaysAlready() throws Exception {
    CliRun planned =
        closeRun(
            "--classification", "FalsePositive", "--suppress", "--dry-run", "--output", "json");
    assertEquals(Main.SUCCEEDED, planned.exit(), planned.err());
    assertTrue(Json.MAPPER.readTree(planned.out()).findValuesAsText("outcome").contains("planned"));
    assertEquals(0, emulator.requests().stream().filter(RecordedRequest::isWrite).count());

    assertEquals(
        Main.SUCCEEDED, closeRun("--classification", "FalsePositive", "--suppress").exit());
    emulator.clearRequests();
    CliRun again = closeRun("--classification", "FalsePositive", "--suppress");
    assertEquals(Main.SUCCEEDED, again.exit(), again.err());
    assertEquals(List.of(), ruleWrites());
    assertEquals(5, again.out().split("already  suppress").length - 1, again.out());
  }

  /** {@code suppressions delete NAME --subscription SUB} with more options. */
  CliRun deleteRule(String name, String subscription, String... options) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("suppressions", "delete", name, "--subscription", subscription));
    args.addAll(List.of(options));
    args.addAll(List.of("--settings", settings.toString()));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void deleteRemovesOneRuleAndRefusesANameThatIsNotOne() throws Exception {
    closeRun("--classification", "FalsePositive", "--suppress");
    JsonNode rows =
        Json.MAPPER.readTree(
            CliRun.of(
                    "suppressions",
                    "list",
                    SUB_2,
                    "--output",
                    "json",
                    "--settings",
                    settings.toString())
                .out());
    String name = rows.path(0).path("name").asText();

    CliRun dry = deleteRule(name, SUB_2, "--dry-run");
    assertEquals(Main.SUCCEEDED, dry.exit(), dry.err());
    assertTrue(dry.out().startsWith("Would delete " + name), dry.out());
    assertEquals(5, emulator.state().suppressionRules().size());

    emulator.clearRequests();
    CliRun deleted = deleteRule(name, SUB_2);
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

    CliRun gone = deleteRule(name, SUB_2);
    assertEquals(Main.BAD_INPUT, gone.exit());
    assertTrue(gone.err().contains("no suppression rule"), gone.err());
    CliRun badName = deleteRule("x", SUB_2);
    assertEquals(Main.BAD_INPUT, badName.exit());
    assertTrue(badName.err().contains("2 to 50"), badName.err());
    CliRun badSubscription = deleteRule(name, "prod");
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

  @Test
  void alertsFiltersBySeverityAndPrintsThePortalsColumnsAsJson() throws Exception {
    CliRun high =
        CliRun.of(
            "alerts",
            SUB_1,
            SUB_2,
            "--severity",
            "High,medium",
            "--output",
            "json",
            "--settings",
            settings.toString());

    assertEquals(Main.SUCCEEDED, high.exit(), high.err());
    JsonNode rows = Json.MAPPER.readTree(high.out());
    assertEquals(5, rows.size(), "the Low test alert is left out: " + rows);
    List<String> severities = rows.findValuesAsText("severity");
    assertEquals(List.of("High", "High", "High", "Medium", "Medium"), severities);
    JsonNode first = rows.path(0);
    List<String> columns = new java.util.ArrayList<>();
    first.fieldNames().forEachRemaining(columns::add);
    assertEquals(
        List.of("id", "name", "severity", "status", "displayName", "timeGenerated", "productName"),
        columns);
    assertEquals("Azure Security Center", first.path("productName").asText());
    assertEquals("2024-05-14T10:19:59.0000000Z", first.path("timeGenerated").asText());
    List<String> highNames = new java.util.ArrayList<>();
    rows.forEach(
        r -> {
          if (r.path("severity").asText().equals("High")) {
            highNames.add(r.path("name").asText());
          }
        });
    assertEquals(highNames.stream().sorted().toList(), highNames, "then by system alert id");
    RecordedRequest query =
        emulator.requests().stream()
            .filter(r -> r.path().equals("/providers/Microsoft.ResourceGraph/resources"))
            .findFirst()
            .orElseThrow();
    String kql = Json.MAPPER.readTree(query.body()).path("query").asText();
    assertTrue(kql.contains("in~ ('High', 'Medium')"), kql);

    CliRun bad =
        CliRun.of("alerts", SUB_1, "--severity", "Critical", "--settings", settings.toString());
    assertEquals(Main.BAD_INPUT, bad.exit());
    assertTrue(bad.err().contains("'Critical' is not a severity"), bad.err());
  }
}
