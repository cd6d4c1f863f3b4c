package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of OData {@code $filter} the Sentinel incident list takes here: {@code
 * properties/<field> eq|ne|gt|ge|lt|le <value>}, combined with {@code and} / {@code or} and
 * parentheses. Dates compare as instants, numbers as numbers, text case-insensitively.
 */
final class ODataFilter {
  private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|'(?:[^']|'')*'|[^\\s()]+)");

  private final List<String> tokens = new ArrayList<>();
  private int position;

  private ODataFilter(String text) {
    Matcher m = TOKEN.matcher(text);
    int end = 0;
    while (m.find() && m.start() == end) {
      tokens.add(m.group(1));
      end = m.end();
    }
    if (!text.substring(end).isBlank()) {
      throw ApiError.badRequest("Invalid $filter near '" + text.substring(end).trim() + "'.");
    }
  }

  static Predicate<JsonNode> parse(String text) {
    if (text == null || text.isBlank()) {
      return incident -> true;
    }
    ODataFilter parser = new ODataFilter(text);
    Predicate<JsonNode> predicate = parser.or();
    if (parser.position != parser.tokens.size()) {
      throw ApiError.badRequest(
          "Invalid $filter: unexpected '" + parser.tokens.get(parser.position) + "'.");
    }
    return predicate;
  }

  private Predicate<JsonNode> or() {
    Predicate<JsonNode> left = and();
    while (peek("or")) {
      position++;
      left = left.or(and());
    }
    return left;
  }

  private Predicate<JsonNode> and() {
    Predicate<JsonNode> left = term();
    while (peek("and")) {
      position++;
      left = left.and(term());
    }
    return left;
  }

  private Predicate<JsonNode> term() {
    if (peek("(")) {
      position++;
      Predicate<JsonNode> inner = or();
      expect(")");
      return inner;
    }
    String field = next();
    String operator = next().toLowerCase(Locale.ROOT);
    String value = next();
    if (!field.toLowerCase(Locale.ROOT).startsWith("properties/")) {
      throw ApiError.badRequest("Invalid $filter: '" + field + "' is not a property path.");
    }
    String name = field.substring("properties/".length());
    if (!List.of("eq", "ne", "gt", "ge", "lt", "le").contains(operator)) {
      throw ApiError.badRequest("Invalid $filter: unknown operator '" + operator + "'.");
    }
    String literal =
        value.startsWith("'") ? value.substring(1, value.length() - 1).replace("''", "'") : value;
    return incident -> compare(incident.path("properties").path(name), literal, operator);
  }

  private static boolean compare(JsonNode actual, String literal, String operator) {
    if (actual.isMissingNode() || actual.isNull()) {
      return operator.equals("ne");
    }
    int order;
    Instant instant = instant(literal);
    if (instant != null && instant(actual.asText()) != null) {
      order = instant(actual.asText()).compareTo(instant);
    } else if (actual.isNumber()) {
      try {
        order = Double.compare(actual.asDouble(), Double.parseDouble(literal));
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("Invalid $filter: '" + literal + "' is not a number.");
      }
    } else {
      order = actual.asText().compareToIgnoreCase(literal);
    }
    switch (operator) {
      case "eq":
        return order == 0;
      case "ne":
        return order != 0;
      case "gt":
        return order > 0;
      case "ge":
        return order >= 0;
      case "lt":
        return order < 0;
      default:
        return order <= 0;
    }
  }

  private static Instant instant(String text) {
    if (text.length() < 10 || !Character.isDigit(text.charAt(0)) || !text.contains("T")) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (RuntimeException e) {
      try {
        return Instant.parse(text);
      } catch (RuntimeException again) {
        return null;
      }
    }
  }

  private boolean peek(String token) {
    return position < tokens.size() && tokens.get(position).equalsIgnoreCase(token);
  }

  private String next() {
    if (position >= tokens.size()) {
      throw ApiError.badRequest("Invalid $filter: it ends too early.");
    }
    return tokens.get(position++);
  }

  private void expect(String token) {
    if (!peek(token)) {
      throw ApiError.badRequest("Invalid $filter: expected '" + token + "'.");
    }
    position++;
  }
}
