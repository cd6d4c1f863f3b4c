package org.sentinelplaybooks.playbooks.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.sentinel.IncidentId;

/**
 * A playbook's input: the Sentinel incident trigger body or {@code {"incidentId": "<ARM id>"}},
 * plus the playbook's options as top-level fields. Only the incident id is taken from the payload;
 * everything the playbook acts on is read again from Sentinel.
 */
public final class PlaybookRequest {
  static final String INCIDENT_ID = "incidentId";
  static final String DRY_RUN = "dryRun";

  /** Content after the JSON value makes the whole body malformed, not an ignorable suffix. */
  private static final ObjectReader STRICT_READER =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ObjectNode body;

  private PlaybookRequest(ObjectNode body) {
    this.body = body;
  }

  public static PlaybookRequest parse(String text) {
    if (text == null || text.isBlank()) {
      throw new BadInputException(
          null,
          "the body is empty; send the incident trigger body or {\"incidentId\": \"<incident ARM id>\"}");
    }
    JsonNode node;
    try {
      node = STRICT_READER.readTree(text);
    } catch (StreamConstraintsException e) {
      StreamReadConstraints limits = Json.MAPPER.getFactory().streamReadConstraints();
      throw new BadInputException(
          null,
          "the body goes beyond what is read as JSON: at most "
              + limits.getMaxNestingDepth()
              + " levels of nesting, "
              + limits.getMaxNumberLength()
              + " digits in a number, "
              + limits.getMaxNameLength()
              + " characters in a field name and "
              + limits.getMaxStringLength()
              + " in a string");
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      throw new BadInputException(
          null,
          "the body is not valid JSON"
              + (where == null
                  ? ""
                  : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
    }
    return of(node);
  }

  public static PlaybookRequest of(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new BadInputException(null, "the body must be a JSON object");
    }
    return new PlaybookRequest((ObjectNode) node.deepCopy());
  }

  /** The incident, from the trigger body's {@code object.id} or from {@code incidentId}. */
  public IncidentId incidentId() {
    JsonNode object = body.get("object");
    if (object != null) {
      String schema = Json.text(body, "objectSchemaType");
      if (schema != null && !schema.equalsIgnoreCase("Incident")) {
        throw new BadInputException(
            "objectSchemaType", "is '" + schema + "'; the playbooks take an Incident");
      }
      if (!object.isObject()) {
        throw new BadInputException("object", "must be the incident object of the trigger body");
      }
      return parseIncidentId("object.id", object.get("id"));
    }
    if (body.has(INCIDENT_ID)) {
      return parseIncidentId(INCIDENT_ID, body.get(INCIDENT_ID));
    }
    throw new BadInputException(
        INCIDENT_ID,
        "missing; send the Sentinel incident trigger body (object.id) or {\"incidentId\": \"<incident ARM id>\"}");
  }

  /** The field the incident id was taken from, for error messages. */
  public String incidentIdField() {
    return body.has("object") ? "object.id" : INCIDENT_ID;
  }

  private static IncidentId parseIncidentId(String field, JsonNode value) {
    if (value == null || !value.isTextual()) {
      throw new BadInputException(field, "must be the incident's ARM id as a string");
    }
    try {
      return IncidentId.parse(value.asText());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(field, e.getMessage());
    }
  }

  /** An optional string option; present but not a string is bad input. */
  public Optional<String> text(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new BadInputException(field, "must be a string");
    }
    return PlaybookOptions.given(value.asText());
  }

  /** An optional boolean option; present but not a boolean is bad input. */
  public Optional<Boolean> bool(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw new BadInputException(field, "must be true or false");
    }
    return Optional.of(value.asBoolean());
  }

  /** A field as given, or null when absent or null. */
  public JsonNode node(String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : value.deepCopy();
  }

  public boolean dryRunRequested() {
    return bool(DRY_RUN).orElse(false);
  }
}
