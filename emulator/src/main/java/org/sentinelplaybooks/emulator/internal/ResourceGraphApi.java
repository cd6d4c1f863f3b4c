package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure Resource Graph queries over the {@code securityresources} table, which holds the Defender
 * for Cloud alerts. Only a small KQL subset is understood (see {@link #QUERY_SUBSET}); anything
 * else is a 400 that names the clause. Pages are sorted, and a {@code $skipToken} resumes after the
 * last row it was handed out with, so rows added or removed meanwhile do not shift the pages.
 *
 * <p>An alert's row carries its {@code properties} with PascalCase names ({@code Status}, {@code
 * Severity}, {@code AlertDisplayName}, {@code SystemAlertId}, {@code
 * ResourceIdentifiers[].AzureResourceId}, ...), unlike the camelCase of the alerts REST API: see
 * the Learn sample "Display all active Microsoft Defender for Cloud alerts"
 * (MicrosoftDocs/azure-docs includes/resource-graph/samples/bycat/microsoft-defender.md) and
 * Azure/Microsoft-Defender-for-Cloud Workbooks/Continuous Cloud Security Optimization
 * Dashboard/KQLqueries.md. Property access on a dynamic column is case-sensitive, so {@code
 * tostring(properties.status)} is empty on such a row; {@code coalesce} returns its first non-empty
 * string (learn.microsoft.com/kusto/query/coalesce-function).
 */
public final class ResourceGraphApi {
  /** The stable versions (contracts: resourcegraph/resources_query.json, apiVersions). */
  public static final Set<String> API_VERSIONS = Set.of("2021-03-01", "2022-10-01", "2024-04-01");

  public static final Pattern PATH =
      Pattern.compile(
          "^/providers/Microsoft\\.ResourceGraph/resources/?$", Pattern.CASE_INSENSITIVE);
  public static final String QUERY_SUBSET =
      "securityresources | where type =~ '...' | where name in~ (...) |"
          + " where tostring(properties.Status) in~ (...) | project id, name, alias ="
          + " tostring(properties.X), alias = coalesce(tostring(properties.X),"
          + " tostring(properties.x)), ... | order by id|name asc|desc";
  static final int MAX_TOP = 1000;
  static final int MAX_COALESCE = 64;

  private static final String LITERAL = "(?:'[^']*'|\"[^\"]*\")";
  private static final Pattern WHERE_TYPE =
      Pattern.compile("(?is)^where\\s+type\\s*(=~|==)\\s*(" + LITERAL + ")$");
  private static final Pattern WHERE_IN =
      Pattern.compile("(?is)^where\\s+(.+?)\\s+(in~|in)\\s*\\((.*)\\)$");
  private static final Pattern PROJECT = Pattern.compile("(?is)^project\\s+(.+)$");
  private static final Pattern ALIASED = Pattern.compile("(?s)^([A-Za-z_][A-Za-z0-9_]*)\\s*=(.+)$");
  private static final Pattern TOSTRING =
      Pattern.compile("(?s)^tostring\\s*\\(\\s*properties\\.([A-Za-z0-9_.]+)\\s*\\)$");
  private static final Pattern COALESCE = Pattern.compile("(?s)^coalesce\\s*\\((.*)\\)$");

  /** The row's own columns; KQL column names are case-sensitive too. */
  private static final Set<String> COLUMNS =
      Set.of("id", "name", "type", "location", "resourceGroup", "subscriptionId", "properties");

  private static final Pattern ORDER =
      Pattern.compile("(?is)^(?:order|sort)\\s+by\\s+(id|name)(?:\\s+(asc|desc))?$");
  private static final Pattern NEXT_LITERAL = Pattern.compile("\\s*(" + LITERAL + ")\\s*(,|$)");
  private static final Pattern ALERT_ID =
      Pattern.compile(
          "^/subscriptions/([^/]+)(?:/resourceGroups/([^/]+))?/providers/Microsoft\\.Security"
              + "/locations/([^/]+)/alerts/([^/]+)$",
          Pattern.CASE_INSENSITIVE);

  private final Store store;

  public ResourceGraphApi(Store store) {
    this.store = store;
  }

  /**
   * A parsed query: filters on the rows, the sort, and the projected columns (or null). Filters
   * that read no property are tried before an alert's properties are copied into its row, so a
   * query that names its alerts costs a copy of those alerts only, not of every alert held.
   */
  private record Query(
      List<Filter> filters,
      Comparator<ObjectNode> order,
      String orderColumn,
      Map<String, Function<ObjectNode, JsonNode>> projection) {
    boolean matches(ObjectNode row, boolean withProperties) {
      return filters.stream()
          .filter(f -> f.readsProperties() == withProperties)
          .allMatch(f -> f.test().test(row));
    }
  }

  /** One {@code where} clause, and whether it reads the row's {@code properties}. */
  private record Filter(Predicate<ObjectNode> test, boolean readsProperties) {}

  public Answer handle(Call call) {
    if (!call.method().equals("POST")) {
      throw new ApiError(
          405, "MethodNotAllowed", "The method " + call.method() + " is not allowed here.");
    }
    JsonNode body = call.json();
    Set<String> subscriptions = new LinkedHashSet<>();
    for (JsonNode subscription : body.path("subscriptions")) {
      if (!subscription.isTextual() || subscription.asText().isBlank()) {
        throw ApiError.badRequest("subscriptions must be a list of subscription ids.");
      }
      subscriptions.add(subscription.asText().toLowerCase(Locale.ROOT));
    }
    if (subscriptions.isEmpty()) {
      throw ApiError.badRequest("At least one subscription is required in 'subscriptions'.");
    }
    if (!body.path("query").isTextual() || body.path("query").asText().isBlank()) {
      throw ApiError.badRequest("The 'query' is required.");
    }
    Query query;
    try {
      query = parse(body.path("query").asText());
    } catch (ApiError e) {
      return invalidQuery(e.getMessage());
    }
    JsonNode options = body.path("options");
    int top = MAX_TOP;
    if (options.has("$top")) {
      if (!options.get("$top").canConvertToInt() || !options.get("$top").isIntegralNumber()) {
        throw ApiError.badRequest("options.$top must be a whole number.");
      }
      top = options.get("$top").asInt();
      if (top < 1 || top > MAX_TOP) {
        throw ApiError.badRequest("options.$top must be between 1 and " + MAX_TOP + ".");
      }
    }
    String skipToken =
        options.path("$skipToken").isTextual() ? options.get("$skipToken").asText() : null;

    List<ObjectNode> rows = new ArrayList<>();
    synchronized (store) {
      for (ObjectNode alert : store.mdcAlerts.values()) {
        ObjectNode row = columns(alert);
        if (row != null
            && subscriptions.contains(row.path("subscriptionId").asText().toLowerCase(Locale.ROOT))
            && query.matches(row, false)) {
          row.set("properties", pascalCase(alert.path("properties")));
          if (query.matches(row, true)) {
            rows.add(row);
          }
        }
      }
    }
    rows.sort(query.order());
    int start = 0;
    if (skipToken != null && !skipToken.isEmpty()) {
      ObjectNode last = decode(skipToken);
      while (start < rows.size() && query.order().compare(rows.get(start), last) <= 0) {
        start++;
      }
    }
    List<ObjectNode> page = rows.subList(start, Math.min(rows.size(), start + top));
    ObjectNode answer = Store.MAPPER.createObjectNode();
    answer.put("totalRecords", rows.size());
    answer.put("count", page.size());
    answer.put("resultTruncated", "false");
    if (start + page.size() < rows.size()) {
      answer.put("$skipToken", encode(page.get(page.size() - 1), query.orderColumn()));
    }
    answer.putArray("facets");
    ArrayNode data = answer.putArray("data");
    page.forEach(row -> data.add(project(row, query.projection())));
    return Answer.json(200, answer);
  }

  /** The row Resource Graph holds for an alert: the resource plus where it lives. */
  /** The alert's row as Resource Graph holds it, but for its {@code properties}. */
  private static ObjectNode columns(ObjectNode alert) {
    Matcher id = ALERT_ID.matcher(alert.path("id").asText());
    if (!id.matches()) {
      return null;
    }
    ObjectNode row = Store.MAPPER.createObjectNode();
    row.put("id", alert.path("id").asText());
    row.put("name", alert.path("name").asText(id.group(4)));
    row.put("type", alert.path("type").asText().toLowerCase(Locale.ROOT));
    row.put("tenantId", "");
    row.put("kind", "");
    row.put("location", id.group(3).toLowerCase(Locale.ROOT));
    row.put("resourceGroup", id.group(2) == null ? "" : id.group(2).toLowerCase(Locale.ROOT));
    row.put("subscriptionId", id.group(1));
    return row;
  }

  /**
   * The alert's properties as Resource Graph holds them: every name, at every depth, with its first
   * letter upper-case ({@code alertDisplayName} becomes {@code AlertDisplayName}); values as they
   * are.
   */
  private static JsonNode pascalCase(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = Store.MAPPER.createObjectNode();
      node.fields()
          .forEachRemaining(
              field -> {
                String name = field.getKey();
                String upper =
                    name.isEmpty()
                        ? name
                        : Character.toUpperCase(name.charAt(0)) + name.substring(1);
                copy.set(upper, pascalCase(field.getValue()));
              });
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = Store.MAPPER.createArrayNode();
      node.forEach(item -> copy.add(pascalCase(item)));
      return copy;
    }
    return node.deepCopy();
  }

  private static Query parse(String text) {
    String[] clauses = text.split("\\|");
    if (!clauses[0].trim().equalsIgnoreCase("securityresources")) {
      throw ApiError.badRequest(
          "Unsupported query: it must start with the table 'securityresources', not '"
              + clauses[0].trim()
              + "'. Supported: "
              + QUERY_SUBSET);
    }
    List<Filter> filters = new ArrayList<>();
    Comparator<ObjectNode> order = null;
    String orderColumn = "id";
    Map<String, Function<ObjectNode, JsonNode>> projection = null;
    for (int i = 1; i < clauses.length; i++) {
      String clause = clauses[i].trim().replaceAll("\\s+", " ");
      Matcher m;
      if ((m = WHERE_TYPE.matcher(clause)).matches() && projection == null) {
        String type = unquote(m.group(2));
        boolean caseless = m.group(1).equals("=~");
        filters.add(
            new Filter(
                row -> {
                  String value = row.path("type").asText();
                  return caseless ? value.equalsIgnoreCase(type) : value.equals(type);
                },
                false));
      } else if ((m = WHERE_IN.matcher(clause)).matches() && projection == null) {
        Function<ObjectNode, String> value = expression(m.group(1), clause);
        boolean caseless = m.group(2).equals("in~");
        Set<String> values = new HashSet<>();
        for (String literal : literals(m.group(3), clause)) {
          values.add(caseless ? literal.toLowerCase(Locale.ROOT) : literal);
        }
        boolean readsProperties = m.group(1).contains("properties");
        filters.add(
            new Filter(
                row -> {
                  String actual = value.apply(row);
                  return values.contains(caseless ? actual.toLowerCase(Locale.ROOT) : actual);
                },
                readsProperties));
      } else if ((m = ORDER.matcher(clause)).matches()) {
        orderColumn = m.group(1).toLowerCase(Locale.ROOT);
        if (projection != null && !projection.containsKey(orderColumn)) {
          throw ApiError.badRequest(
              "Unsupported query: '" + clause + "' sorts by a column the projection dropped.");
        }
        // KQL sorts descending unless told otherwise.
        boolean ascending = m.group(2) != null && m.group(2).equalsIgnoreCase("asc");
        String sortColumn = orderColumn;
        Comparator<ObjectNode> byColumn =
            Comparator.comparing(row -> row.path(sortColumn).asText().toLowerCase(Locale.ROOT));
        Comparator<ObjectNode> byId =
            Comparator.comparing(row -> row.path("id").asText().toLowerCase(Locale.ROOT));
        order =
            ascending
                ? byColumn.thenComparing(byId)
                : byColumn.reversed().thenComparing(byId.reversed());
      } else if ((m = PROJECT.matcher(clause)).matches() && projection == null) {
        projection = new LinkedHashMap<>();
        for (String item : arguments(m.group(1), clause)) {
          Matcher aliased = ALIASED.matcher(item);
          if (aliased.matches()) {
            Function<ObjectNode, String> value = expression(aliased.group(2), clause);
            projection.put(aliased.group(1), row -> TextNode.valueOf(value.apply(row)));
          } else if (COLUMNS.contains(item)) {
            projection.put(item, row -> row.path(item).deepCopy());
          } else {
            throw ApiError.badRequest(
                "Unsupported query: the projected column '"
                    + item
                    + "' in '"
                    + clause
                    + "'. Supported: "
                    + QUERY_SUBSET);
          }
        }
      } else {
        throw ApiError.badRequest(
            "Unsupported query clause '" + clause + "'. Supported: " + QUERY_SUBSET);
      }
    }
    if (order == null) {
      order = Comparator.comparing(row -> row.path("id").asText().toLowerCase(Locale.ROOT));
      orderColumn = "id";
    }
    return new Query(filters, order, orderColumn, projection);
  }

  /**
   * A string expression of the subset: one of the row's columns, {@code tostring(properties.A.B)}
   * (empty when the property is absent: names are matched exactly, as KQL does), or {@code
   * coalesce(...)} of those (the first that is not empty).
   */
  private static Function<ObjectNode, String> expression(String text, String clause) {
    String expression = text.trim();
    Matcher m;
    if ((m = TOSTRING.matcher(expression)).matches()
        && Arrays.stream(m.group(1).split("\\.", -1)).noneMatch(String::isEmpty)) {
      String[] path = m.group(1).split("\\.");
      return row -> {
        JsonNode value = row.path("properties");
        for (String part : path) {
          value = value.path(part);
        }
        if (value.isMissingNode() || value.isNull()) {
          return "";
        }
        return value.isValueNode() ? value.asText() : value.toString();
      };
    }
    if ((m = COALESCE.matcher(expression)).matches()) {
      List<Function<ObjectNode, String>> choices = new ArrayList<>();
      for (String argument : arguments(m.group(1), clause)) {
        choices.add(expression(argument, clause));
      }
      if (choices.size() < 2 || choices.size() > MAX_COALESCE) {
        throw ApiError.badRequest(
            "Unsupported query clause '"
                + clause
                + "': coalesce takes 2 to "
                + MAX_COALESCE
                + " arguments.");
      }
      return row -> {
        for (Function<ObjectNode, String> choice : choices) {
          String value = choice.apply(row);
          if (!value.isEmpty()) {
            return value;
          }
        }
        return "";
      };
    }
    if (COLUMNS.contains(expression) && !expression.equals("properties")) {
      return row -> row.path(expression).asText("");
    }
    throw ApiError.badRequest(
        "Unsupported expression '"
            + expression
            + "' in '"
            + clause
            + "'. Supported: "
            + QUERY_SUBSET);
  }

  /** A comma-separated list split at the commas outside parentheses and quotes, each trimmed. */
  private static List<String> arguments(String list, String clause) {
    List<String> items = new ArrayList<>();
    int depth = 0;
    char quote = 0;
    int start = 0;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        items.add(list.substring(start, i).trim());
        start = i + 1;
      }
      if (depth < 0) {
        break;
      }
    }
    if (depth != 0 || quote != 0) {
      throw ApiError.badRequest(
          "Unsupported query clause '" + clause + "': unbalanced parentheses or quotes.");
    }
    items.add(list.substring(start).trim());
    return items;
  }

  /** The string literals of an {@code in} list: quoted, comma-separated, at least one. */
  private static List<String> literals(String list, String clause) {
    List<String> values = new ArrayList<>();
    Matcher literal = NEXT_LITERAL.matcher(list);
    int at = 0;
    while (at < list.length()) {
      literal.region(at, list.length());
      if (!literal.lookingAt()) {
        throw ApiError.badRequest(
            "Unsupported query clause '" + clause + "': the list must hold quoted strings.");
      }
      values.add(unquote(literal.group(1)));
      at = literal.end();
      if (literal.group(2).isEmpty()) {
        break;
      }
    }
    if (values.isEmpty()) {
      throw ApiError.badRequest("Unsupported query clause '" + clause + "': the list is empty.");
    }
    return values;
  }

  private static String unquote(String literal) {
    return literal.substring(1, literal.length() - 1);
  }

  private static ObjectNode project(
      ObjectNode row, Map<String, Function<ObjectNode, JsonNode>> projection) {
    if (projection == null) {
      return row;
    }
    ObjectNode projected = Store.MAPPER.createObjectNode();
    projection.forEach((name, value) -> projected.set(name, value.apply(row)));
    return projected;
  }

  /** The token holds the sort key and id of the page's last row, so the next page starts after. */
  private static String encode(ObjectNode last, String orderColumn) {
    ObjectNode token = Store.MAPPER.createObjectNode();
    token.put("id", last.path("id").asText());
    token.put(orderColumn, last.path(orderColumn).asText());
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(token.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectNode decode(String skipToken) {
    try {
      JsonNode token =
          Store.MAPPER.readTree(
              new String(Base64.getUrlDecoder().decode(skipToken), StandardCharsets.UTF_8));
      if (token == null || !token.isObject() || !token.path("id").isTextual()) {
        throw new IllegalArgumentException("not a token");
      }
      return (ObjectNode) token;
    } catch (IllegalArgumentException | JsonProcessingException e) {
      throw ApiError.badRequest("options.$skipToken is not a token this service handed out.");
    }
  }

  /**
   * A query the service cannot run: 400 BadRequest whose details name InvalidQuery, as Resource
   * Graph's ErrorResponse carries them (resourcegraph.json 2024-04-01; the contract's
   * invalidQueryExample).
   */
  private static Answer invalidQuery(String message) {
    ObjectNode body = Store.MAPPER.createObjectNode();
    ObjectNode error = body.putObject("error").put("code", "BadRequest").put("message", message);
    error.putArray("details").addObject().put("code", "InvalidQuery").put("message", message);
    return Answer.json(400, body);
  }
}
