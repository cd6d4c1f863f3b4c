package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Graph v1.0 security API: Defender XDR alerts ({@code /security/alerts_v2}: get, list in
 * pages, update, comments) and incidents ({@code /security/incidents/{id}}, with {@code
 * $expand=alerts} or {@code /alerts}), as ../shared/contracts/graph/security_alerts_v2_*.json and
 * security_incidents_get.json record them from microsoftgraph/microsoft-graph-docs-contrib
 * (api-reference/v1.0/api/security-alert-get.md, security-alert-update.md,
 * security-list-alerts_v2.md, security-alert-post-comments.md, security-incident-get.md). Enum
 * values are the v1.0 CSDL's members (microsoftgraph/msgraph-metadata schemas/v1.0-Prod.csdl): an
 * update with any other value, or with a property the update does not take, is refused.
 */
public final class GraphSecurityApi {
  private static final Pattern ALERT =
      Pattern.compile("^/security/alerts_v2/([^/]+)(/comments)?$", Pattern.CASE_INSENSITIVE);
  private static final Pattern ALERTS =
      Pattern.compile("^/security/alerts_v2/?$", Pattern.CASE_INSENSITIVE);
  private static final Pattern INCIDENT =
      Pattern.compile("^/security/incidents/([^/]+)(/alerts)?$", Pattern.CASE_INSENSITIVE);

  /** The {@code alertStatus} members an update may set (the update doc leaves out unknown). */
  static final Set<String> SETTABLE_STATUSES =
      Set.of("new", "inProgress", "resolved", "unknownFutureValue");

  static final Set<String> CLASSIFICATIONS =
      Set.of(
          "unknown",
          "falsePositive",
          "truePositive",
          "informationalExpectedActivity",
          "unknownFutureValue");

  static final Set<String> DETERMINATIONS =
      Set.of(
          "unknown",
          "apt",
          "malware",
          "securityPersonnel",
          "securityTesting",
          "unwantedSoftware",
          "other",
          "multiStagedAttack",
          "compromisedAccount",
          "phishing",
          "maliciousUserActivity",
          "notMalicious",
          "notEnoughDataToValidate",
          "confirmedActivity",
          "lineOfBusinessApplication",
          "unknownFutureValue");

  /**
   * {@code serviceSource} members after {@code unknownFutureValue}: Graph's evolvable-enum rule
   * shows them only to a request with {@code Prefer: include-unknown-enum-members}.
   */
  private static final Set<String> EVOLVED_SERVICE_SOURCES =
      Set.of(
          "microsoftDefenderForCloud",
          "microsoftSentinel",
          "microsoftInsiderRiskManagement",
          "microsoftThreatIntelligence",
          "microsoftSecurityForAI");

  private static final Set<String> UPDATABLE =
      Set.of("status", "classification", "determination", "assignedTo");
  private static final Set<String> FILTERABLE =
      Set.of(
          "assignedTo",
          "classification",
          "determination",
          "createdDateTime",
          "lastUpdateDateTime",
          "severity",
          "serviceSource",
          "status");
  private static final Pattern EQUALS =
      Pattern.compile("^\\s*(\\w+)\\s+eq\\s+'((?:[^']|'')*)'\\s*$");
  static final int MAX_TOP = 1000;
  static final int MAX_COMMENT_LENGTH = 30_000;

  private final Store store;

  public GraphSecurityApi(Store store) {
    this.store = store;
  }

  /** Whether the path (under {@code /v1.0}) is one of the security API's. */
  public static boolean serves(String path) {
    return path.regionMatches(true, 0, "/security/", 0, "/security/".length());
  }

  public Answer handle(Call call, String path) {
    synchronized (store) {
      if (ALERTS.matcher(path).matches()) {
        return call.method().equals("GET") ? list(call) : notAllowed(call);
      }
      Matcher alert = ALERT.matcher(path);
      if (alert.matches()) {
        return alert(call, decode(alert.group(1)), alert.group(2) != null);
      }
      Matcher incident = INCIDENT.matcher(path);
      if (incident.matches()) {
        return call.method().equals("GET")
            ? incident(call, decode(incident.group(1)), incident.group(2) != null)
            : notAllowed(call);
      }
      return GraphApi.error(
          store, 400, "BadRequest", "Resource not found for the segment '" + path + "'.");
    }
  }

  private Answer alert(Call call, String id, boolean comments) {
    ObjectNode alert = store.defenderXdr.alerts.get(id);
    if (alert == null) {
      return notFound("alert", id);
    }
    if (comments) {
      return call.method().equals("POST") ? comment(call, alert) : notAllowed(call);
    }
    return switch (call.method()) {
      case "GET" -> Answer.json(200, view(call, alert));
      case "PATCH" -> update(call, alert);
      default -> notAllowed(call);
    };
  }

  /** PATCH: only the four updatable properties, each with a CSDL member; 200 with the alert. */
  private Answer update(Call call, ObjectNode alert) {
    JsonNode body = call.json();
    if (!body.isObject() || body.isEmpty()) {
      return invalid("The update needs at least one of " + String.join(", ", UPDATABLE) + ".");
    }
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      if (!UPDATABLE.contains(field.getKey())) {
        return invalid(
            "The property '"
                + field.getKey()
                + "' does not exist on type "
                + "'microsoft.graph.security.alert' or cannot be updated.");
      }
    }
    for (Map.Entry<String, Set<String>> enumField :
        Map.of(
                "status", SETTABLE_STATUSES,
                "classification", CLASSIFICATIONS,
                "determination", DETERMINATIONS)
            .entrySet()) {
      JsonNode value = body.get(enumField.getKey());
      if (value != null && (!value.isTextual() || !enumField.getValue().contains(value.asText()))) {
        return invalid(
            "Cannot convert the literal '"
                + value.asText()
                + "' to the expected type "
                + "'microsoft.graph.security.alert"
                + capitalized(enumField.getKey())
                + "'.");
      }
    }
    JsonNode assignedTo = body.get("assignedTo");
    if (assignedTo != null && !assignedTo.isTextual() && !assignedTo.isNull()) {
      return invalid("assignedTo is a string.");
    }
    String now = store.clock().instant().toString();
    body.properties().forEach(field -> alert.set(field.getKey(), field.getValue().deepCopy()));
    if (body.has("status")) {
      if ("resolved".equals(body.path("status").asText())) {
        alert.put("resolvedDateTime", now);
      } else {
        alert.putNull("resolvedDateTime");
      }
    }
    alert.put("lastUpdateDateTime", now);
    return Answer.json(200, view(call, alert));
  }

  /** POST comments: 200 with every comment of the alert. */
  private Answer comment(Call call, ObjectNode alert) {
    JsonNode body = call.json();
    JsonNode text = body.get("comment");
    if (text == null || !text.isTextual() || text.asText().isBlank()) {
      return invalid("comment is required.");
    }
    if (text.asText().length() > MAX_COMMENT_LENGTH) {
      return invalid("comment is longer than " + MAX_COMMENT_LENGTH + " characters.");
    }
    ((ArrayNode) alert.withArray("comments"))
        .addObject()
        .put("@odata.type", "#microsoft.graph.security.alertComment")
        .put("comment", text.asText())
        .put("createdByDisplayName", "Automation")
        .put("createdDateTime", store.clock().instant().toString());
    alert.put("lastUpdateDateTime", store.clock().instant().toString());
    ObjectNode answer = Store.MAPPER.createObjectNode();
    answer.put(
        "@odata.context",
        "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.security.alertComment)");
    answer.set("value", alert.path("comments").deepCopy());
    return Answer.json(200, answer);
  }

  /** GET list: newest first, filtered, in pages of $top (or the page size) with a next link. */
  private Answer list(Call call) {
    List<String[]> conditions = new ArrayList<>();
    String filter = call.query().get("$filter");
    if (filter != null && !filter.isBlank()) {
      for (String part : filter.split("(?i)\\s+and\\s+")) {
        Matcher m = EQUALS.matcher(part);
        if (!m.matches() || !FILTERABLE.contains(m.group(1))) {
          return invalid("Invalid filter clause: '" + part.trim() + "'.");
        }
        conditions.add(new String[] {m.group(1), m.group(2).replace("''", "'")});
      }
    }
    int top;
    int skip;
    try {
      top = intParameter(call, "$top", store.defenderXdr.pageSize);
      skip = intParameter(call, "$skip", 0);
    } catch (NumberFormatException e) {
      return invalid("$top and $skip are non-negative integers.");
    }
    if (top < 1 || top > MAX_TOP || skip < 0) {
      return invalid("$top is 1 to " + MAX_TOP + " and $skip at least 0.");
    }
    List<ObjectNode> matching =
        store.defenderXdr.alerts.values().stream()
            .filter(
                alert ->
                    conditions.stream()
                        .allMatch(c -> alert.path(c[0]).asText().equalsIgnoreCase(c[1])))
            .sorted(
                Comparator.comparing((ObjectNode a) -> a.path("createdDateTime").asText())
                    .reversed())
            .toList();
    ObjectNode answer = Store.MAPPER.createObjectNode();
    answer.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2");
    if ("true".equalsIgnoreCase(call.query().get("$count"))) {
      answer.put("@odata.count", matching.size());
    }
    ArrayNode value = answer.putArray("value");
    matching.stream().skip(skip).limit(top).forEach(alert -> value.add(view(call, alert)));
    if (skip + top < matching.size()) {
      Map<String, String> next = new LinkedHashMap<>();
      if (filter != null) {
        next.put("$filter", filter);
      }
      next.put("$top", Integer.toString(top));
      next.put("$skip", Integer.toString(skip + top));
      StringBuilder link = new StringBuilder(call.baseUrl() + "/v1.0/security/alerts_v2?");
      next.forEach(
          (name, text) ->
              link.append(name)
                  .append('=')
                  .append(URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"))
                  .append('&'));
      link.setLength(link.length() - 1);
      answer.put("@odata.nextLink", link.toString());
    }
    return Answer.json(200, answer);
  }

  private Answer incident(Call call, String id, boolean alertsOnly) {
    ObjectNode incident = store.defenderXdr.incidents.get(id);
    if (incident == null) {
      return notFound("incident", id);
    }
    ArrayNode alerts = Store.MAPPER.createArrayNode();
    store.defenderXdr.alerts.values().stream()
        .filter(alert -> id.equals(alert.path("incidentId").asText()))
        .forEach(alert -> alerts.add(view(call, alert)));
    if (alertsOnly) {
      ObjectNode answer = Store.MAPPER.createObjectNode();
      answer.set("value", alerts);
      return Answer.json(200, answer);
    }
    ObjectNode answer = incident.deepCopy();
    String expand = call.query().get("$expand");
    if (expand != null) {
      if (!expand.equals("alerts")) {
        return invalid("Could not find a property named '" + expand + "' to expand.");
      }
      answer.set("alerts", alerts);
    }
    return Answer.json(200, answer);
  }

  /** The alert as this request sees it: evolved enum members only for those who ask for them. */
  private static ObjectNode view(Call call, ObjectNode alert) {
    ObjectNode copy = alert.deepCopy();
    String prefer = call.header("Prefer");
    boolean includeUnknown = prefer != null && prefer.contains("include-unknown-enum-members");
    if (!includeUnknown && EVOLVED_SERVICE_SOURCES.contains(copy.path("serviceSource").asText())) {
      copy.put("serviceSource", "unknownFutureValue");
    }
    return copy;
  }

  private static int intParameter(Call call, String name, int fallback) {
    String value = call.query().get(name);
    return value == null ? fallback : Integer.parseInt(value.trim());
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }

  private static String capitalized(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  private Answer notFound(String what, String id) {
    return GraphApi.error(store, 404, "NotFound", "The " + what + " '" + id + "' was not found.");
  }

  private Answer invalid(String message) {
    return GraphApi.error(store, 400, "BadRequest", message);
  }

  /** A method this emulator does not serve on the path: Graph's unknown-route answer. */
  private Answer notAllowed(Call call) {
    return GraphApi.error(
        store,
        404,
        "Request_UnsupportedQuery",
        "Unsupported request: " + call.method() + " " + call.path());
  }
}
