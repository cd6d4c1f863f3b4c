package org.sentinelplaybooks.playbooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The tests' own mapper, for the emulator's seeds and what the tests read back. */
public final class TestJson {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private TestJson() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
