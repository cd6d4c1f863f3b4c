package org.sentinelplaybooks.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Binds the emulator to the wire contracts in {@code ../shared/contracts/} (beside the checkout;
 * {@code -Dcontracts.dir=...} points elsewhere). Every example there with a request and a response
 * is replayed against the emulator over HTTP, seeded with the example's own resource where the
 * request needs one, and the answer must have the example's status and every field name of the
 * example's body, with the same JSON type (recursively; an array by its first element). Where the
 * file also holds the official example verbatim ({@code specExampleVerbatim}) and its body differs,
 * an answer matching either is accepted.
 *
 * <p>Every contract file is accounted for: replayed here, listed in {@link #NOT_SERVED} (and then
 * checked to be really unserved, so that adding the route fails this test until it is replayed), or
 * listed in {@link #NOT_AN_EXCHANGE}. A new route starts from a contract file and a replay here.
 */
class ContractReplayTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Contract files whose routes the emulator does not serve yet ({@code file}, or {@code
   * file#option} for one of the options of a file that lists several). Each request in them must
   * still be answered as an unknown route; once a route is added, replay it in {@link #plan}.
   */
  static final Map<String, String> NOT_SERVED =
      Map.ofEntries(
          Map.entry(
              "graph/authenticationMethod_resetPassword.json",
              "route not served yet (delegated permission only; the playbooks reset through"
                  + " passwordProfile)"),
          Map.entry("graph/namedLocations_create_ip.json", "route not served yet"),
          Map.entry("graph/riskyUsers_dismiss.json", "route not served yet"),
          Map.entry("graph/users_get_manager.json", "route not served yet"),
          Map.entry(
              "graph/users_memberOf_directoryRoles.json#B_roleAssignments_filter",
              "route not served yet"),
          Map.entry(
              "graph/users_memberOf_directoryRoles.json#C_transitiveRoleAssignments",
              "route not served yet (beta only)"),
          Map.entry(
              "graph/security_incidents_update.json",
              "route not served (the playbooks never write a Defender XDR incident: Defender XDR"
                  + " syncs the incidents it owns itself)"));

  /**
   * Served contract files whose request the emulator must refuse when the resource it names is not
   * there (the file's first seeded replay, sent to an empty emulator): the refusal must be a 4xx in
   * the contract's {@code errorResponse.shape}.
   */
  static final Set<String> REFUSED_WITHOUT_THEIR_RESOURCE =
      Set.of(
          "sentinel/incidents_get.json",
          "sentinel/incidentComments_createOrUpdate.json",
          "sentinel/incidents_listAlerts.json",
          "sentinel/incidents_listEntities.json",
          "security/alerts_getSubscriptionLevel.json",
          "security/alerts_getResourceGroupLevel.json",
          "security/alerts_dismiss_subscriptionLevel.json",
          "security/alerts_dismiss_resourceGroupLevel.json",
          "security/alerts_resolve_resourceGroupLevel.json",
          "network/networkSecurityGroups_get.json",
          "network/securityRules_get.json",
          "network/securityRules_createOrUpdate.json",
          "network/securityRules_delete.json",
          "network/ipGroups_get.json",
          "graph/riskyUsers_get.json",
          "graph/namedLocations_update_ip.json",
          "graph/users_checkMemberGroups.json",
          "graph/users_get.json",
          "graph/security_alerts_v2_get.json",
          "graph/security_alerts_v2_update.json",
          "graph/security_incidents_get.json",
          "graph/users_revokeSignInSessions.json",
          "graph/users_update_passwordProfile.json",
          "servicenow/table_incident_patch.json");

  /** Contract files that describe no request of ours. */
  static final Map<String, String> NOT_AN_EXCHANGE =
      Map.of(
          "sentinel-incident-trigger.json",
          "the body the Sentinel incident trigger delivers to us; no request goes out");

  /** Where the contracts were expected when they are missing (for the skip's message). */
  private static String missingHint = "";

  static final Path CONTRACTS = contractsDirectory();

  private static boolean contractsRequired() {
    return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("contracts.required");
  }

  static Emulator emulator;
  static EmulatorHttp http;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(
        CONTRACTS != null,
        "the wire contracts are not beside this checkout ("
            + missingHint
            + "): the contract replay is left out here; CI always runs it");
    emulator = Emulator.start(Scenario.empty());
    http = new EmulatorHttp(emulator);
  }

  @AfterAll
  static void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  /**
   * {@code ../shared/contracts} beside the repository root (the directory holding the root pom and
   * the emulator module), found from the working directory upwards. Missing contracts fail the
   * build in CI ({@code CI=true}) or with {@code -Dcontracts.required=true}: without them nothing
   * binds the emulator to the references. A clone of the repository alone has no {@code ../shared},
   * so there the replay is reported as skipped, naming what it needs, and the rest of the suite
   * still runs.
   */
  static Path contractsDirectory() {
    String configured = System.getProperty("contracts.dir");
    if (configured != null && !configured.isBlank()) {
      Path path = Paths.get(configured).toAbsolutePath().normalize();
      if (!Files.isRegularFile(path.resolve("README.md"))) {
        throw new IllegalStateException(
            "-Dcontracts.dir=" + configured + " holds no contracts (no README.md)");
      }
      return path;
    }
    Path start = Paths.get("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isRegularFile(dir.resolve("emulator/pom.xml"))) {
        Path contracts = dir.resolveSibling("shared").resolve("contracts").normalize();
        if (!Files.isRegularFile(contracts.resolve("README.md"))) {
          String hint = "expected " + contracts + " beside the checkout " + dir;
          if (contractsRequired()) {
            throw new IllegalStateException(
                "the wire contracts are missing: " + hint + " (or set -Dcontracts.dir)");
          }
          missingHint = hint + ", or -Dcontracts.dir";
          System.err.println(
              "ContractReplayTest is left out: the wire contracts are missing, " + hint);
          return null;
        }
        return contracts;
      }
    }
    throw new IllegalStateException(
        "no repository root (pom.xml with an emulator module) above " + start);
  }

  static JsonNode read(String file) {
    try {
      return JSON.readTree(CONTRACTS.resolve(file).toFile());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read contract " + file, e);
    }
  }

  static List<String> contractFiles() throws IOException {
    try (Stream<Path> files = Files.walk(CONTRACTS)) {
      return files
          .filter(p -> p.toString().endsWith(".json"))
          .map(p -> CONTRACTS.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  // ---- one replay: the request, the seed, the expected status and bodies

  /** A request to replay and what the contract says its answer looks like. */
  static final class Replay {
    final String file;
    final String label;
    final JsonNode contract;
    String method;
    String url;
    JsonNode body;
    final ObjectNode seed = JSON.createObjectNode();
    boolean serviceNow;
    int status;
    final Map<String, String> placeholders = new LinkedHashMap<>();

    /** Field paths (a.b[0].c) not checked, each with the reason. */
    final Map<String, String> exceptions = new LinkedHashMap<>();

    /** Response headers the contract lists but which are not checked, each with the reason. */
    final Map<String, String> headerExceptions = new LinkedHashMap<>();

    /** Headers of which the answer must have at least one (empty: no such rule). */
    final List<String> oneOfHeaders = new ArrayList<>();

    Consumer<JsonNode> expectedTransform = node -> {};

    /** The answer's shape where the contract states it in words only, not as an example. */
    JsonNode statedBody;

    /**
     * A replay of {@code contract}'s request: the file itself, or one of its {@code options} (each
     * with its own request and, for some, an {@code exampleResponse}).
     */
    Replay(String file, String label, JsonNode contract, int status) {
      this.file = file;
      this.label = label;
      this.contract = contract;
      JsonNode request = contract.path("request");
      this.method = request.path("method").asText();
      this.url = request.path("exampleUrl").asText(request.path("urlTemplate").asText());
      this.body = request.path("body").isNull() ? null : request.path("body").deepCopy();
      this.status = status;
    }

    Replay fill(String placeholder, String value) {
      placeholders.put(placeholder, value);
      return this;
    }

    Replay except(String path, String reason) {
      exceptions.put(path, reason);
      return this;
    }

    ArrayNode seedList(String service, String collection) {
      return seed.withObjectProperty(service).withArrayProperty(collection);
    }

    /** The bodies an answer may match: the contract's and, where it differs, the spec example's. */
    List<JsonNode> expectedBodies() {
      List<JsonNode> bodies = new ArrayList<>();
      if (statedBody != null) {
        bodies.add(statedBody);
      }
      if (contract.has("exampleResponse") && status == 200) {
        bodies.add(contract.get("exampleResponse"));
      }
      String key = Integer.toString(status);
      for (JsonNode responses :
          List.of(
              contract.path("responses"), contract.path("specExampleVerbatim").path("responses"))) {
        JsonNode body = responses.path(key).path("body");
        if (body.isObject() || body.isArray()) {
          JsonNode copy = body.deepCopy();
          expectedTransform.accept(copy);
          if (!bodies.contains(copy) && !(copy.isObject() && copy.isEmpty() && status == 204)) {
            bodies.add(copy);
          }
        }
      }
      return bodies;
    }

    JsonNode expectedHeaders() {
      return contract.path("responses").path(Integer.toString(status)).path("headers");
    }

    String name() {
      return file + " " + label + " -> " + status;
    }

    String pathAndQuery() {
      String filled = url;
      for (Map.Entry<String, String> fill : placeholders.entrySet()) {
        filled = filled.replace(fill.getKey(), fill.getValue());
      }
      String pathAndQuery = localPathAndQuery(filled);
      assertTrue(!pathAndQuery.contains("{"), "unfilled placeholder in " + pathAndQuery);
      return pathAndQuery;
    }
  }

  /** The alert resource the Defender for Cloud examples show, at another id. */
  static ObjectNode mdcAlert(String id) {
    ObjectNode alert =
        (ObjectNode)
            read("security/alerts_getSubscriptionLevel.json")
                .path("responses")
                .path("200")
                .path("body")
                .deepCopy();
    alert.put("id", id);
    alert.put("name", id.substring(id.lastIndexOf('/') + 1));
    return alert;
  }

  static String pathOf(String url) {
    String rest = url.substring(url.indexOf("://") + 3);
    String path = rest.substring(rest.indexOf('/'));
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  static final Pattern INCIDENT_PATH = Pattern.compile("^(.*/incidents/[^/]+)(/.*)?$");
  static final Pattern NSG_PATH = Pattern.compile("^(.*/networkSecurityGroups/[^/]+)(/.*)?$");

  static ObjectNode minimalIncident(String id) {
    ObjectNode incident = JSON.createObjectNode().put("id", id);
    incident
        .putObject("properties")
        .put("title", "Seeded incident")
        .put("severity", "Medium")
        .put("status", "New");
    return incident;
  }

  static ObjectNode nsg(String id, JsonNode... rules) {
    ObjectNode nsg = JSON.createObjectNode().put("id", id).put("location", "westus");
    ArrayNode list = nsg.putObject("properties").putArray("securityRules");
    for (JsonNode rule : rules) {
      list.add(rule.deepCopy());
    }
    return nsg;
  }

  /** The Identity Protection examples write types in place of values ("Boolean"); use values. */
  static void typed(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (object.get(name).isTextual() && object.get(name).asText().equals("Boolean")) {
          object.set(name, BooleanNode.FALSE);
        } else {
          typed(object.get(name));
        }
      }
    } else if (node.isArray()) {
      node.forEach(ContractReplayTest::typed);
    }
  }

  static JsonNode response(JsonNode contract, String status) {
    return contract.path("responses").path(status).path("body");
  }

  /**
   * How each served contract is replayed. A file not listed here, in {@link #NOT_SERVED} or in
   * {@link #NOT_AN_EXCHANGE} fails {@link #everyContractFileIsAccountedFor}.
   */
  static List<Replay> plan(String file, JsonNode c) {
    List<Replay> replays = new ArrayList<>();
    String path = c.has("request") ? pathOf(url(c.path("request"))) : "";
    switch (file) {
      case "sentinel/incidents_get.json" -> {
        Replay r = new Replay(file, "the example's incident", c, 200);
        r.seedList("sentinel", "incidents").add(response(c, "200").deepCopy());
        replays.add(r);
      }
      case "sentinel/incidents_list.json" -> {
        Replay r = new Replay(file, "the example's incident", c, 200);
        r.seedList("sentinel", "incidents").add(response(c, "200").path("value").get(0).deepCopy());
        replays.add(r);
      }
      case "sentinel/incidents_createOrUpdate.json" -> {
        replays.add(ownerInDirectory(new Replay(file, "a new incident", c, 201)));
        Replay update = ownerInDirectory(new Replay(file, "the example's incident", c, 200));
        // The incident as it was before the example's update: its etag is the one the request
        // sends (the answer's is the next one).
        ObjectNode before = response(c, "200").deepCopy();
        before.set("etag", c.path("request").path("body").path("etag"));
        update.seedList("sentinel", "incidents").add(before);
        replays.add(update);
        // The file's schema-derived request with labels (not an official example), as a create.
        Replay labels =
            ownerInDirectory(new Replay(file, "the derived request with labels", c, 201));
        labels.body = c.path("derivedVariant_NOT_FROM_SPEC_EXAMPLE").path("body").deepCopy();
        for (String unsent :
            List.of("description", "firstActivityTimeUtc", "lastActivityTimeUtc")) {
          labels.except(
              "properties." + unsent,
              "the derived request does not send it, and the answer holds what was sent");
        }
        replays.add(labels);
      }
      case "sentinel/incidentComments_createOrUpdate.json" -> {
        Matcher incident = INCIDENT_PATH.matcher(path);
        assertTrue(incident.matches(), path);
        Replay create = commentByApplication(new Replay(file, "a new comment", c, 201));
        create.seedList("sentinel", "incidents").add(minimalIncident(incident.group(1)));
        replays.add(create);
        Replay update = commentByApplication(new Replay(file, "the example's comment", c, 200));
        ObjectNode seeded = minimalIncident(incident.group(1));
        seeded.putArray("comments").add(response(c, "200").deepCopy());
        update.seedList("sentinel", "incidents").add(seeded);
        replays.add(update);
      }
      case "sentinel/incidents_listAlerts.json", "sentinel/incidents_listEntities.json" -> {
        Matcher incident = INCIDENT_PATH.matcher(path);
        assertTrue(incident.matches(), path);
        Replay r = new Replay(file, "the example's incident", c, 200);
        ObjectNode seeded = minimalIncident(incident.group(1));
        JsonNode answer = response(c, "200");
        seeded.set(
            "alerts",
            answer.has("value") ? answer.path("value").deepCopy() : JSON.createArrayNode());
        seeded.set(
            "entities",
            answer.has("entities") ? answer.path("entities").deepCopy() : JSON.createArrayNode());
        r.seedList("sentinel", "incidents").add(seeded);
        replays.add(r);
      }
      case "security/alerts_getSubscriptionLevel.json",
          "security/alerts_getResourceGroupLevel.json" -> {
        Replay r = new Replay(file, "the example's alert", c, 200);
        r.seedList("defenderForCloud", "alerts").add(response(c, "200").deepCopy());
        replays.add(r);
      }
      case "security/alertsSuppressionRules_createOrUpdate.json" -> {
        Replay r = new Replay(file, "a new rule", c, 200);
        r.except("properties.lastModifiedUtc", "the service stamps the time of the PUT");
        replays.add(r);
      }
      case "security/alertsSuppressionRules_get.json" -> {
        Replay r = new Replay(file, "the example's rule", c, 200);
        r.seedList("defenderForCloud", "suppressionRules").add(response(c, "200").deepCopy());
        replays.add(r);
      }
      case "security/alertsSuppressionRules_list.json" -> {
        Replay r = new Replay(file, "the example's two rules", c, 200);
        response(c, "200")
            .path("value")
            .forEach(
                rule -> r.seedList("defenderForCloud", "suppressionRules").add(rule.deepCopy()));
        replays.add(r);
      }
      case "security/alertsSuppressionRules_delete.json" -> {
        Replay r = new Replay(file, "a rule at the example's name", c, 204);
        r.seedList("defenderForCloud", "suppressionRules")
            .add(
                JSON.createObjectNode()
                    .put("id", path)
                    .put("name", path.substring(path.lastIndexOf('/') + 1))
                    .put("type", "Microsoft.Security/alertsSuppressionRules"));
        replays.add(r);
      }
      case "security/alerts_list.json" -> {
        Replay r = new Replay(file, "the example's alert", c, 200);
        r.seedList("defenderForCloud", "alerts")
            .add(response(c, "200").path("value").get(0).deepCopy());
        replays.add(r);
      }
      case "security/alerts_dismiss_subscriptionLevel.json",
          "security/alerts_dismiss_resourceGroupLevel.json",
          "security/alerts_resolve_resourceGroupLevel.json" -> {
        Replay r = new Replay(file, "an active alert at the example's id", c, 204);
        r.seedList("defenderForCloud", "alerts")
            .add(mdcAlert(path.substring(0, path.lastIndexOf('/'))));
        replays.add(r);
      }
      case "network/networkSecurityGroups_get.json" -> {
        Replay r = new Replay(file, "the example's NSG", c, 200);
        r.seedList("network", "networkSecurityGroups").add(response(c, "200").deepCopy());
        replays.add(r);
      }
      case "network/securityRules_get.json" -> {
        Matcher group = NSG_PATH.matcher(path);
        assertTrue(group.matches(), path);
        Replay r = new Replay(file, "the example's rule", c, 200);
        r.seedList("network", "networkSecurityGroups").add(nsg(group.group(1), response(c, "200")));
        replays.add(r);
      }
      case "network/securityRules_createOrUpdate.json" -> {
        Matcher group = NSG_PATH.matcher(path);
        assertTrue(group.matches(), path);
        Replay create = new Replay(file, "a new rule", c, 201);
        create.seedList("network", "networkSecurityGroups").add(nsg(group.group(1)));
        replays.add(create);
        Replay update = new Replay(file, "the example's rule", c, 200);
        update
            .seedList("network", "networkSecurityGroups")
            .add(nsg(group.group(1), response(c, "200")));
        replays.add(update);
      }
      case "network/securityRules_delete.json" -> {
        Matcher group = NSG_PATH.matcher(path);
        assertTrue(group.matches(), path);
        ObjectNode rule =
            read("network/securityRules_get.json")
                .path("responses")
                .path("200")
                .path("body")
                .deepCopy();
        Replay accepted = new Replay(file, "an existing rule", c, 202);
        // The spec's delete ends via location (final-state-via), its example shows
        // Azure-AsyncOperation (the contract notes both): either header is accepted.
        accepted.headerExceptions.put(
            "Azure-AsyncOperation", "the spec's delete may point at its end with Location instead");
        accepted.oneOfHeaders.addAll(List.of("Azure-AsyncOperation", "Location"));
        accepted.seedList("network", "networkSecurityGroups").add(nsg(group.group(1), rule));
        replays.add(accepted);
        Replay absent = new Replay(file, "a rule that does not exist", c, 204);
        absent.seedList("network", "networkSecurityGroups").add(nsg(group.group(1)));
        replays.add(absent);
        // 200 is not replayed: the emulator's deletes are asynchronous and answer 202 with
        // Azure-AsyncOperation, which the contract lists too.
      }
      case "network/ipGroups_get.json" -> {
        Replay r = new Replay(file, "the example's IP Group", c, 200);
        r.seedList("network", "ipGroups").add(ipGroupAt(response(c, "200"), path, null));
        replays.add(r);
      }
      case "network/ipGroups_createOrUpdate.json" -> {
        Replay create = new Replay(file, "a new IP Group", c, 201);
        create.except(
            "properties.firewalls[0]",
            "a new IP Group is in no firewall yet; the example's answer comes from one that is");
        replays.add(create);
        Replay update = new Replay(file, "the example's IP Group", c, 200);
        // The region must be the one the request names, or the PUT would move the group.
        update
            .seedList("network", "ipGroups")
            .add(
                ipGroupAt(
                    response(c, "200"),
                    path,
                    c.path("request").path("body").path("location").asText()));
        replays.add(update);
      }
      case "resourcegraph/resources_query.json" -> {
        Replay r = new Replay(file, "a page of securityresources", c, 200);
        // The emulator holds only the securityresources table (Defender for Cloud alerts): the
        // example's Resources query becomes the same projection over it, with the example's
        // subscription, $top and $skip, and more rows than $top so that a $skipToken comes back.
        ((ObjectNode) r.body)
            .put("query", "securityresources | project id, name, type, location | order by id asc");
        String subscription = c.path("request").path("body").path("subscriptions").get(0).asText();
        for (int i = 1; i <= 4; i++) {
          r.seedList("defenderForCloud", "alerts")
              .add(
                  mdcAlert(
                      "/subscriptions/"
                          + subscription
                          + "/resourceGroups/RG1/providers/Microsoft.Security/locations/eastus/alerts/"
                          + "2518298467986649999_test"
                          + i));
        }
        replays.add(r);
      }
      case "defender-endpoint/indicators_submit.json" -> {
        replays.add(new Replay(file, "the example's indicator", c, 200));
        // The 400 example has no request of its own: the example's request without a required
        // field (title) is one the documented error answers.
        Replay invalid = new Replay(file, "the example without its title", c, 400);
        ((ObjectNode) invalid.body).remove("title");
        replays.add(invalid);
      }
      case "graph/riskyUsers_get.json" -> {
        String id = path.substring(path.lastIndexOf('/') + 1);
        Replay r = new Replay(file, "the example's risky user", c, 200);
        ObjectNode user = response(c, "200").path("value").get(0).deepCopy();
        typed(user);
        user.put("id", id);
        r.seedList("entra", "riskyUsers").add(user);
        // The doc's example wraps the riskyUser in a value array by mistake (the contract says
        // so): a GET by id answers the object itself.
        r.expectedTransform =
            body -> {
              JsonNode one = body.path("value").get(0);
              ((ObjectNode) body).removeAll();
              ((ObjectNode) body).setAll((ObjectNode) one);
              typed(body);
            };
        replays.add(r);
      }
      case "graph/riskyUsers_list.json" -> {
        Replay r = new Replay(file, "one risky user", c, 200);
        ObjectNode user = response(c, "200").path("value").get(0).deepCopy();
        typed(user);
        r.seedList("entra", "riskyUsers").add(user);
        r.expectedTransform = ContractReplayTest::typed;
        replays.add(r);
      }
      case "graph/riskyUsers_confirmCompromised.json" ->
          replays.add(new Replay(file, "the example's users", c, 204));
      case "graph/namedLocations_update_ip.json" -> {
        Replay r = new Replay(file, "the example's named location", c, 204);
        ObjectNode location = c.path("request").path("body").deepCopy();
        location.put("id", path.substring(path.lastIndexOf('/') + 1));
        location.put("displayName", "Untrusted IP named location");
        r.seedList("entra", "namedLocations").add(location);
        replays.add(r);
      }
      case "graph/users_checkMemberGroups.json" -> {
        // The example calls the directoryObjects form of the action; the contract's template is
        // the users form, which the emulator serves: the same action on the same object id.
        String id = path.split("/")[3];
        Replay r = new Replay(file, "the example's user and groups", c, 200);
        r.url = c.path("request").path("urlTemplate").asText();
        r.fill("{id | userPrincipalName}", id);
        r.seedList("entra", "users").add(JSON.createObjectNode().put("id", id));
        for (JsonNode group : response(c, "200").path("value")) {
          r.seedList("entra", "groups")
              .addObject()
              .put("id", group.asText())
              .putArray("members")
              .add(id);
        }
        replays.add(r);
      }
      case "graph/security_alerts_v2_get.json" -> {
        Replay r = new Replay(file, "the example's alert", c, 200);
        r.seedList("defenderXdr", "alerts").add(response(c, "200").deepCopy());
        replays.add(r);
      }
      case "graph/security_alerts_v2_update.json" -> {
        Replay r = new Replay(file, "the example's alert, new", c, 200);
        ObjectNode before = response(c, "200").deepCopy();
        before
            .put("status", "new")
            .put("classification", "unknown")
            .put("determination", "unknown");
        before.putNull("assignedTo");
        r.seedList("defenderXdr", "alerts").add(before);
        replays.add(r);
      }
      case "graph/security_alerts_v2_list.json" -> {
        Replay r = new Replay(file, "the example's alert", c, 200);
        r.seedList("defenderXdr", "alerts").add(response(c, "200").path("value").get(0).deepCopy());
        replays.add(r);
      }
      case "graph/security_incidents_get.json" -> {
        Replay r = new Replay(file, "the example's incident", c, 200);
        r.seedList("defenderXdr", "incidents").add(response(c, "200").deepCopy());
        replays.add(r);
      }
      case "graph/users_get.json" -> {
        Replay r = new Replay(file, "the example's user", c, 200);
        r.seedList("entra", "users").add(response(c, "200").deepCopy());
        replays.add(r);
      }
      case "graph/users_revokeSignInSessions.json", "graph/users_update_passwordProfile.json" -> {
        ObjectNode user =
            read("graph/users_get.json").path("responses").path("200").path("body").deepCopy();
        int status = Integer.parseInt(c.path("responses").fieldNames().next());
        Replay r = new Replay(file, "the users_get example's user", c, status);
        r.fill("{id | userPrincipalName}", user.path("userPrincipalName").asText());
        r.fill("{id}", user.path("id").asText());
        r.seedList("entra", "users").add(user);
        replays.add(r);
      }
      case "graph/users_memberOf_directoryRoles.json" -> {
        // Option A is served (B and C are in NOT_SERVED). Its contract gives no example answer,
        // only the shape in words: "directoryRole objects {id, displayName, description,
        // roleTemplateId}", in a Graph collection.
        JsonNode option = c.path("options").path("A_transitiveMemberOf_cast");
        Replay r = new Replay(file, "option A, a Global Administrator", option, 200);
        String user = "5bde3e51-d13b-4db1-9948-fe4b109d11a7";
        r.fill("{id | userPrincipalName}", user);
        r.seedList("entra", "users").add(JSON.createObjectNode().put("id", user));
        JsonNode global = c.path("privilegedRoles").path("roles").get(0);
        for (JsonNode role : c.path("privilegedRoles").path("roles")) {
          if (role.path("displayName").asText().equals("Global Administrator")) {
            global = role;
          }
        }
        r.seedList("entra", "directoryRoles")
            .addObject()
            .put("id", "f8ec6b5b-5c7a-4c4a-9e5a-2f2c8f6b1a01")
            .put("roleTemplateId", global.path("templateId").asText())
            .put("displayName", global.path("displayName").asText())
            .put("description", "Can manage all aspects of Microsoft Entra ID.")
            .putArray("members")
            .add(user);
        ObjectNode role =
            JSON.createObjectNode()
                .put("id", "")
                .put("displayName", "")
                .put("description", "")
                .put("roleTemplateId", "");
        ObjectNode stated = JSON.createObjectNode();
        stated.putArray("value").add(role);
        r.statedBody = stated;
        replays.add(r);
      }
      case "servicenow/table_incident_create.json" -> {
        Replay r = new Replay(file, "the example's fields", c, 201);
        r.serviceNow = true;
        replays.add(r);
      }
      case "servicenow/table_incident_patch.json" -> {
        Replay r = new Replay(file, "a seeded record", c, 200);
        r.serviceNow = true;
        String sysId = "9d385017c611228701d22104cc95c371";
        r.fill("{sys_id}", sysId);
        // Unverified contract: it notes that closing also needs close_code and close_notes under
        // the
        // instance's data policy, which the emulator applies; the seeded record already has them.
        r.seedList("serviceNow", "incidents")
            .add(
                serviceNowRecord(sysId)
                    .put("close_code", "Solved (Permanently)")
                    .put("close_notes", "Seeded resolution"));
        replays.add(r);
      }
      case "servicenow/table_incident_query.json" -> {
        Replay r = new Replay(file, "an active new record", c, 200);
        r.serviceNow = true;
        r.seedList("serviceNow", "incidents")
            .add(serviceNowRecord("9d385017c611228701d22104cc95c371"));
        r.except(
            "result[0].sys_id",
            "unverified contract: the example asks for sysparm_fields without sys_id yet shows it;"
                + " either answer is accepted");
        r.headerExceptions.put(
            "Link", "unverified contract (\"standard Table API paging header - not verified\")");
        replays.add(r);
      }
      default -> {
        return null;
      }
    }
    return replays;
  }

  /**
   * The example's comment is by a user; ours are by the application, which has no mailbox or
   * sign-in name: the emulator answers them as null (unverified: no official example of an
   * application's comment).
   */
  static Replay commentByApplication(Replay r) {
    r.except("properties.author.email", "written by an application: null");
    r.except("properties.author.userPrincipalName", "written by an application: null");
    return r;
  }

  /** Sentinel fills the owner's email, UPN and name from the directory: the user is there. */
  static Replay ownerInDirectory(Replay r) {
    JsonNode owner = response(r.contract, "200").path("properties").path("owner");
    r.seedList("entra", "users")
        .addObject()
        .put("id", owner.path("objectId").asText())
        .put("displayName", owner.path("assignedTo").asText())
        .put("mail", owner.path("email").asText())
        .put("userPrincipalName", owner.path("userPrincipalName").asText());
    return r;
  }

  /**
   * The example's IP Group at the id its request path names: the example's own id has a typo
   * ({@code .../providers/Microsoft.Network/resourceGroup/...}, noted in the contract).
   */
  static ObjectNode ipGroupAt(JsonNode example, String path, String location) {
    ObjectNode group = example.deepCopy();
    group.put("id", path);
    if (location != null) {
      group.put("location", location);
    }
    return group;
  }

  static ObjectNode serviceNowRecord(String sysId) {
    return JSON.createObjectNode()
        .put("sys_id", sysId)
        .put("number", "INC0000060")
        .put("short_description", "Seeded incident")
        .put("state", "1")
        .put("active", "true")
        .put("assigned_to", "");
  }

  // ---- the tests

  @Test
  void everyContractFileIsAccountedFor() throws IOException {
    List<String> files = contractFiles();
    assertTrue(files.size() > 40, "only " + files.size() + " contract files in " + CONTRACTS);
    List<String> unplanned = new ArrayList<>();
    for (String file : files) {
      boolean planned = plan(file, read(file)) != null;
      int places =
          (planned ? 1 : 0)
              + (NOT_SERVED.containsKey(file) ? 1 : 0)
              + (NOT_AN_EXCHANGE.containsKey(file) ? 1 : 0);
      if (places != 1) {
        unplanned.add(file + (places == 0 ? " (nowhere)" : " (in more than one list)"));
      }
    }
    Set<String> listed = new TreeSet<>(NOT_AN_EXCHANGE.keySet());
    listed.addAll(NOT_SERVED.keySet());
    Set<String> stale = new TreeSet<>();
    for (String entry : listed) {
      String file = entry.replaceFirst("#.*$", "");
      if (!files.contains(file)
          || (entry.contains("#")
              && !requests(read(file)).containsKey(entry.substring(file.length() + 1)))) {
        stale.add(entry);
      }
    }
    assertEquals(
        List.of(),
        unplanned,
        "each contract file is replayed (plan), listed as not served, or as not an exchange");
    assertEquals(Set.of(), stale, "listed contract files that no longer exist");
  }

  @Test
  void theShapeCheckNamesMissingFieldsWrongTypesAndEmptyLists() throws IOException {
    JsonNode contract =
        JSON.readTree(
            "{\"a\":\"x\",\"b\":{\"c\":1},\"d\":[{\"e\":true}],\"f\":null,\"...\":\"more\"}");
    List<String> mismatches = new ArrayList<>();
    compare(contract, JSON.readTree("{\"a\":1,\"b\":{},\"d\":[]}"), "", Map.of(), mismatches);
    assertEquals(
        List.of(
            "a: NUMBER where the contract has STRING",
            "b.c: missing",
            "d: empty where the contract has elements",
            "f: missing"),
        mismatches);

    mismatches.clear();
    JsonNode sameShape =
        JSON.readTree("{\"a\":\"y\",\"b\":{\"c\":2.5},\"d\":[{\"e\":false},{}],\"f\":3}");
    compare(contract, sameShape, "", Map.of(), mismatches);
    assertEquals(List.of(), mismatches);

    JsonNode listedException = JSON.readTree("{\"a\":\"y\",\"b\":{\"c\":2},\"d\":[{}],\"f\":null}");
    compare(contract, listedException, "", Map.of("d[0].e", "a reason"), mismatches);
    assertEquals(List.of(), mismatches);
  }

  @TestFactory
  Stream<DynamicTest> everyServedExampleReplaysWithItsStatusAndShape() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : contractFiles()) {
      List<Replay> replays = plan(file, read(file));
      if (replays == null) {
        continue;
      }
      for (Replay replay : replays) {
        tests.add(DynamicTest.dynamicTest(replay.name(), () -> replay(replay)));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> aRequestForAMissingResourceIsRefusedInTheServicesErrorShape()
      throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : contractFiles()) {
      if (!REFUSED_WITHOUT_THEIR_RESOURCE.contains(file)) {
        continue;
      }
      JsonNode contract = read(file);
      Replay replay =
          plan(file, contract).stream()
              .filter(r -> !r.seed.isEmpty())
              .findFirst()
              .orElseThrow(() -> new AssertionError(file + " has no replay that needs a resource"));
      tests.add(
          DynamicTest.dynamicTest(
              file + " without its resource",
              () -> {
                HttpResponse<String> answer = send(replay, JSON.createObjectNode());
                assertTrue(
                    answer.statusCode() >= 400 && answer.statusCode() < 500,
                    replay.name() + " without its resource answered " + answer.statusCode());
                assertErrorShape(contract.path("errorResponse").path("shape"), answer);
              }));
    }
    Replay invalidQuery =
        plan("resourcegraph/resources_query.json", read("resourcegraph/resources_query.json"))
            .get(0);
    ((ObjectNode) invalidQuery.body).put("query", "securityresources | where");
    tests.add(
        DynamicTest.dynamicTest(
            "resourcegraph/resources_query.json with an invalid query",
            () -> {
              HttpResponse<String> answer = send(invalidQuery, invalidQuery.seed);
              assertEquals(400, answer.statusCode(), answer.body());
              assertErrorShape(
                  read("resourcegraph/resources_query.json").path("errorResponse").path("shape"),
                  answer);
            }));
    return tests.stream();
  }

  static void assertErrorShape(JsonNode shape, HttpResponse<String> answer) throws IOException {
    assertTrue(shape.isObject() && !shape.isEmpty(), "the contract gives no error shape");
    List<String> mismatches = new ArrayList<>();
    compare(shape, JSON.readTree(answer.body()), "", Map.of(), mismatches);
    assertEquals(List.of(), mismatches, "the error is " + answer.body());
  }

  @TestFactory
  Stream<DynamicTest> everyNotServedRouteIsStillUnknownToTheEmulator() {
    List<DynamicTest> tests = new ArrayList<>();
    NOT_SERVED.keySet().stream()
        .sorted()
        .forEach(
            entry -> {
              String file = entry.replaceFirst("#.*$", "");
              String option =
                  entry.length() > file.length() ? entry.substring(file.length() + 1) : null;
              requests(read(file))
                  .forEach(
                      (label, request) -> {
                        if (option == null || option.equals(label)) {
                          String name =
                              entry
                                  + " "
                                  + request.path("method").asText()
                                  + " "
                                  + pathOf(url(request));
                          tests.add(
                              DynamicTest.dynamicTest(name, () -> assertUnserved(entry, request)));
                        }
                      });
            });
    return tests.stream();
  }

  /**
   * The requests of a contract by option name: its own (under ""), or those of each of its options
   * (users_memberOf_directoryRoles lists several ways to one answer).
   */
  static Map<String, JsonNode> requests(JsonNode contract) {
    Map<String, JsonNode> requests = new LinkedHashMap<>();
    if (contract.has("request")) {
      requests.put("", contract.get("request"));
    }
    contract
        .path("options")
        .fields()
        .forEachRemaining(
            option -> {
              if (option.getValue().has("request")) {
                requests.put(option.getKey(), option.getValue().get("request"));
              }
            });
    assertTrue(!requests.isEmpty(), "a contract without a request");
    return requests;
  }

  /**
   * The request headers a contract gives with a literal value (e.g. ConsistencyLevel: eventual);
   * not the credentials, the content type the helper sets, or values that are notes or templates.
   */
  static Map<String, String> contractHeaders(JsonNode request) {
    Map<String, String> headers = new LinkedHashMap<>();
    request
        .path("headers")
        .fields()
        .forEachRemaining(
            header -> {
              String value = header.getValue().asText();
              if (!Set.of("authorization", "content-type")
                      .contains(header.getKey().toLowerCase(java.util.Locale.ROOT))
                  && !value.contains("{")
                  && !value.contains("(")) {
                headers.put(header.getKey(), value);
              }
            });
    return headers;
  }

  static Map<String, String> withBearer(Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Authorization", "Bearer contract-test");
    return all;
  }

  static String url(JsonNode request) {
    return request.path("exampleUrl").asText(request.path("urlTemplate").asText());
  }

  void assertUnserved(String entry, JsonNode request) throws Exception {
    emulator.reset(Scenario.empty());
    String url =
        url(request)
            .replaceAll("\\{[^}]*(id|Id)[^}]*\\}", "00000000-0000-0000-0000-000000000001")
            .replaceAll("\\{[^}]+\\}", "x");
    JsonNode body = request.path("body");
    HttpResponse<String> answer =
        http.send(
            request.path("method").asText(),
            localPathAndQuery(url),
            body.isMissingNode() || body.isNull() ? null : body.toString(),
            withBearer(contractHeaders(request)));
    JsonNode error = answer.body().isEmpty() ? JSON.nullNode() : JSON.readTree(answer.body());
    String code = error.path("error").path("code").asText();
    String message = error.path("error").path("message").asText();
    boolean unknownRoute =
        answer.statusCode() == 404
            && (code.equals("Request_UnsupportedQuery") || message.startsWith("No route for "));
    assertTrue(
        unknownRoute,
        entry
            + " is listed as not served ("
            + NOT_SERVED.get(entry)
            + ") but the emulator answered "
            + answer.statusCode()
            + " "
            + answer.body()
            + ": replay it in plan() and take it off NOT_SERVED");
  }

  /** Sends the replay's request to the emulator reset to {@code seed}. */
  static HttpResponse<String> send(Replay replay, ObjectNode seed) throws Exception {
    emulator.reset(Scenario.fromJson(seed.toString()));
    Map<String, String> headers = new LinkedHashMap<>();
    if (replay.serviceNow) {
      emulator.state().setServiceNowAccount("contract-user", "contract-test-only", null, null);
      headers.put(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      "contract-user:contract-test-only".getBytes(StandardCharsets.UTF_8)));
    } else {
      headers.put("Authorization", "Bearer contract-test");
    }
    headers.putAll(contractHeaders(replay.contract.path("request")));
    return http.send(
        replay.method,
        replay.pathAndQuery(),
        replay.body == null ? null : replay.body.toString(),
        headers);
  }

  void replay(Replay replay) throws Exception {
    HttpResponse<String> answer = send(replay, replay.seed);
    String pathAndQuery = replay.pathAndQuery();
    assertEquals(
        replay.status,
        answer.statusCode(),
        replay.name() + ": " + replay.method + " " + pathAndQuery + " answered " + answer.body());
    List<RecordedRequest> recorded = emulator.requests();
    assertEquals(1, recorded.size(), "the emulator recorded " + recorded);
    assertEquals(replay.method, recorded.get(0).method());
    assertEquals(pathAndQuery.replaceFirst("\\?.*$", ""), recorded.get(0).path());
    assertEquals(replay.body == null ? "" : replay.body.toString(), recorded.get(0).body());

    List<String> missingHeaders = new ArrayList<>();
    Iterator<String> names = replay.expectedHeaders().fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!replay.headerExceptions.containsKey(name)
          && answer.headers().firstValue(name).isEmpty()) {
        missingHeaders.add(name);
      }
    }
    if (!replay.oneOfHeaders.isEmpty()
        && replay.oneOfHeaders.stream().allMatch(h -> answer.headers().firstValue(h).isEmpty())) {
      missingHeaders.add("one of " + replay.oneOfHeaders);
    }
    assertEquals(
        List.of(), missingHeaders, "headers the contract's answer has: " + answer.headers().map());

    List<JsonNode> expected = replay.expectedBodies();
    if (expected.isEmpty()) {
      assertTrue(
          answer.body().isEmpty(),
          "the contract's answer has no body, the emulator's is " + answer.body());
      return;
    }
    JsonNode actual = JSON.readTree(answer.body());
    List<String> firstMismatches = null;
    for (JsonNode body : expected) {
      List<String> mismatches = new ArrayList<>();
      compare(body, actual, "", replay.exceptions, mismatches);
      if (mismatches.isEmpty()) {
        return;
      }
      if (firstMismatches == null) {
        firstMismatches = mismatches;
      }
    }
    fail(
        replay.name()
            + ": the emulator's answer differs from the contract's:\n  "
            + String.join("\n  ", firstMismatches)
            + "\nanswer: "
            + answer.body());
  }

  /**
   * Every field of {@code expected} is in {@code actual} with the same JSON type; an array by its
   * first element; a field the contract shows as null must be there, with any value. The key "..."
   * in a contract stands for "the other fields" and is not a field.
   */
  static void compare(
      JsonNode expected,
      JsonNode actual,
      String path,
      Map<String, String> exceptions,
      List<String> mismatches) {
    if (exceptions.containsKey(path)) {
      return;
    }
    String where = path.isEmpty() ? "(the body)" : path;
    if (actual == null || actual.isMissingNode()) {
      mismatches.add(where + ": missing");
      return;
    }
    if (expected.isNull()) {
      return;
    }
    if (expected.getNodeType() != actual.getNodeType()) {
      mismatches.add(
          where
              + ": "
              + actual.getNodeType()
              + " where the contract has "
              + expected.getNodeType());
      return;
    }
    if (expected.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().equals("...")) {
          continue;
        }
        String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        compare(field.getValue(), actual.get(field.getKey()), child, exceptions, mismatches);
      }
    } else if (expected.isArray() && !expected.isEmpty()) {
      String first = path + "[0]";
      if (actual.isEmpty()) {
        if (!exceptions.containsKey(first)) {
          mismatches.add(where + ": empty where the contract has elements");
        }
        return;
      }
      compare(expected.get(0), actual.get(0), first, exceptions, mismatches);
    }
  }

  /** The path and query of a contract URL, its query values encoded. */
  static String localPathAndQuery(String url) {
    String rest = url.substring(url.indexOf("://") + 3);
    String pathAndQuery = rest.substring(rest.indexOf('/'));
    int question = pathAndQuery.indexOf('?');
    if (question < 0) {
      return pathAndQuery;
    }
    StringBuilder encoded = new StringBuilder(pathAndQuery.substring(0, question + 1));
    String[] pairs = pathAndQuery.substring(question + 1).split("&");
    for (int i = 0; i < pairs.length; i++) {
      int equals = pairs[i].indexOf('=');
      String name = equals < 0 ? pairs[i] : pairs[i].substring(0, equals);
      String value = equals < 0 ? "" : pairs[i].substring(equals + 1);
      encoded
          .append(i > 0 ? "&" : "")
          .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return encoded.toString();
  }
}
