package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Defender for Endpoint indicators: submit-or-update ({@code POST /api/indicators}) and
 * list ({@code GET /api/indicators}, optionally filtered by value and type), with the API's limits
 * of 100 calls in any minute and 1,500 in any hour, beyond which it answers 429 with Retry-After.
 * Errors are {@code {"error":{"code","message","target"}}}.
 */
public final class DefenderEndpointApi {
  public static final Pattern PATH =
      Pattern.compile("^/api/indicators/?$", Pattern.CASE_INSENSITIVE);
  private static final Pattern FILTER_VALUE = Pattern.compile("^indicatorValue\\s+eq\\s+'");
  private static final Pattern FILTER_TYPE =
      Pattern.compile("^\\s+and\\s+indicatorType\\s+eq\\s+'([A-Za-z0-9]+)'$");
  private static final List<String> REQUIRED =
      List.of("indicatorValue", "indicatorType", "action", "title", "description");
  private static final List<String> TYPES =
      List.of(
          "FileSha1",
          "FileMd5",
          "CertificateThumbprint",
          "FileSha256",
          "IpAddress",
          "DomainName",
          "Url");
  private static final List<String> ACTIONS =
      List.of("Alert", "Warn", "Block", "Audit", "BlockAndRemediate", "AlertAndBlock", "Allowed");
  private static final List<String> SEVERITIES = List.of("Informational", "Low", "Medium", "High");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration HOUR = Duration.ofHours(1);

  /** Who the emulated tenant takes the calling application to be, whatever its token. */
  static final String APPLICATION_NAME = "Emulated application";

  static final String APPLICATION_ID = "0f3b6a52-7c1d-4e8f-9a2b-3c4d5e6f7a8b";

  private final Store store;

  public DefenderEndpointApi(Store store) {
    this.store = store;
  }

  public Answer handle(Call call) {
    synchronized (store) {
      Answer throttled = throttle();
      if (throttled != null) {
        return throttled;
      }
      try {
        return switch (call.method()) {
          case "POST" -> submit(call);
          case "GET" -> list(call);
          default ->
              throw new ApiError(
                  405, "MethodNotAllowed", "The method " + call.method() + " is not allowed here.");
        };
      } catch (ApiError e) {
        return error(e.status(), e.code(), e.getMessage(), Map.of());
      }
    }
  }

  /** An MDE error: {@code {"error":{"code","message","target":"<correlation id>"}}}. */
  static Answer error(int status, String code, String message, Map<String, String> headers) {
    ObjectNode body = Store.MAPPER.createObjectNode();
    body.putObject("error")
        .put("code", code)
        .put("message", message)
        .put("target", UUID.randomUUID().toString());
    return new Answer(status, headers, body);
  }

  private static ApiError invalid(String message) {
    return new ApiError(400, "InvalidRequestBody", message);
  }

  /**
   * Counts the call in the sliding minute and hour, or refuses it when either is full: "100 calls
   * per minute and 1500 calls per hour" (MicrosoftDocs/defender-docs
   * defender-endpoint/api/post-ti-indicator.md; ../shared/contracts/defender-endpoint/limits.md),
   * answered as throttling is, 429 with Retry-After (common-errors.md).
   */
  private Answer throttle() {
    Store.DefenderForEndpoint mde = store.defenderForEndpoint;
    Deque<Instant> calls = mde.recentCalls;
    Instant now = mde.clock.instant();
    while (!calls.isEmpty() && !calls.peekFirst().isAfter(now.minus(HOUR))) {
      calls.pollFirst();
    }
    Instant minuteAgo = now.minus(MINUTE);
    List<Instant> lastMinute = calls.stream().filter(c -> c.isAfter(minuteAgo)).toList();
    if (lastMinute.size() >= mde.callsPerMinute) {
      return throttled(lastMinute.get(0).plus(MINUTE), now, mde.callsPerMinute + " calls a minute");
    }
    if (calls.size() >= mde.callsPerHour) {
      return throttled(calls.peekFirst().plus(HOUR), now, mde.callsPerHour + " calls an hour");
    }
    calls.addLast(now);
    return null;
  }

  private static Answer throttled(Instant freeAt, Instant now, String limit) {
    long millis = Duration.between(now, freeAt).toMillis();
    long seconds = Math.max(1, (millis + 999) / 1000);
    return error(
        429,
        "TooManyRequests",
        "Rate limit is exceeded: at most " + limit + ". Try again in " + seconds + " seconds.",
        Map.of("Retry-After", Long.toString(seconds)));
  }

  private Answer submit(Call call) {
    JsonNode body;
    try {
      body = call.json();
    } catch (ApiError e) {
      throw invalid("Request body is incorrect: " + e.getMessage());
    }
    if (!body.isObject()) {
      throw invalid("Request body is incorrect: it must be a JSON object.");
    }
    for (String field : REQUIRED) {
      if (!body.path(field).isTextual() || body.path(field).asText().isBlank()) {
        throw invalid("The field '" + field + "' is required.");
      }
    }
    String type = oneOf(body, "indicatorType", TYPES);
    String action = oneOf(body, "action", ACTIONS);
    String value = body.path("indicatorValue").asText().trim();
    if (type.equals("IpAddress")) {
      checkIpAddress(value);
    }
    String severity =
        body.hasNonNull("severity") ? oneOf(body, "severity", SEVERITIES) : "Informational";
    JsonNode expiration = body.path("expirationTime");
    if (!expiration.isMissingNode() && !expiration.isNull()) {
      try {
        OffsetDateTime.parse(expiration.asText());
      } catch (DateTimeParseException e) {
        throw invalid("expirationTime '" + expiration.asText() + "' is not an ISO 8601 time.");
      }
    }
    boolean generateAlert = body.path("generateAlert").asBoolean(false);
    if (action.equals("Audit") && !generateAlert) {
      throw invalid("generateAlert must be true for the action 'Audit'.");
    }
    JsonNode groups = body.path("rbacGroupNames");
    if (!groups.isMissingNode() && !groups.isNull() && !groups.isArray()) {
      throw invalid("rbacGroupNames must be a list of device group names.");
    }

    String key = Store.indicatorKey(type, value);
    ObjectNode existing = store.defenderForEndpoint.indicators.get(key);
    String now = store.clock().instant().toString();
    ObjectNode indicator = Store.MAPPER.createObjectNode();
    indicator.put(
        "id",
        existing == null
            ? Long.toString(store.defenderForEndpoint.nextId++)
            : existing.path("id").asText());
    indicator.put("indicatorValue", value).put("indicatorType", type).put("action", action);
    indicator.set("application", text(body, "application"));
    indicator
        .put("source", APPLICATION_NAME)
        .put("sourceType", "AadApp")
        .put("createdBy", existing == null ? APPLICATION_ID : existing.path("createdBy").asText())
        .put("severity", severity)
        .put("title", body.path("title").asText())
        .put("description", body.path("description").asText());
    indicator.set("recommendedActions", text(body, "recommendedActions"));
    indicator.put(
        "creationTimeDateTimeUtc",
        existing == null ? now : existing.path("creationTimeDateTimeUtc").asText());
    indicator.set("expirationTime", text(body, "expirationTime"));
    indicator.put("lastUpdateTime", now);
    if (existing == null) {
      indicator.putNull("lastUpdatedBy");
    } else {
      indicator.put("lastUpdatedBy", APPLICATION_ID);
    }
    indicator.set(
        "rbacGroupNames", groups.isArray() ? groups.deepCopy() : Store.MAPPER.createArrayNode());
    indicator.put("generateAlert", generateAlert);
    if (body.path("educateUrl").isTextual()) {
      indicator.put("educateUrl", body.path("educateUrl").asText());
    }
    store.defenderForEndpoint.indicators.put(key, indicator);
    return Answer.json(200, indicator.deepCopy());
  }

  private static JsonNode text(JsonNode body, String field) {
    return body.path(field).isTextual()
        ? body.path(field).deepCopy()
        : Store.MAPPER.getNodeFactory().nullNode();
  }

  private static String oneOf(JsonNode body, String field, List<String> allowed) {
    String value = body.path(field).asText();
    if (!body.path(field).isTextual() || !allowed.contains(value)) {
      throw invalid(
          "The value '"
              + value
              + "' of "
              + field
              + " is not valid. Allowed values: "
              + String.join(", ", allowed)
              + ".");
    }
    return value;
  }

  /** One public address: no CIDR, no range, nothing inside a private network. */
  private static void checkIpAddress(String value) {
    if (value.contains("/") || value.contains("-")) {
      throw invalid(
          "The IP address '"
              + value
              + "' is not valid: CIDR notation and IP ranges are not supported,"
              + " an indicator takes a single IP address.");
    }
    if (!IpAddresses.isIpv4(value) && !IpAddresses.isIpv6(value)) {
      throw invalid("The IP address '" + value + "' is not a valid IPv4 or IPv6 address.");
    }
    if (IpAddresses.isInternal(value)) {
      throw invalid(
          "The IP address '"
              + value
              + "' is internal: indicators can only be created for external (public) IP"
              + " addresses.");
    }
  }

  private Answer list(Call call) {
    String filter = call.query().get("$filter");
    String value = null;
    String type = null;
    if (filter != null && !filter.isBlank()) {
      String[] parsed = parseFilter(filter.trim());
      if (parsed == null) {
        throw new ApiError(
            400,
            "BadRequest",
            "The $filter '"
                + filter
                + "' is not supported: use indicatorValue eq '<value>', optionally followed by"
                + " and indicatorType eq '<type>'.");
      }
      value = parsed[0];
      type = parsed[1];
    }
    ObjectNode answer = Store.MAPPER.createObjectNode();
    answer.put("@odata.context", call.baseUrl() + "/api/$metadata#Indicators");
    ArrayNode list = answer.putArray("value");
    for (ObjectNode indicator : store.defenderForEndpoint.indicators.values()) {
      if ((value == null || indicator.path("indicatorValue").asText().equalsIgnoreCase(value))
          && (type == null || indicator.path("indicatorType").asText().equalsIgnoreCase(type))) {
        list.add(indicator.deepCopy());
      }
    }
    return Answer.json(200, answer);
  }

  /**
   * {@code indicatorValue eq '<v>'}, optionally {@code and indicatorType eq '<t>'}: the value and
   * the type (or null), or null for any other filter. A quote inside the value is doubled.
   */
  private static String[] parseFilter(String filter) {
    Matcher start = FILTER_VALUE.matcher(filter);
    if (!start.find()) {
      return null;
    }
    StringBuilder value = new StringBuilder();
    int i = start.end();
    while (true) {
      if (i >= filter.length()) {
        return null;
      }
      char c = filter.charAt(i++);
      if (c != '\'') {
        value.append(c);
      } else if (i < filter.length() && filter.charAt(i) == '\'') {
        value.append('\'');
        i++;
      } else {
        break;
      }
    }
    if (i == filter.length()) {
      return new String[] {value.toString(), null};
    }
    Matcher type = FILTER_TYPE.matcher(filter.substring(i));
    return type.matches() ? new String[] {value.toString(), type.group(1)} : null;
  }
}
