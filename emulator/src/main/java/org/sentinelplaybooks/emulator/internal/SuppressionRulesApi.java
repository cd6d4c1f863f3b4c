package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Defender for Cloud alert suppression rules (Microsoft.Security/alertsSuppressionRules,
 * 2019-01-01-preview, the only version): PUT, GET, list and DELETE at subscription scope, from
 * specification/security/resource-manager/Microsoft.Security/preview/2019-01-01-preview/
 * alertsSuppressionRules.json and its examples (Azure/azure-rest-api-specs), and Enabled rules
 * applied to alerts raised after them.
 */
public final class SuppressionRulesApi {
  public static final Set<String> API_VERSIONS = Set.of("2019-01-01-preview");
  public static final Pattern PATH =
      Pattern.compile(
          "^/subscriptions/([^/]+)/providers/Microsoft\\.Security/alertsSuppressionRules(?:/([^/]+))?/?$",
          Pattern.CASE_INSENSITIVE);

  /** The spec's subscriptionId pattern. */
  private static final Pattern SUBSCRIPTION =
      Pattern.compile("[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}");

  /**
   * Portal and policy: "begin with a letter or a number, be between 2 and 50 characters, and
   * contain no symbols other than dashes (-) or underscores (_)" (alerts-suppression-rules.md).
   */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,49}");

  /** RuleState in the spec. */
  private static final Set<String> STATES = Set.of("Enabled", "Disabled", "Expired");

  /**
   * The spec gives reason no enum; these are the values of the Azure Policy built-in
   * 80e94a21-c6cd-4c95-a2c7-beb5704e61c0 (ASC_SuppressionRulesForAlerts_DINE.json).
   */
  private static final Set<String> REASONS =
      Set.of(
          "AlertSeverityTooHigh",
          "FalsePositive",
          "Noise",
          "NotRelevant",
          "SpecificEntityFalsePositive",
          "Unclear",
          "Other");

  /** The entity fields of the same policy (variables.entityNameToType). */
  private static final Set<String> FIELDS =
      Set.of(
          "entities.account.name",
          "entities.account.aaduserid",
          "entities.account.upnsuffix",
          "entities.azureresource.resourceid",
          "entities.file.name",
          "entities.file.directory",
          "entities.filehash.value",
          "entities.host.hostname",
          "entities.host.azureid",
          "entities.host.dnsdomain",
          "entities.host.omsagentid",
          "entities.ip.address",
          "entities.malware.name",
          "entities.malware.category",
          "entities.process.commandline");

  private static final Pattern ALERT_SUBSCRIPTION =
      Pattern.compile("^/subscriptions/([^/]+)/", Pattern.CASE_INSENSITIVE);

  private final Store store;

  public SuppressionRulesApi(Store store) {
    this.store = store;
  }

  public Answer handle(Call call, Matcher path) {
    String subscription = path.group(1);
    if (!SUBSCRIPTION.matcher(subscription).matches()) {
      throw new ApiError(
          400,
          "InvalidSubscriptionId",
          "The provided subscription identifier '" + subscription + "' is malformed or invalid.");
    }
    String name = path.group(2);
    synchronized (store) {
      if (name == null) {
        if (!call.method().equals("GET")) {
          throw notAllowed(call);
        }
        return list(call, subscription);
      }
      String key = Store.SuppressionRules.key(subscription, name);
      switch (call.method()) {
        case "GET":
          ObjectNode rule = store.suppression.rules.get(key);
          if (rule == null) {
            throw ApiError.notFound("Alerts suppression rule '" + name + "'");
          }
          return Answer.json(200, rule.deepCopy());
        case "PUT":
          ObjectNode written = validated(call, subscription, name);
          store.suppression.rules.put(key, written);
          return Answer.json(200, written.deepCopy());
        case "DELETE":
          // Only 204 is declared; ARM answers 204 for a resource that is not there either.
          store.suppression.rules.remove(key);
          return Answer.noContent();
        default:
          throw notAllowed(call);
      }
    }
  }

  private static ApiError notAllowed(Call call) {
    return new ApiError(
        405, "MethodNotAllowed", "The method " + call.method() + " is not allowed here.");
  }

  private Answer list(Call call, String subscription) {
    String alertType = null;
    for (Map.Entry<String, String> parameter : call.query().entrySet()) {
      if (parameter.getKey().equalsIgnoreCase("AlertType")) {
        alertType = parameter.getValue();
      }
    }
    int skip = SentinelApi.integer(call.query().get("$skipToken"), 0, "$skipToken");
    String prefix = Store.key("/subscriptions/" + subscription + "/");
    List<ObjectNode> matching = new ArrayList<>();
    for (ObjectNode rule : store.suppression.rules.values()) {
      if (Store.key(rule.path("id").asText()).startsWith(prefix)
          && (alertType == null
              || alertType.equalsIgnoreCase(rule.path("properties").path("alertType").asText()))) {
        matching.add(rule);
      }
    }
    ObjectNode page = Store.MAPPER.createObjectNode();
    ArrayNode value = page.putArray("value");
    int size = store.suppression.pageSize;
    matching.stream().skip(skip).limit(size).forEach(rule -> value.add(rule.deepCopy()));
    if (skip + size < matching.size()) {
      Map<String, String> next = new LinkedHashMap<>(call.query());
      next.put("$skipToken", Integer.toString(skip + size));
      page.put("nextLink", call.baseUrl() + call.path() + "?" + SentinelApi.encode(next));
    }
    return Answer.json(200, page);
  }

  /** The rule as it is kept, or a 400 naming the first property that is wrong. */
  private ObjectNode validated(Call call, String subscription, String name) {
    if (!NAME.matcher(name).matches()) {
      throw ApiError.badRequest(
          "The rule name '"
              + name
              + "' is invalid: it must begin with a letter or a number, be between 2 and 50"
              + " characters, and contain no symbols other than dashes (-) or underscores (_).");
    }
    JsonNode body;
    try {
      body = Store.MAPPER.readTree(call.body());
    } catch (Exception e) {
      throw new ApiError(400, "InvalidRequestContent", "The request content is not valid JSON.");
    }
    JsonNode properties = body == null ? null : body.path("properties");
    if (properties == null || !properties.isObject()) {
      throw ApiError.badRequest("The request body must have 'properties'.");
    }
    String alertType = required(properties, "alertType");
    String reason = required(properties, "reason");
    String state = required(properties, "state");
    if (!STATES.contains(state)) {
      throw ApiError.badRequest(
          "'" + state + "' is not a valid value for state: Enabled, Disabled or Expired.");
    }
    if (!REASONS.contains(reason)) {
      throw ApiError.badRequest(
          "'" + reason + "' is not a valid value for reason: " + String.join(", ", REASONS) + ".");
    }
    ObjectNode kept = Store.MAPPER.createObjectNode();
    kept.put(
        "id",
        "/subscriptions/"
            + subscription
            + "/providers/Microsoft.Security/alertsSuppressionRules/"
            + name);
    kept.put("name", name);
    kept.put("type", "Microsoft.Security/alertsSuppressionRules");
    ObjectNode out = kept.putObject("properties");
    out.put("alertType", alertType);
    out.put("lastModifiedUtc", store.suppression.clock.instant().toString());
    // The PUT example itself writes expirationDateUTC; answers use the spec's casing.
    JsonNode expiry =
        properties.hasNonNull("expirationDateUtc")
            ? properties.get("expirationDateUtc")
            : properties.get("expirationDateUTC");
    if (expiry != null && !expiry.isNull()) {
      if (!expiry.isTextual() || instant(expiry.asText()) == null) {
        throw ApiError.badRequest(
            "'" + expiry.asText() + "' is not a valid date-time for expirationDateUtc.");
      }
      out.put("expirationDateUtc", expiry.asText());
    }
    out.put("state", state);
    out.put("reason", reason);
    if (properties.hasNonNull("comment")) {
      out.put("comment", properties.get("comment").asText());
    }
    JsonNode scope = properties.get("suppressionAlertsScope");
    if (scope != null && !scope.isNull()) {
      out.set("suppressionAlertsScope", validatedScope(scope));
    }
    return kept;
  }

  private static String required(JsonNode properties, String field) {
    JsonNode value = properties.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw ApiError.badRequest("The property '" + field + "' is required.");
    }
    return value.asText();
  }

  private static JsonNode validatedScope(JsonNode scope) {
    JsonNode allOf = scope.path("allOf");
    if (!allOf.isArray() || allOf.isEmpty()) {
      throw ApiError.badRequest(
          "suppressionAlertsScope.allOf is required and must list at least one condition.");
    }
    for (JsonNode condition : allOf) {
      String field = condition.path("field").asText("");
      if (!FIELDS.contains(field)) {
        throw ApiError.badRequest(
            "suppressionAlertsScope: '" + field + "' is not a field alerts can be suppressed by.");
      }
      JsonNode in = condition.get("in");
      JsonNode contains = condition.get("contains");
      boolean validIn = in != null && in.isArray() && !in.isEmpty() && allText(in);
      boolean validContains =
          contains != null && contains.isTextual() && !contains.asText().isEmpty();
      if (validIn == validContains) {
        throw ApiError.badRequest(
            "suppressionAlertsScope: the condition on '"
                + field
                + "' needs either 'in' (a list of values) or 'contains' (a text).");
      }
    }
    return scope.deepCopy();
  }

  private static boolean allText(JsonNode array) {
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text + "Z");
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }

  /**
   * Dismisses a newly raised alert that an Enabled, unexpired rule of its subscription covers:
   * "alerts matching an enabled rule are still generated but their state is set to dismissed"
   * (alerts-suppression-rules.md). Called with the store's lock held.
   */
  static void apply(Store.SuppressionRules suppression, ObjectNode alert) {
    Matcher id = ALERT_SUBSCRIPTION.matcher(alert.path("id").asText());
    ObjectNode properties = alert.withObjectProperty("properties");
    if (!id.find() || !"Active".equalsIgnoreCase(properties.path("status").asText("Active"))) {
      return;
    }
    String prefix = Store.key("/subscriptions/" + id.group(1) + "/");
    Instant now = suppression.clock.instant();
    for (ObjectNode rule : suppression.rules.values()) {
      JsonNode p = rule.path("properties");
      Instant expiry = instant(p.path("expirationDateUtc").asText(""));
      String type = p.path("alertType").asText();
      if (Store.key(rule.path("id").asText()).startsWith(prefix)
          && p.path("state").asText().equals("Enabled")
          && (expiry == null || expiry.isAfter(now))
          && (type.equals("*") || type.equalsIgnoreCase(properties.path("alertType").asText()))
          && inScope(p.path("suppressionAlertsScope"), properties.path("entities"))) {
        properties.put("status", "Dismissed");
        return;
      }
    }
  }

  /**
   * All conditions must hold. The policy says "alerts without entities will be suppressed
   * entirely", so an alert with no entities at all is in every scope.
   */
  private static boolean inScope(JsonNode scope, JsonNode entities) {
    if (scope.isMissingNode() || scope.isNull() || entities.isEmpty()) {
      return true;
    }
    for (JsonNode condition : scope.path("allOf")) {
      if (!holds(condition, entities)) {
        return false;
      }
    }
    return true;
  }

  /** entities.{type}.{property}: the entity type without dashes, the property by any casing. */
  private static boolean holds(JsonNode condition, JsonNode entities) {
    String[] parts = condition.path("field").asText().split("\\.");
    if (parts.length != 3) {
      return false;
    }
    for (JsonNode entity : entities) {
      String type = entity.path("type").asText().replace("-", "").toLowerCase(Locale.ROOT);
      if (!type.equals(parts[1])) {
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = entity.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        if (!property.getKey().equalsIgnoreCase(parts[2]) || !property.getValue().isTextual()) {
          continue;
        }
        String value = property.getValue().asText().toLowerCase(Locale.ROOT);
        for (JsonNode wanted : condition.path("in")) {
          if (value.equals(wanted.asText().toLowerCase(Locale.ROOT))) {
            return true;
          }
        }
        if (condition.hasNonNull("contains")
            && value.contains(condition.get("contains").asText().toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }
}
