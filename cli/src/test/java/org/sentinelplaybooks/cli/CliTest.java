package org.sentinelplaybooks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

    int exit = run("reconcile", "--settings", settings.toString());

    assertEquals(Main.SUCCEEDED, exit, err.toString());
    String text = out.toString();
    assertTrue(text.startsWith("workspace"), text);
    // 6 alerts: every alert of the two incidents is accounted for, the Sentinel one too.
    assertTrue(text.matches("(?s).*law-sentinel-prod\\s+succeeded\\s+2\\s+6\\s+0\\s+5\\s.*"), text);
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
  void theDemoOpensATicketClosesTheIncidentAndResolvesTheAlerts() {
    int exit = run("demo");
    assertEquals(Main.SUCCEEDED, exit, out.toString() + err);
    String text = out.toString();
    assertTrue(text.contains("Sentinel incident #4217 Closed"), text);
    assertEquals(5, text.split("Defender for Cloud Resolved").length - 1, text);
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
}
