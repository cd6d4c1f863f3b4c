package org.sentinelplaybooks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Scenario;
import org.sentinelplaybooks.playbooks.Azurite;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.state.TableActionStore;
import org.sentinelplaybooks.playbooks.state.TableBlockStore;
import org.sentinelplaybooks.playbooks.state.TableCheckpointStore;
import org.sentinelplaybooks.playbooks.state.TableTicketStore;

/**
 * {@code status} reads what {@code run} and {@code reconcile} left in Azure Tables (Azurite), with
 * the services in the emulator.
 */
class StatusCommandTest {
  @TempDir Path folder;
  Emulator emulator;
  Path settings;

  @BeforeEach
  void start() throws Exception {
    emulator = Emulator.start(Scenario.builtIn(DemoScenario.NAME));
    Map<String, String> values = EmbeddedEmulator.settings(emulator);
    values.put(Settings.AZURE_WEBJOBS_STORAGE, Azurite.tableConnectionString());
    PlaybookSettings parsed = PlaybookSettings.from(values);
    var tables = ServiceClients.create(parsed.clients()).tables().orElseThrow();
    tables.deleteTable(TableBlockStore.TABLE);
    tables.deleteTable(TableTicketStore.TABLE);
    tables.deleteTable(TableCheckpointStore.TABLE);
    tables.deleteTable(TableActionStore.TABLE);
    ObjectNode file = Json.object().put("IsEncrypted", false);
    ObjectNode settingValues = file.putObject("Values");
    values.forEach(settingValues::put);
    settings = folder.resolve("local.settings.json");
    Files.writeString(settings, file.toString());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  CliRun cli(String... args) {
    String[] withSettings = new String[args.length + 2];
    System.arraycopy(args, 0, withSettings, 0, args.length);
    withSettings[args.length] = "--settings";
    withSettings[args.length + 1] = settings.toString();
    return CliRun.of(withSettings);
  }

  @Test
  void statusShowsTheBlocksTicketAndCheckpointThatRunAndReconcileLeft() {
    assertEquals(0, cli("run", "create-ticket", "--incident", DemoScenario.INCIDENT).exit());
    assertEquals(0, cli("run", "block-ip", "--incident", DemoScenario.INCIDENT).exit());
    CliRun contained = cli("run", "confirm-risky-user", "--incident", DemoScenario.INCIDENT);
    assertEquals(0, contained.exit(), contained.out() + contained.err());
    CliRun reconciled = cli("reconcile", "--output", "json");
    assertEquals(0, reconciled.exit(), reconciled.err());

    CliRun status = cli("status", "--output", "json");

    assertEquals(0, status.exit(), status.err());
    JsonNode root = parse(status.out());
    JsonNode blocks = root.path("activeBlocks");
    assertTrue(blocks.size() >= 3, root.toString());
    Instant now = Instant.now();
    for (JsonNode block : blocks) {
      assertEquals(DemoScenario.INCIDENT, block.path("incidentId").asText());
      Instant expiry = Instant.parse(block.path("expiresAt").asText());
      assertTrue(expiry.isAfter(now.plus(Duration.ofDays(6))), block.toString());
    }
    assertTrue(
        blocks.findValuesAsText("target").contains("nsg:" + DemoScenario.NSG), blocks.toString());
    assertEquals(0, root.path("dueWithinHour").size());

    CliRun shortBlock =
        cli(
            "run",
            "block-ip",
            "--incident",
            DemoScenario.INCIDENT,
            "--ip",
            "198.51.100.7",
            "--ttl",
            "PT30M");
    assertEquals(0, shortBlock.exit(), shortBlock.out() + shortBlock.err());
    JsonNode due = parse(cli("status", "--output", "json").out()).path("dueWithinHour");
    assertFalse(due.isEmpty(), due.toString());
    for (JsonNode block : due) {
      assertEquals("198.51.100.7", block.path("address").asText(), due.toString());
    }
    JsonNode tickets = root.path("tickets");
    assertEquals(1, tickets.size(), root.toString());
    assertEquals(DemoScenario.INCIDENT, tickets.get(0).path("incidentId").asText());
    assertEquals(
        emulator.state().serviceNowIncidents().get(0).path("number").asText(),
        tickets.get(0).path("number").asText());
    JsonNode checkpoint = root.path("checkpoints").get(0);
    assertEquals(DemoScenario.WORKSPACE, checkpoint.path("workspace").asText(), root.toString());
    assertEquals("succeeded", checkpoint.path("lastRunStatus").asText());
    assertFalse(checkpoint.path("lastRun").isNull());
    assertFalse(checkpoint.path("lastSuccess").isNull());
    assertEquals(0, checkpoint.path("failuresPending").asInt());
    JsonNode identity = root.path("identityActions");
    assertFalse(identity.isEmpty(), root.toString());
    for (JsonNode action : identity) {
      assertEquals(DemoScenario.USER, action.path("subject").asText(), action.toString());
      assertEquals(DemoScenario.INCIDENT, action.path("incidentId").asText());
    }
    assertTrue(identity.findValuesAsText("action").contains("reset"), identity.toString());

    CliRun text = cli("status");
    assertEquals(0, text.exit());
    String address = blocks.get(0).path("address").asText();
    assertTrue(text.out().contains(address), text.out());
    assertTrue(text.out().contains(tickets.get(0).path("number").asText()), text.out());
    assertTrue(text.out().contains("failures pending 0"), text.out());
  }

  @Test
  void statusListsTheSuppressionRulesThePlaybooksWroteInTheSubscriptionsNamed() {
    emulator
        .state()
        .putIncident(
            DemoScenario.testAlertIncident(), List.of(DemoScenario.testAlertEntity()), List.of());
    CliRun suppressed =
        cli(
            "run",
            "close-incident",
            "--incident",
            DemoScenario.TEST_ALERT_INCIDENT,
            "--classification",
            "FalsePositive",
            "--suppress");
    assertEquals(0, suppressed.exit(), suppressed.out() + suppressed.err());

    CliRun status =
        cli(
            "status",
            "--output",
            "json",
            "--suppressions-in",
            DemoScenario.TEST_ALERT_SUBSCRIPTION);

    assertEquals(0, status.exit(), status.err());
    JsonNode rules = parse(status.out()).path("suppressionRules");
    assertEquals(1, rules.size(), status.out());
    assertEquals(DemoScenario.TEST_ALERT_INCIDENT, rules.get(0).path("incidentId").asText());
    assertTrue(rules.get(0).path("madeByPlaybooks").asBoolean());
    assertTrue(
        emulator.requests().stream()
            .anyMatch(
                r ->
                    r.method().equals("GET")
                        && r.path()
                            .endsWith("/providers/Microsoft.Security/alertsSuppressionRules")),
        "read from Defender for Cloud");

    CliRun bad = cli("status", "--suppressions-in", "not-a-subscription");
    assertEquals(Main.BAD_INPUT, bad.exit());
    assertTrue(bad.err().contains("--suppressions-in"), bad.err());
  }

  @Test
  void statusWithoutStorageNamesTheSettingAndExits2() throws Exception {
    Path none = folder.resolve("no-storage.json");
    Map<String, String> values = EmbeddedEmulator.settings(emulator);
    ObjectNode file = Json.object();
    ObjectNode settingValues = file.putObject("Values");
    values.forEach(settingValues::put);
    Files.writeString(none, file.toString());

    CliRun run = CliRun.of("status", "--settings", none.toString());

    assertEquals(Main.BAD_INPUT, run.exit());
    assertTrue(run.err().contains(Settings.AZURE_WEBJOBS_STORAGE), run.err());
    assertTrue(run.out().isEmpty(), run.out());
  }

  static JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException("not JSON: " + text, e);
    }
  }
}
