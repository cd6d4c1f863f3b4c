package org.sentinelplaybooks.clients;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;

/**
 * The clients' JSON: the one mapper of the services' bodies, and small functions for reading
 * optional fields. For the clients' own use only: no public client method takes or returns a tree,
 * and the mapper itself is not handed out, so nobody can reconfigure it under the clients.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** The text at a field, or null when it is absent, null or not text. */
  public static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
  }

  public static JsonNode read(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  /** A value of this type, read from the stream (for azure-core's serializer). */
  public static <T> T read(InputStream stream, Type type) throws IOException {
    return MAPPER.readValue(stream, MAPPER.constructType(type));
  }

  /** The value written to the stream (for azure-core's serializer). */
  public static void write(OutputStream stream, Object value) throws IOException {
    MAPPER.writeValue(stream, value);
  }
}
