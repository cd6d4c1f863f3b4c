package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ServiceNow Table API for {@code incident} and the OAuth token endpoint. Errors use
 * ServiceNow's shape {@code {"error":{"message","detail"},"status":"failure"}}.
 */
public final class ServiceNowApi {
  public static final Pattern TABLE =
      Pattern.compile("^/api/now/(?:v1/)?table/incident(?:/(\\w+))?$");

  /** Table sys_user_grmember, read only: who is in which group. */
  public static final Pattern GROUP_MEMBERS =
      Pattern.compile("^/api/now/(?:v1/)?table/sys_user_grmember$");

  public static final String TOKEN_PATH = "/oauth_token.do";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final int SHORT_DESCRIPTION_LENGTH = 160;

  private final Store store;

  public ServiceNowApi(Store store) {
    this.store = store;
  }

  /** A ServiceNow error as the Table API answers it. */
  public static Answer error(int status, String message, String detail) {
    ObjectNode body = Store.MAPPER.createObjectNode();
    body.putObject("error").put("message", message).put("detail", detail);
    body.put("status", "failure");
    return Answer.json(status, body);
  }

  public Answer token(Call call) {
    Map<String, String> form = new HashMap<>();
    for (String pair : call.body().split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    synchronized (store) {
      Store.ServiceNowAccount account = store.serviceNow;
      boolean valid =
          "client_credentials".equals(form.get("grant_type"))
              && account.clientId != null
              && account.clientId.equals(form.get("client_id"))
              && account.clientSecret.equals(form.get("client_secret"));
      if (!valid) {
        ObjectNode body = Store.MAPPER.createObjectNode();
        body.put("error_description", "access_denied").put("error", "server_error");
        return Answer.json(401, body);
      }
      String token = UUID.randomUUID().toString().replace("-", "");
      account.tokens.add(token);
      ObjectNode body = Store.MAPPER.createObjectNode();
      body.put("access_token", token)
          .put("scope", "useraccount")
          .put("token_type", "Bearer")
          .put("expires_in", 1799);
      return Answer.json(200, body);
    }
  }

  public Answer table(Call call, Matcher path) {
    synchronized (store) {
      if (!authenticated(call)) {
        return error(401, "User Not Authenticated", "Required to provide Auth information");
      }
      String sysId = path.group(1);
      if (sysId == null) {
        switch (call.method()) {
          case "GET":
            return list(call);
          case "POST":
            return create(call);
          default:
            return error(
                405,
                "Method not Supported",
                "The method " + call.method() + " is not supported here");
        }
      }
      ObjectNode record = store.serviceNow.incidents.get(sysId);
      if (record == null) {
        return error(
            404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval");
      }
      switch (call.method()) {
        case "GET":
          return result(200, record);
        case "PATCH":
        case "PUT":
          return update(call, record);
        default:
          return error(
              405,
              "Method not Supported",
              "The method " + call.method() + " is not supported here");
      }
    }
  }

  /** GET of sys_user_grmember's records, filtered as any table by sysparm_query. */
  public Answer groupMembers(Call call) {
    synchronized (store) {
      if (!authenticated(call)) {
        return error(401, "User Not Authenticated", "Required to provide Auth information");
      }
      if (!call.method().equals("GET")) {
        return error(
            405, "Method not Supported", "The method " + call.method() + " is not supported here");
      }
      return list(call, store.serviceNow.groupMembers);
    }
  }

  private boolean authenticated(Call call) {
    String authorization = call.header("Authorization");
    Store.ServiceNowAccount account = store.serviceNow;
    if (authorization == null) {
      return false;
    }
    if (authorization.startsWith("Basic ") && account.username != null) {
      String expected = account.username + ":" + account.password;
      try {
        return new String(
                Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8)
            .equals(expected);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return authorization.startsWith("Bearer ")
        && account.tokens.contains(authorization.substring(7));
  }

  private static Answer result(int status, JsonNode record) {
    ObjectNode body = Store.MAPPER.createObjectNode();
    body.set("result", record.deepCopy());
    return Answer.json(status, body);
  }

  private static ObjectNode fields(Call call) {
    JsonNode body = call.json();
    if (!body.isObject()) {
      throw new ApiError(400, "BadRequest", "The body must be a JSON object of fields.");
    }
    ObjectNode fields = Store.MAPPER.createObjectNode();
    body.fields()
        .forEachRemaining(
            field ->
                fields.put(
                    field.getKey(),
                    field.getValue().isValueNode()
                        ? field.getValue().asText()
                        : field.getValue().toString()));
    return fields;
  }

  private Answer create(Call call) {
    ObjectNode record;
    try {
      record = fields(call);
    } catch (ApiError e) {
      return error(400, "Invalid request", e.getMessage());
    }
    Store.ServiceNowAccount account = store.serviceNow;
    String now = TIME.format(store.clock().instant());
    String sysId = UUID.randomUUID().toString().replace("-", "");
    record.put("sys_id", sysId);
    record.put("number", String.format("INC%07d", account.nextNumber++));
    if (!record.hasNonNull("state")) {
      record.put("state", "1");
    }
    String shortDescription = record.path("short_description").asText("");
    if (shortDescription.length() > SHORT_DESCRIPTION_LENGTH) {
      record.put("short_description", shortDescription.substring(0, SHORT_DESCRIPTION_LENGTH));
    }
    record.put("active", "true");
    record.put("opened_at", now);
    record.put("sys_created_on", now);
    record.put("sys_updated_on", now);
    account.incidents.put(sysId, record);
    Answer answer = result(201, record);
    return new Answer(
        201,
        Map.of("Location", call.baseUrl() + "/api/now/table/incident/" + sysId),
        answer.body());
  }

  private Answer update(Call call, ObjectNode record) {
    ObjectNode changes;
    try {
      changes = fields(call);
    } catch (ApiError e) {
      return error(400, "Invalid request", e.getMessage());
    }
    String state = changes.path("state").asText(record.path("state").asText());
    if (state.equals("6") || state.equals("7")) {
      boolean hasCode =
          !changes.path("close_code").asText(record.path("close_code").asText("")).isBlank();
      boolean hasNotes =
          !changes.path("close_notes").asText(record.path("close_notes").asText("")).isBlank();
      if (!hasCode || !hasNotes) {
        return error(
            403,
            "Operation Failed",
            "Data Policy Exception: the following fields are mandatory: Resolution code, Resolution notes");
      }
    }
    record.setAll(changes);
    if (state.equals("6") || state.equals("7")) {
      record.put("resolved_at", TIME.format(store.clock().instant()));
      record.put("active", "false");
    }
    record.put("sys_updated_on", TIME.format(store.clock().instant()));
    return result(200, record);
  }

  private Answer list(Call call) {
    return list(call, store.serviceNow.incidents.values());
  }

  private static Answer list(Call call, java.util.Collection<ObjectNode> records) {
    String query = call.query().getOrDefault("sysparm_query", "");
    int limit = SentinelApi.integer(call.query().get("sysparm_limit"), 10000, "sysparm_limit");
    int offset = SentinelApi.integer(call.query().get("sysparm_offset"), 0, "sysparm_offset");
    List<ObjectNode> matching = new ArrayList<>();
    Predicate<JsonNode> filter = EncodedQueries.parse(query);
    for (ObjectNode record : records) {
      if (filter.test(record)) {
        matching.add(record);
      }
    }
    Comparator<JsonNode> order = EncodedQueries.order(query);
    if (order != null) {
      matching.sort(order);
    }
    ObjectNode body = Store.MAPPER.createObjectNode();
    ArrayNode result = body.putArray("result");
    String fields = call.query().get("sysparm_fields");
    matching.stream()
        .skip(offset)
        .limit(limit)
        .forEach(record -> result.add(select(record, fields)));
    return new Answer(200, Map.of("X-Total-Count", Integer.toString(matching.size())), body);
  }

  private static JsonNode select(ObjectNode record, String fields) {
    if (fields == null || fields.isBlank()) {
      return record.deepCopy();
    }
    ObjectNode selected = Store.MAPPER.createObjectNode();
    for (String field : fields.split(",")) {
      if (record.has(field.trim())) {
        selected.set(field.trim(), record.get(field.trim()));
      }
    }
    return selected;
  }

  /**
   * The subset of encoded-query syntax used here: {@code ^}, {@code ^OR}, {@code ^NQ}, and a few
   * operators.
   */
  static final class EncodedQueries {
    private static final Pattern CONDITION =
        Pattern.compile(
            "^([a-z_][a-z0-9_.]*)(!=|=|LIKE|STARTSWITH|ISNOTEMPTY|ISEMPTY|IN)(.*)$",
            Pattern.DOTALL);

    private EncodedQueries() {}

    static Predicate<JsonNode> parse(String query) {
      Predicate<JsonNode> any = record -> false;
      boolean empty = true;
      for (String group : query.split("\\^NQ", -1)) {
        Predicate<JsonNode> all = record -> true;
        for (String term : group.split("\\^(?!OR)", -1)) {
          if (term.isEmpty() || term.startsWith("ORDERBY") || term.equals("EQ")) {
            continue;
          }
          Predicate<JsonNode> either = record -> false;
          for (String alternative : term.split("\\^OR", -1)) {
            either = either.or(condition(alternative));
          }
          all = all.and(either);
        }
        any = any.or(all);
        empty = false;
      }
      return empty ? record -> true : any;
    }

    private static Predicate<JsonNode> condition(String text) {
      Matcher m = CONDITION.matcher(text);
      if (!m.matches()) {
        return record -> false;
      }
      String field = m.group(1);
      String operator = m.group(2);
      String value = m.group(3);
      return record -> {
        String actual = record.path(field).asText("");
        switch (operator) {
          case "=":
            return actual.equals(value);
          case "!=":
            return !actual.equals(value);
          case "LIKE":
            return actual.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT));
          case "STARTSWITH":
            return actual.startsWith(value);
          case "ISEMPTY":
            return actual.isEmpty();
          case "IN":
            return List.of(value.split(",", -1)).contains(actual);
          default:
            return !actual.isEmpty();
        }
      };
    }

    static Comparator<JsonNode> order(String query) {
      for (String term : query.split("\\^")) {
        if (term.startsWith("ORDERBYDESC")) {
          String field = term.substring("ORDERBYDESC".length());
          return Comparator.comparing((JsonNode r) -> r.path(field).asText("")).reversed();
        }
        if (term.startsWith("ORDERBY")) {
          String field = term.substring("ORDERBY".length());
          return Comparator.comparing((JsonNode r) -> r.path(field).asText(""));
        }
      }
      return null;
    }
  }
}
