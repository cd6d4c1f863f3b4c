package org.sentinelplaybooks.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The state the emulator starts from, a JSON object with any of these keys:
 *
 * <ul>
 *   <li>{@code "sentinel": {"incidents": [{id, name, properties, alerts[], entities[],
 *       comments[]}]}}
 *   <li>{@code "defenderForCloud": {"alerts": [alert resources]}}
 *   <li>{@code "entra": {"users": [...], "groups": [{id, members[]}], "riskyUsers": [...],
 *       "namedLocations": [ipNamedLocation]}}
 *   <li>{@code "serviceNow": {"incidents": [records with sys_id]}}
 *   <li>{@code "network": {"networkSecurityGroups": [NSG resources with properties.securityRules],
 *       "ipGroups": [IP Group resources]}}
 *   <li>{@code "defenderForEndpoint": {"indicators": [indicators]}}
 * </ul>
 *
 * Read-only fields a resource lacks (etag, type, provisioningState, times, ids) are filled in.
 */
public final class Scenario {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final ObjectNode root;

  private Scenario(ObjectNode root) {
    this.root = root;
  }

  public static Scenario empty() {
    return new Scenario(MAPPER.createObjectNode());
  }

  public static Scenario fromJson(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("a scenario is a JSON object");
      }
      return new Scenario((ObjectNode) node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the scenario is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static Scenario fromResource(String classpathResource) {
    try (InputStream in = Scenario.class.getResourceAsStream(classpathResource)) {
      if (in == null) {
        throw new IllegalArgumentException("no scenario resource " + classpathResource);
      }
      return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A scenario shipped with the emulator, e.g. {@code attack}. */
  public static Scenario builtIn(String name) {
    if (!name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("'" + name + "' is not a built-in scenario name");
    }
    return fromResource("/scenarios/" + name + ".json");
  }

  ObjectNode root() {
    return root.deepCopy();
  }
}
