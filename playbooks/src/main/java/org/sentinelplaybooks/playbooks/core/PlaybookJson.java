package org.sentinelplaybooks.playbooks.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The JSON this application reads and writes as its own: the playbooks' request bodies, queue
 * messages, results, events and the CLI's output. No service's API shape is built here: those stay
 * in the clients, behind their own mapper. The mapper itself is not handed out, so nobody can
 * reconfigure it under everyone else.
 */
public final class PlaybookJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private PlaybookJson() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  public static TextNode textNode(String value) {
    return TextNode.valueOf(value);
  }

  public static BooleanNode booleanNode(boolean value) {
    return BooleanNode.valueOf(value);
  }

  /** A value (a record, a list, a map) as a tree. */
  public static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  public static JsonNode read(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  public static String write(Object value) throws JsonProcessingException {
    return MAPPER.writeValueAsString(value);
  }

  /** Indented, for people to read. */
  public static String writePretty(Object value) throws JsonProcessingException {
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }

  /** A reader (immutable, so it may be configured further) of the mapper's settings. */
  static ObjectReader reader() {
    return MAPPER.reader();
  }

  /** How deep, long and large a document is read at most. */
  static StreamReadConstraints readLimits() {
    return MAPPER.getFactory().streamReadConstraints();
  }
}
