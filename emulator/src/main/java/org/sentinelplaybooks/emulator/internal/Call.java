package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** A request as the routes see it. */
public record Call(
    String method,
    String path,
    Map<String, String> query,
    Map<String, List<String>> headers,
    String body,
    String baseUrl) {
  static final ObjectMapper MAPPER = new ObjectMapper();

  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public JsonNode json() {
    if (body == null || body.isBlank()) {
      throw ApiError.badRequest("The request body is required.");
    }
    try {
      return MAPPER.readTree(body);
    } catch (Exception e) {
      throw new ApiError(
          400,
          "InvalidRequestContent",
          "The request content was invalid and could not be deserialized.");
    }
  }
}
