package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** What a route answers: a status, extra headers and a JSON body (null for none). */
public record Answer(int status, Map<String, String> headers, JsonNode body) {
  public static Answer json(int status, JsonNode body) {
    return new Answer(status, Map.of(), body);
  }

  public static Answer noContent() {
    return new Answer(204, Map.of(), null);
  }
}
