package org.sentinelplaybooks.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.StreamSupport;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.block.BlockIpPlaybook;
import org.sentinelplaybooks.playbooks.block.BlockSettings;
import org.sentinelplaybooks.playbooks.close.CloseIncidentPlaybook;
import org.sentinelplaybooks.playbooks.identity.ConfirmRiskyUserPlaybook;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketPlaybook;

/**
 * Every HTTP function against {@value #TRIES} malformed or hostile requests each (see {@link
 * HostileRequests}), through the real playbooks and clients against the emulator: each is answered
 * with a 4xx that says what is wrong, never a 5xx, and nothing is written.
 */
class HttpFunctionsFuzzTest {
  static final int TRIES = 10_000;

  /** Held so the level set on it sticks: the JDK client warns on every request otherwise. */
  private static final Logger JDK_CLIENT_NOISE =
      Logger.getLogger("com.azure.core.http.jdk.httpclient");

  private static final Set<String> REQUEST_FIELDS =
      Set.of("incidentId", "object", "object.id", "objectSchemaType", "dryRun");

  private static EmulatedAzure azure;
  private static PlaybookFunctions playbookFunctions;
  private static ReconcileFunctions reconcileFunctions;
  private static FakeExecutionContext context;

  @BeforeContainer
  static void startEmulatedAzure() {
    JDK_CLIENT_NOISE.setLevel(Level.SEVERE);
    azure = EmulatedAzure.start(Map.of(BlockSettings.BLOCK_NEVER, HostileRequests.NEVER_BLOCKED));
    playbookFunctions = new PlaybookFunctions(azure.playbooks);
    reconcileFunctions = new ReconcileFunctions(azure.playbooks);
    context = new FakeExecutionContext();
  }

  @AfterContainer
  static void stopEmulatedAzure() {
    azure.close();
  }

  @Property(tries = TRIES)
  void closeIncident(
      @ForAll("closeIncidentBodies") String body, @ForAll("queries") Map<String, String> query)
      throws Exception {
    Set<String> options =
        Set.of("classification", "classificationReason", "comment", "dismissAlerts");
    answersWithoutWriting(playbookFunctions::closeIncident, body, query, options);
    reachesEveryCheck(options, true);
  }

  @Property(tries = TRIES)
  void createTicket(
      @ForAll("createTicketBodies") String body, @ForAll("queries") Map<String, String> query)
      throws Exception {
    answersWithoutWriting(playbookFunctions::createTicket, body, query, Set.of());
    reachesEveryCheck(Set.of(), true);
  }

  @Property(tries = TRIES)
  void confirmRiskyUser(
      @ForAll("confirmRiskyUserBodies") String body, @ForAll("queries") Map<String, String> query)
      throws Exception {
    Set<String> options = Set.of("users", "actions");
    answersWithoutWriting(playbookFunctions::confirmRiskyUser, body, query, options);
    reachesEveryCheck(options, true);
  }

  @Property(tries = TRIES)
  void blockIp(@ForAll("blockIpBodies") String body, @ForAll("queries") Map<String, String> query)
      throws Exception {
    Set<String> options = Set.of("ips", "ttl");
    answersWithoutWriting(playbookFunctions::blockIp, body, query, options);
    reachesEveryCheck(options, true);
  }

  @Property(tries = TRIES)
  void reconcile(
      @ForAll("reconcileBodies") String body, @ForAll("queries") Map<String, String> query)
      throws Exception {
    Set<String> options = Set.of("workspace", "since", "dryRun");
    answersWithoutWriting(reconcileFunctions::onDemand, body, query, options);
    reachesEveryCheck(options, false);
  }

  @Provide
  Arbitrary<String> closeIncidentBodies() {
    return HostileRequests.playbookBody(CloseIncidentPlaybook.NAME);
  }

  @Provide
  Arbitrary<String> createTicketBodies() {
    return HostileRequests.playbookBody(CreateTicketPlaybook.NAME);
  }

  @Provide
  Arbitrary<String> confirmRiskyUserBodies() {
    return HostileRequests.playbookBody(ConfirmRiskyUserPlaybook.NAME);
  }

  @Provide
  Arbitrary<String> blockIpBodies() {
    return HostileRequests.playbookBody(BlockIpPlaybook.NAME);
  }

  @Provide
  Arbitrary<String> reconcileBodies() {
    return HostileRequests.reconcileBody();
  }

  @Provide
  Arbitrary<Map<String, String>> queries() {
    return HostileRequests.queries();
  }

  /**
   * The generators reach every check: the body as a whole, each option and, for the playbooks, the
   * allow-list and Sentinel itself (an incident it does not have).
   */
  private static void reachesEveryCheck(Set<String> optionFields, boolean playbook) {
    Statistics.label("answer")
        .coverage(
            coverage -> {
              coverage.check("400 body").percentage(share -> share > 10);
              optionFields.forEach(
                  field -> coverage.check("400 " + field).percentage(share -> share > 0.5));
              if (playbook) {
                coverage.check("400 no such incident").percentage(share -> share > 2.5);
                coverage.check("403 refused").percentage(share -> share > 1.5);
              }
            });
  }

  private static void answersWithoutWriting(
      BiFunction<HttpRequestMessage<Optional<String>>, ExecutionContext, HttpResponseMessage>
          function,
      String body,
      Map<String, String> query,
      Set<String> optionFields)
      throws Exception {
    azure.emulator.clearRequests();
    context.records.clear();

    HttpResponseMessage response = function.apply(new FakeHttpRequest(body, query), context);

    List<RecordedRequest> writes = azure.writes();
    int status = response.getStatusCode();
    String text = (String) response.getBody();
    String exchange = excerpt(body) + " ?" + query + " -> " + status + " " + excerpt(text);
    assertTrue(status < 500, () -> "a server error: " + exchange);
    assertEquals(List.of(), writes, () -> "a write: " + exchange);
    assertEquals("application/json", response.getHeader("Content-Type"), exchange);
    assertFalse(text.contains(azure.serviceNowPassword), "a secret in the answer");
    JsonNode answer = Json.MAPPER.readTree(text);
    String verdict;
    if (status == 403) {
      verdict = "403 refused";
      assertEquals("refused", answer.path("status").asText(), exchange);
      assertTrue(
          answer.path("actions").size() > 0
              && toList(answer.path("actions")).stream()
                  .allMatch(action -> !action.path("detail").asText("").isBlank()),
          () -> "a refusal without its reason: " + exchange);
    } else if (status >= 400) {
      JsonNode error = answer.path("error");
      String message = error.path("message").asText("");
      assertFalse(message.isBlank(), () -> "a 4xx without a message: " + exchange);
      assertFalse(
          error.path("code").asText("").isBlank(), () -> "a 4xx without a code: " + exchange);
      String field = error.path("field").asText(null);
      if (field != null) {
        assertTrue(
            REQUEST_FIELDS.contains(field) || optionFields.contains(field),
            () -> "the error names '" + field + "', which the request has no say in: " + exchange);
        assertTrue(
            message.startsWith(field + ": "),
            () -> "the message does not name the field: " + exchange);
      }
      verdict =
          status
              + (message.contains("Sentinel has no incident")
                  ? " no such incident"
                  : field == null ? " body" : " " + field);
    } else {
      verdict = fail("a malformed or hostile request was accepted: " + exchange);
    }
    Statistics.label("answer").collect(verdict);
  }

  private static List<JsonNode> toList(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  private static String excerpt(String text) {
    if (text == null) {
      return "(no body)";
    }
    String shown =
        text.length() > 300 ? text.substring(0, 300) + "... (" + text.length() + ")" : text;
    return Json.MAPPER.getNodeFactory().textNode(shown).toString();
  }
}
