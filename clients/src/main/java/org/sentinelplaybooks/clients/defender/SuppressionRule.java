package org.sentinelplaybooks.clients.defender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentinelplaybooks.clients.Json;

/**
 * A Defender for Cloud alert suppression rule (Microsoft.Security/alertsSuppressionRules,
 * 2019-01-01-preview): alerts of {@code alertType} in its subscription that match every condition
 * of {@code scope} arrive dismissed until {@code expiresAt}. Shape from
 * specification/security/resource-manager/Microsoft.Security/preview/2019-01-01-preview/
 * alertsSuppressionRules.json (Azure/azure-rest-api-specs, commit d29c0587).
 *
 * @param expiresAt null when the rule has no expiry (never written by the playbooks)
 * @param lastModified read-only, null in a rule about to be written
 */
public record SuppressionRule(
    String subscriptionId,
    String name,
    String alertType,
    String reason,
    String state,
    Instant expiresAt,
    String comment,
    List<ScopeCondition> scope,
    Instant lastModified) {
  public static final String ENABLED = "Enabled";

  /**
   * The portal's and the policy's rule: 2 to 50 characters, a letter or digit first, no symbols but
   * - and _ (alerts-suppression-rules.md, MicrosoftDocs/azure-docs 0440832a). The ARM template
   * reference allows 1 to 260; the tighter rule satisfies both.
   */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,49}");

  /** The spec's subscriptionId pattern. */
  public static final Pattern SUBSCRIPTION =
      Pattern.compile("[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}");

  private static final Pattern ID =
      Pattern.compile(
          "^/subscriptions/([^/]+)/providers/Microsoft\\.Security/alertsSuppressionRules/([^/]+)$",
          Pattern.CASE_INSENSITIVE);

  public SuppressionRule {
    scope = scope == null ? List.of() : List.copyOf(scope);
  }

  /** The subscription id, lower case, or an {@link IllegalArgumentException} naming the value. */
  public static String checkSubscription(String subscriptionId) {
    if (subscriptionId == null || !SUBSCRIPTION.matcher(subscriptionId.trim()).matches()) {
      throw new IllegalArgumentException(
          "'" + subscriptionId + "' is not a subscription id (a GUID)");
    }
    return subscriptionId.trim().toLowerCase(Locale.ROOT);
  }

  /** The name as it is, or an {@link IllegalArgumentException} saying what a name may be. */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a suppression rule name: 2 to 50 letters, digits, - or _, starting with a"
              + " letter or digit");
    }
    return name;
  }

  public String armId() {
    return "/subscriptions/"
        + subscriptionId
        + "/providers/Microsoft.Security/alertsSuppressionRules/"
        + name;
  }

  /** Enabled and not past its expiry at {@code now}. */
  public boolean isActive(Instant now) {
    return ENABLED.equalsIgnoreCase(state) && (expiresAt == null || expiresAt.isAfter(now));
  }

  /**
   * The PUT body. {@code expirationDateUtc} in the spec's casing (the PUT example writes
   * expirationDateUTC; the spec, the Get and List examples and the policy write Utc).
   */
  JsonNode toJson() {
    ObjectNode body = Json.object();
    ObjectNode properties = body.putObject("properties");
    properties.put("alertType", alertType).put("reason", reason).put("state", state);
    if (expiresAt != null) {
      properties.put("expirationDateUtc", expiresAt.toString());
    }
    if (comment != null) {
      properties.put("comment", comment);
    }
    if (!scope.isEmpty()) {
      ArrayNode allOf = properties.putObject("suppressionAlertsScope").putArray("allOf");
      scope.forEach(condition -> allOf.add(condition.toJson()));
    }
    return body;
  }

  static SuppressionRule fromJson(JsonNode resource) {
    Matcher id = ID.matcher(String.valueOf(Json.text(resource, "id")));
    JsonNode p = resource.path("properties");
    List<ScopeCondition> scope = new ArrayList<>();
    for (JsonNode condition : p.path("suppressionAlertsScope").path("allOf")) {
      scope.add(ScopeCondition.fromJson(condition));
    }
    return new SuppressionRule(
        id.matches() ? id.group(1).toLowerCase(Locale.ROOT) : null,
        id.matches() ? id.group(2) : Json.text(resource, "name"),
        Json.text(p, "alertType"),
        Json.text(p, "reason"),
        Json.text(p, "state"),
        instant(p, "expirationDateUtc"),
        Json.text(p, "comment"),
        scope,
        instant(p, "lastModifiedUtc"));
  }

  /** A time in either casing the service's examples use (Utc or UTC). */
  private static Instant instant(JsonNode properties, String field) {
    String text = Json.text(properties, field);
    if (text == null) {
      text = Json.text(properties, field.substring(0, field.length() - 3) + "UTC");
    }
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text.endsWith("Z") ? text : text + "Z");
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }
}
