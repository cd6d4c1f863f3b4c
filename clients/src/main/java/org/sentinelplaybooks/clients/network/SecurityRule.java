package org.sentinelplaybooks.clients.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.clients.Json;

/** A security rule of an NSG: its name, etag and properties as ARM holds them. */
public record SecurityRule(String name, String etag, ObjectNode properties) {

  static SecurityRule fromJson(JsonNode rule) {
    JsonNode properties = rule.path("properties");
    return new SecurityRule(
        Json.text(rule, "name"),
        Json.text(rule, "etag"),
        properties.isObject() ? (ObjectNode) properties.deepCopy() : Json.object());
  }

  public int priority() {
    return properties.path("priority").asInt();
  }

  public String direction() {
    return Json.text(properties, "direction");
  }

  /** The source prefixes, from {@code sourceAddressPrefixes} or {@code sourceAddressPrefix}. */
  public List<String> sourcePrefixes() {
    List<String> prefixes = new ArrayList<>();
    properties.path("sourceAddressPrefixes").forEach(p -> prefixes.add(p.asText()));
    String single = Json.text(properties, "sourceAddressPrefix");
    if (prefixes.isEmpty() && single != null) {
      prefixes.add(single);
    }
    return prefixes;
  }
}
