package org.sentinelplaybooks.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.playbooks.core.LoggerEventSink;
import org.sentinelplaybooks.playbooks.core.PlaybookEvent;

/**
 * The workbook the template deploys on the app's Application Insights: its shape as the workbooks
 * API takes it (azure-rest-api-specs
 * specification/applicationinsights/resource-manager/Microsoft.Insights/stable/2022-04-01/
 * workbooks_API.json and its examples/WorkbookAdd.json: a GUID name, kind shared, category
 * workbook, serializedData a Notebook/1.0 document as a string, sourceId the resource it reads),
 * and queries that read only what the app writes.
 */
class WorkbookTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern FIELD = Pattern.compile("customDimensions\\.([A-Za-z_][A-Za-z0-9_]*)");

  JsonNode template;
  JsonNode workbook;
  JsonNode document;

  @BeforeEach
  void load() throws Exception {
    template = JSON.readTree(Files.readString(Path.of("azuredeploy.json")));
    List<JsonNode> workbooks =
        StreamSupport.stream(template.path("resources").spliterator(), false)
            .filter(r -> r.path("type").asText().equals("Microsoft.Insights/workbooks"))
            .toList();
    assertEquals(1, workbooks.size(), "one workbook in the template");
    workbook = workbooks.get(0);
    document = JSON.readTree(workbook.path("properties").path("serializedData").asText());
  }

  List<String> queries() {
    List<String> queries = new ArrayList<>();
    for (JsonNode item : document.path("items")) {
      if (item.path("type").asInt() == 3) {
        queries.add(item.path("content").path("query").asText());
      }
    }
    return queries;
  }

  @Test
  void theWorkbookIsASharedNotebookOnTheAppsApplicationInsights() {
    assertEquals("2022-04-01", workbook.path("apiVersion").asText());
    assertEquals("shared", workbook.path("kind").asText());
    assertEquals("[variables('workbookName')]", workbook.path("name").asText());
    assertTrue(
        template.path("variables").path("workbookName").asText().startsWith("[guid("),
        "a workbook's name is a GUID");
    JsonNode properties = workbook.path("properties");
    assertEquals("workbook", properties.path("category").asText());
    assertFalse(properties.path("displayName").asText().isBlank());
    assertEquals(
        "[resourceId('Microsoft.Insights/components', variables('insightsName'))]",
        properties.path("sourceId").asText());
    assertTrue(
        workbook.path("dependsOn").toString().contains("Microsoft.Insights/components"),
        "deployed after the Application Insights it reads");
    assertEquals("Notebook/1.0", document.path("version").asText());
    assertTrue(TemplateChecks.unresolvedReferences(template).isEmpty());
  }

  @Test
  void itHasTheQueriesASocLeadAsksFor() {
    List<String> titles = new ArrayList<>();
    document.path("items").forEach(i -> titles.add(i.path("content").path("title").asText()));
    String all = String.join("\n", titles).toLowerCase();
    for (String wanted :
        List.of(
            "runs and outcomes over time",
            "failures by target and reason",
            "addresses blocked now",
            "reconcile: changes and failures per workspace",
            "keeps failing on",
            "tickets and suppression rules")) {
      assertTrue(all.contains(wanted), "a query for '" + wanted + "' in " + titles);
    }
  }

  @Test
  void everyQueryReadsTheAppsEventsAndOnlyFieldsTheAppWrites() {
    assertFalse(queries().isEmpty());
    TreeSet<String> unknown = new TreeSet<>();
    TreeSet<String> read = new TreeSet<>();
    String prefix = "message startswith \"" + LoggerEventSink.PREFIX + "\"";
    String lift =
        "customDimensions = parse_json(substring(message, "
            + LoggerEventSink.PREFIX.length()
            + "))";
    for (String query : queries()) {
      assertTrue(query.contains(prefix), "reads the app's event lines: " + query);
      assertTrue(query.contains(lift), "lifts the whole JSON after the prefix: " + query);
      Matcher fields = FIELD.matcher(query);
      while (fields.find()) {
        read.add(fields.group(1));
        if (!PlaybookEvent.FIELDS.contains(fields.group(1))) {
          unknown.add(fields.group(1));
        }
      }
    }
    assertTrue(unknown.isEmpty(), "fields no event has: " + unknown);
    for (String needed :
        List.of("event", "playbook", "status", "outcome", "targetKind", "targetId", "expiresAt")) {
      assertTrue(read.contains(needed), needed + " is read by some query: " + read);
    }
  }

  /**
   * The events are {@code traces}; sampled, the workbook's counts would be wrong. host.json's
   * {@code logging.applicationInsights.samplingSettings.excludedTypes} takes Dependency, Event,
   * Exception, PageView, Request and Trace (Learn, "host.json reference for Azure Functions 2.x and
   * later").
   */
  @Test
  void theEventsAreNeverSampledAway() throws Exception {
    JsonNode host = JSON.readTree(Files.readString(Path.of("..", "host.json")));
    JsonNode sampling = host.path("logging").path("applicationInsights").path("samplingSettings");
    List<String> excluded = List.of(sampling.path("excludedTypes").asText().split(";"));
    assertTrue(
        !sampling.path("isEnabled").asBoolean(true) || excluded.contains("Trace"),
        "traces are excluded from sampling: " + sampling);
  }

  @Test
  void theQueriesUseTheEventKindsAndOutcomeNamesTheAppWrites() {
    String all = String.join("\n", queries());
    for (String kind :
        List.of(PlaybookEvent.ACTION_EVENT, PlaybookEvent.RUN_EVENT, PlaybookEvent.BLOCK_EVENT)) {
      assertTrue(all.contains("== \"" + kind + "\""), kind);
    }
    Matcher quoted = Pattern.compile("outcome\\) == \"([a-z]+)\"").matcher(all);
    while (quoted.find()) {
      String outcome = quoted.group(1);
      assertTrue(
          java.util.Arrays.stream(org.sentinelplaybooks.playbooks.core.Outcome.values())
              .anyMatch(o -> o.wireName().equals(outcome)),
          outcome + " is an outcome");
    }
  }
}
