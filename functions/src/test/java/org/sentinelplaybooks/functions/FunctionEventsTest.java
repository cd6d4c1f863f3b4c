package org.sentinelplaybooks.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.core.LoggerEventSink;
import org.sentinelplaybooks.playbooks.core.PlaybookJson;

/**
 * Each function writes its run's events on the invocation's logger, the one the Functions host
 * sends to Application Insights, under the invocation's id.
 */
class FunctionEventsTest {
  EmulatedAzure azure;
  FakeExecutionContext context;

  @BeforeEach
  void start() {
    azure = EmulatedAzure.start();
    context = new FakeExecutionContext();
  }

  @AfterEach
  void stop() {
    azure.close();
  }

  List<JsonNode> events() {
    return context.records.stream()
        .map(r -> r.getMessage())
        .filter(m -> m.startsWith(LoggerEventSink.PREFIX))
        .map(
            m -> {
              try {
                return PlaybookJson.read(m.substring(LoggerEventSink.PREFIX.length()));
              } catch (Exception e) {
                throw new IllegalStateException(m, e);
              }
            })
        .toList();
  }

  void assertAllUnderTheInvocation(String playbook) {
    List<JsonNode> events = events();
    assertFalse(events.isEmpty(), "events of " + playbook);
    for (JsonNode event : events) {
      assertEquals(context.getInvocationId(), event.path("runId").asText(), event.toString());
      assertEquals(playbook, event.path("playbook").asText(), event.toString());
    }
    assertEquals(
        1, events.stream().filter(e -> e.path("event").asText().equals("run")).count(), "one run");
  }

  @Test
  void anHttpPlaybookRunIsReportedUnderItsInvocationId() {
    new PlaybookFunctions(azure.playbooks)
        .createTicket(new FakeHttpRequest(EmulatedAzure.triggerBody(), Map.of()), context);

    assertAllUnderTheInvocation("create-ticket");
  }

  @Test
  void theReconcileWorkerAndTheExpiryTimerAreReportedUnderTheirInvocationIds() {
    new ReconcileFunctions(azure.playbooks)
        .workspace("{\"workspace\":\"" + EmulatedAzure.WORKSPACE + "\"}", context);
    assertAllUnderTheInvocation("reconcile");
    assertTrue(
        events().stream()
            .allMatch(e -> e.path("workspace").asText().equals(EmulatedAzure.WORKSPACE)));

    context.records.clear();
    new ExpireBlocksFunction(azure.playbooks).run("{}", context);
    assertAllUnderTheInvocation("expire-blocks");
  }
}
