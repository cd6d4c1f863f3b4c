package org.sentinelplaybooks.clients.sentinel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sentinelplaybooks.clients.Json;

/** An entity of a Sentinel incident: kind (Ip, Account, Host, ...) and its properties. */
public record IncidentEntity(String kind, String name, ObjectNode properties) {

  public IncidentEntity {
    properties = properties.deepCopy();
  }

  @Override
  public ObjectNode properties() {
    return properties.deepCopy();
  }

  static IncidentEntity fromJson(JsonNode entity) {
    JsonNode properties = entity.path("properties");
    return new IncidentEntity(
        Json.text(entity, "kind"),
        Json.text(entity, "name"),
        properties.isObject() ? (ObjectNode) properties : Json.object());
  }

  public String property(String field) {
    return Json.text(properties, field);
  }
}
