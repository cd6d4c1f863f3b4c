package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Microsoft Sentinel incidents, comments, alerts and entities (Microsoft.SecurityInsights). */
public final class SentinelApi {
  public static final Set<String> API_VERSIONS = Set.of("2024-03-01", "2024-09-01", "2025-06-01");
  public static final Pattern PATH =
      Pattern.compile(
          "^(/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.OperationalInsights/workspaces/[^/]+)"
              + "/providers/Microsoft\\.SecurityInsights/incidents(?:/([^/]+)(?:/(comments|alerts|entities)(?:/([^/]+))?)?)?/?$",
          Pattern.CASE_INSENSITIVE);

  private static final Set<String> STATUSES = Set.of("New", "Active", "Closed");
  private static final Set<String> SEVERITIES = Set.of("High", "Medium", "Low", "Informational");
  private static final Map<String, Set<String>> REASONS =
      Map.of(
          "TruePositive", Set.of("SuspiciousActivity"),
          "BenignPositive", Set.of("SuspiciousButExpected"),
          "FalsePositive", Set.of("IncorrectAlertLogic", "InaccurateData"),
          "Undetermined", Set.of());
  private static final List<String> WRITABLE =
      List.of(
          "title",
          "description",
          "severity",
          "status",
          "classification",
          "classificationReason",
          "classificationComment",
          "owner",
          "labels",
          "firstActivityTimeUtc",
          "lastActivityTimeUtc");

  /**
   * What Incidents.json marks read-only in IncidentProperties (azure-rest-api-specs
   * specification/securityinsights/resource-manager/Microsoft.SecurityInsights/stable/2025-06-01/
   * Incidents.json); IncidentLabel.labelType is read-only too (common/IncidentTypes.json). A PUT
   * that sets one is refused.
   */
  private static final List<String> READ_ONLY =
      List.of(
          "additionalData",
          "createdTimeUtc",
          "incidentUrl",
          "providerName",
          "providerIncidentId",
          "incidentNumber",
          "lastModifiedTimeUtc",
          "relatedAnalyticRuleIds");

  private static final int MAX_COMMENT = 30000;

  private final Store store;

  public SentinelApi(Store store) {
    this.store = store;
  }

  public Answer handle(Call call, Matcher path) {
    String workspace = path.group(1);
    String incident = path.group(2);
    String child = path.group(3);
    String childId = path.group(4);
    String method = call.method();
    synchronized (store) {
      if (incident == null) {
        requireMethod(method, "GET");
        return list(call, workspace);
      }
      String incidentId = workspace + "/providers/Microsoft.SecurityInsights/incidents/" + incident;
      if (child == null) {
        if (method.equals("GET")) {
          return Answer.json(200, record(incidentId).resource.deepCopy());
        }
        requireMethod(method, "PUT");
        return put(call, incidentId, incident);
      }
      Store.IncidentRecord record = record(incidentId);
      switch (child.toLowerCase(Locale.ROOT)) {
        case "alerts":
          requireMethod(method, "POST");
          ObjectNode alerts = Store.MAPPER.createObjectNode();
          alerts.putArray("value").addAll(copies(record.alerts));
          return Answer.json(200, alerts);
        case "entities":
          requireMethod(method, "POST");
          return Answer.json(200, entities(record));
        default:
          return comments(call, incidentId, record, childId);
      }
    }
  }

  private static void requireMethod(String method, String expected) {
    if (!method.equals(expected)) {
      throw new ApiError(405, "MethodNotAllowed", "The method " + method + " is not allowed here.");
    }
  }

  private Store.IncidentRecord record(String incidentId) {
    Store.IncidentRecord record = store.incidents.get(Store.key(incidentId));
    if (record == null) {
      throw ApiError.notFound("Incident " + incidentId.substring(incidentId.lastIndexOf('/') + 1));
    }
    return record;
  }

  private static List<ObjectNode> copies(List<ObjectNode> nodes) {
    return nodes.stream().map(ObjectNode::deepCopy).toList();
  }

  private Answer list(Call call, String workspace) {
    Predicate<JsonNode> filter = ODataFilter.parse(call.query().get("$filter"));
    int top = integer(call.query().get("$top"), 50, "$top");
    if (top < 1 || top > 1000) {
      throw ApiError.badRequest("$top must be between 1 and 1000.");
    }
    int skip = integer(call.query().get("$skipToken"), 0, "$skipToken");
    String prefix = Store.key(workspace) + "/providers/microsoft.securityinsights/incidents/";
    // Sorted as held (the caller holds the store's lock); only the page answered is copied.
    List<ObjectNode> matching = new ArrayList<>();
    store.incidents.forEach(
        (key, record) -> {
          if (key.startsWith(prefix) && filter.test(record.resource)) {
            matching.add(record.resource);
          }
        });
    sort(matching, call.query().get("$orderby"));
    ObjectNode page = Store.MAPPER.createObjectNode();
    ArrayNode value = page.putArray("value");
    matching.stream().skip(skip).limit(top).map(ObjectNode::deepCopy).forEach(value::add);
    if (skip + top < matching.size()) {
      Map<String, String> next = new LinkedHashMap<>(call.query());
      next.put("$skipToken", Integer.toString(skip + top));
      page.put("nextLink", call.baseUrl() + call.path() + "?" + encode(next));
    }
    return Answer.json(200, page);
  }

  static String encode(Map<String, String> query) {
    StringBuilder text = new StringBuilder();
    query.forEach(
        (k, v) -> {
          if (text.length() > 0) {
            text.append('&');
          }
          text.append(k)
              .append('=')
              .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
        });
    return text.toString();
  }

  static int integer(String value, int fallback, String name) {
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be a whole number.");
    }
  }

  /**
   * Sorts by {@code $orderby}, reading each incident's key once: every page of a large workspace
   * sorts all its incidents, so a key parsed per comparison would cost a parse per comparison.
   */
  private static void sort(List<ObjectNode> incidents, String orderBy) {
    if (orderBy == null || orderBy.isBlank()) {
      return;
    }
    String[] parts = orderBy.trim().split("\\s+");
    String field = parts[0].replaceFirst("(?i)^properties/", "");
    if (!Set.of("createdTimeUtc", "lastModifiedTimeUtc", "incidentNumber").contains(field)) {
      throw ApiError.badRequest("Invalid $orderby '" + orderBy + "'.");
    }
    boolean descending = parts.length > 1 && parts[1].equalsIgnoreCase("desc");
    if (field.equals("incidentNumber")) {
      sortBy(incidents, n -> n.path("properties").path(field).asLong(), descending);
    } else {
      sortBy(
          incidents,
          n -> Instant.parse(n.path("properties").path(field).asText(Instant.EPOCH.toString())),
          descending);
    }
  }

  private static <K extends Comparable<K>> void sortBy(
      List<ObjectNode> incidents, Function<ObjectNode, K> key, boolean descending) {
    record Keyed<K>(K key, ObjectNode incident) {}
    Comparator<Keyed<K>> byKey = Comparator.comparing(Keyed::key);
    List<Keyed<K>> keyed = new ArrayList<>(incidents.size());
    incidents.forEach(n -> keyed.add(new Keyed<>(key.apply(n), n)));
    keyed.sort(descending ? byKey.reversed() : byKey);
    incidents.clear();
    keyed.forEach(k -> incidents.add(k.incident()));
  }

  private Answer put(Call call, String incidentId, String name) {
    JsonNode body = call.json();
    Store.IncidentRecord existing = store.incidents.get(Store.key(incidentId));
    String ifMatch = call.header("If-Match");
    String bodyEtag = body.path("etag").isTextual() ? body.path("etag").asText() : null;
    if (existing != null) {
      String current = existing.resource.path("etag").asText();
      if ((ifMatch != null && !ifMatch.equals("*") && !ifMatch.equals(current))
          || (bodyEtag != null && !bodyEtag.equals(current))) {
        throw new ApiError(
            412, "PreconditionFailed", "The etag does not match the incident's current etag.");
      }
    }
    JsonNode sent = body.path("properties");
    if (!sent.isObject()) {
      throw ApiError.badRequest("properties is required.");
    }
    for (String readOnly : READ_ONLY) {
      if (sent.has(readOnly) && !sent.get(readOnly).isNull()) {
        throw ApiError.badRequest(
            "properties." + readOnly + " is read-only and cannot be set in a PUT.");
      }
    }
    for (String required : List.of("title", "severity", "status")) {
      if (!sent.path(required).isTextual() || sent.path(required).asText().isBlank()) {
        throw ApiError.badRequest("properties." + required + " is required.");
      }
    }
    oneOf("status", sent.path("status").asText(), STATUSES);
    oneOf("severity", sent.path("severity").asText(), SEVERITIES);
    String classification = text(sent, "classification");
    String reason = text(sent, "classificationReason");
    if (classification != null) {
      oneOf("classification", classification, REASONS.keySet());
    }
    if (sent.path("status").asText().equals("Closed")) {
      if (classification == null) {
        throw ApiError.badRequest("Classification is required when closing an incident.");
      }
      Set<String> valid = REASONS.get(classification);
      if (reason != null && !valid.contains(reason)) {
        throw ApiError.badRequest(
            "Classification reason '"
                + reason
                + "' is not valid for classification '"
                + classification
                + "'.");
      }
    }
    JsonNode sentLabels = sent.path("labels");
    if (!sentLabels.isMissingNode() && !sentLabels.isNull() && !sentLabels.isArray()) {
      throw ApiError.badRequest("properties.labels must be an array.");
    }
    for (int i = 0; i < sentLabels.size(); i++) {
      JsonNode label = sentLabels.get(i);
      if (!label.path("labelName").isTextual() || label.path("labelName").asText().isBlank()) {
        throw ApiError.badRequest("properties.labels[].labelName is required.");
      }
      if (label.has("labelType") && !label.get("labelType").isNull()) {
        throw ApiError.badRequest(
            "properties.labels[" + i + "].labelType is read-only and cannot be set in a PUT.");
      }
    }
    ObjectNode resource =
        existing == null ? Store.MAPPER.createObjectNode() : existing.resource.deepCopy();
    ObjectNode properties = resource.withObjectProperty("properties");
    JsonNode previousLabels = properties.path("labels").deepCopy();
    for (String field : WRITABLE) {
      properties.remove(field);
      if (sent.has(field) && !sent.get(field).isNull()) {
        properties.set(field, sent.get(field).deepCopy());
      }
    }
    if (!sent.path("status").asText().equals("Closed")) {
      properties.remove(List.of("classification", "classificationReason", "classificationComment"));
    }
    ArrayNode labels = properties.putArray("labels");
    for (JsonNode label : sent.path("labels")) {
      String labelName = label.path("labelName").asText();
      String type = "User";
      for (JsonNode before : previousLabels) {
        if (before.path("labelName").asText().equals(labelName)
            && before.path("labelType").asText().equals("AutoAssigned")) {
          type = "AutoAssigned";
        }
      }
      labels.addObject().put("labelName", labelName).put("labelType", type);
    }
    properties.put("lastModifiedTimeUtc", store.clock().instant().toString());
    store.fillOwner(properties);
    resource.put("id", existing == null ? incidentId : existing.resource.path("id").asText());
    resource.put("name", name);
    resource.put("etag", Store.newEtag());
    if (existing == null) {
      store.putIncident(resource, List.of(), List.of());
      return Answer.json(201, resource.deepCopy());
    }
    existing.resource = resource;
    return Answer.json(200, resource.deepCopy());
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
  }

  private static void oneOf(String field, String value, Set<String> allowed) {
    if (!allowed.contains(value)) {
      throw ApiError.badRequest(
          "'"
              + value
              + "' is not a valid "
              + field
              + "; expected one of "
              + String.join(", ", allowed.stream().sorted().toList())
              + ".");
    }
  }

  private static ObjectNode entities(Store.IncidentRecord record) {
    ObjectNode answer = Store.MAPPER.createObjectNode();
    answer.putArray("entities").addAll(copies(record.entities));
    Map<String, Integer> counts = new LinkedHashMap<>();
    record.entities.forEach(e -> counts.merge(e.path("kind").asText(), 1, Integer::sum));
    ArrayNode metaData = answer.putArray("metaData");
    counts.forEach(
        (kind, count) -> metaData.addObject().put("entityKind", kind).put("count", count));
    return answer;
  }

  private Answer comments(
      Call call, String incidentId, Store.IncidentRecord record, String commentId) {
    if (commentId == null) {
      requireMethod(call.method(), "GET");
      ObjectNode list = Store.MAPPER.createObjectNode();
      list.putArray("value").addAll(copies(new ArrayList<>(record.comments.values())));
      return Answer.json(200, list);
    }
    ObjectNode existing = record.comments.get(Store.key(commentId));
    if (call.method().equals("GET")) {
      if (existing == null) {
        throw ApiError.notFound("Comment " + commentId);
      }
      return Answer.json(200, existing.deepCopy());
    }
    requireMethod(call.method(), "PUT");
    JsonNode message = call.json().path("properties").path("message");
    if (!message.isTextual() || message.asText().isEmpty()) {
      throw ApiError.badRequest("properties.message is required.");
    }
    if (message.asText().length() > MAX_COMMENT) {
      throw ApiError.badRequest(
          "properties.message is longer than " + MAX_COMMENT + " characters.");
    }
    String now = store.clock().instant().toString();
    ObjectNode comment = Store.MAPPER.createObjectNode();
    comment.put("id", incidentId + "/comments/" + commentId);
    comment.put("name", commentId);
    comment.put("type", "Microsoft.SecurityInsights/incidents/comments");
    comment.put("etag", Store.newEtag().replace("\"", ""));
    ObjectNode properties = comment.putObject("properties");
    properties.put("message", message.asText());
    properties.put(
        "createdTimeUtc",
        existing == null ? now : existing.path("properties").path("createdTimeUtc").asText());
    properties.put("lastModifiedTimeUtc", now);
    properties
        .putObject("author")
        .put("objectId", "00000000-0000-0000-0000-00000000a11d")
        // ClientInfo {objectId, email, userPrincipalName, name} (SI/2025-06-01
        // examples/comments/CreateIncidentComment.json; contracts:
        // sentinel/incidentComments_createOrUpdate.json). An application has no mailbox or
        // sign-in name.
        .putNull("email")
        .putNull("userPrincipalName")
        .put("name", "sentinel-playbooks (managed identity)");
    record.comments.put(Store.key(commentId), comment);
    record
        .resource
        .withObjectProperty("properties")
        .withObjectProperty("additionalData")
        .put("commentsCount", record.comments.size());
    return Answer.json(existing == null ? 201 : 200, comment.deepCopy());
  }
}
