package org.sentinelplaybooks.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.playbooks.core.PlaybookJson;

/** What {@code mvn package} stages for the Functions host: function.json bindings and host.json. */
class FunctionJsonIT {
  static final Path STAGING =
      Path.of(System.getProperty("functions.staging", "target/azure-functions/sentinel-playbooks"));

  @Test
  void closeIncidentIsAnHttpPostWithFunctionKeyOnItsRoute() throws Exception {
    JsonNode function =
        PlaybookJson.read(Files.readString(STAGING.resolve("close-incident/function.json")));

    assertTrue(function.path("scriptFile").asText().endsWith(".jar"), function.toString());
    assertEquals(
        "org.sentinelplaybooks.functions.PlaybookFunctions.closeIncident",
        function.path("entryPoint").asText());
    JsonNode trigger = function.path("bindings").get(0);
    assertEquals("httpTrigger", trigger.path("type").asText());
    assertEquals("in", trigger.path("direction").asText());
    assertEquals("function", trigger.path("authLevel").asText().toLowerCase());
    assertEquals("playbooks/close-incident", trigger.path("route").asText());
    assertEquals("[\"POST\"]", trigger.path("methods").toString().toUpperCase());
    JsonNode output = function.path("bindings").get(1);
    assertEquals("http", output.path("type").asText());
    assertEquals("out", output.path("direction").asText());
  }

  @Test
  void createTicketIsAnHttpPostOnItsRoute() throws Exception {
    JsonNode function =
        PlaybookJson.read(Files.readString(STAGING.resolve("create-ticket/function.json")));
    assertEquals(
        "org.sentinelplaybooks.functions.PlaybookFunctions.createTicket",
        function.path("entryPoint").asText());
    JsonNode trigger = function.path("bindings").get(0);
    assertEquals("playbooks/create-ticket", trigger.path("route").asText());
    assertEquals("function", trigger.path("authLevel").asText().toLowerCase());
  }

  @Test
  void confirmRiskyUserIsAnHttpPostOnItsRoute() throws Exception {
    JsonNode function =
        PlaybookJson.read(Files.readString(STAGING.resolve("confirm-risky-user/function.json")));
    assertEquals(
        "org.sentinelplaybooks.functions.PlaybookFunctions.confirmRiskyUser",
        function.path("entryPoint").asText());
    assertEquals(
        "playbooks/confirm-risky-user", function.path("bindings").get(0).path("route").asText());
  }

  @Test
  void blockIpIsAnHttpPostOnItsRouteAndExpiryATimerOnTheScheduleSetting() throws Exception {
    JsonNode block = PlaybookJson.read(Files.readString(STAGING.resolve("block-ip/function.json")));
    assertEquals("playbooks/block-ip", block.path("bindings").get(0).path("route").asText());
    assertEquals(
        "function", block.path("bindings").get(0).path("authLevel").asText().toLowerCase());

    JsonNode expire =
        PlaybookJson.read(Files.readString(STAGING.resolve("expire-blocks/function.json")));
    assertEquals(
        "org.sentinelplaybooks.functions.ExpireBlocksFunction.run",
        expire.path("entryPoint").asText());
    JsonNode timer = expire.path("bindings").get(0);
    assertEquals("timerTrigger", timer.path("type").asText());
    assertEquals("%EXPIRE_BLOCKS_SCHEDULE%", timer.path("schedule").asText());
  }

  @Test
  void reconcileFansOutThroughTheQueueWithPoisonAfterFiveTries() throws Exception {
    JsonNode timer =
        PlaybookJson.read(Files.readString(STAGING.resolve("reconcile-timer/function.json")));
    assertEquals("%RECONCILE_SCHEDULE%", timer.path("bindings").get(0).path("schedule").asText());
    JsonNode output = timer.path("bindings").get(1);
    assertEquals("queue", output.path("type").asText());
    assertEquals("out", output.path("direction").asText());
    assertEquals("reconcile-workspace", output.path("queueName").asText());

    JsonNode worker =
        PlaybookJson.read(Files.readString(STAGING.resolve("reconcile-workspace/function.json")));
    JsonNode trigger = worker.path("bindings").get(0);
    assertEquals("queueTrigger", trigger.path("type").asText());
    assertEquals("reconcile-workspace", trigger.path("queueName").asText());
    assertEquals("AzureWebJobsStorage", trigger.path("connection").asText());

    JsonNode host = PlaybookJson.read(Files.readString(STAGING.resolve("host.json")));
    assertEquals(5, host.path("extensions").path("queues").path("maxDequeueCount").asInt());
  }

  @Test
  void hostJsonAndTheInjectorAreStaged() throws Exception {
    JsonNode host = PlaybookJson.read(Files.readString(STAGING.resolve("host.json")));
    assertEquals("2.0", host.path("version").asText());
    assertEquals(
        "Microsoft.Azure.Functions.ExtensionBundle",
        host.path("extensionBundle").path("id").asText());
    try (var jars = Files.list(STAGING)) {
      Path appJar =
          jars.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst().orElseThrow();
      try (var jar = new java.util.jar.JarFile(appJar.toFile())) {
        assertTrue(
            jar.getEntry(
                    "META-INF/services/com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector")
                != null);
      }
    }
    assertTrue(Files.isDirectory(STAGING.resolve("lib")), "dependencies are staged in lib/");
  }
}
