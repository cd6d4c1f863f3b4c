package org.sentinelplaybooks.clients.defender;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sentinelplaybooks.clients.Json;

/**
 * A Defender for Cloud alert as ARM returns it.
 *
 * @param entityValues the alert's own IP addresses, host names and Azure resource ids, keyed by the
 *     suppression-rule field that matches them ({@link ScopeCondition#IP_ADDRESS}, ...)
 */
public record MdcAlert(
    MdcAlertId id,
    String displayName,
    String severity,
    String status,
    String alertType,
    Map<String, List<String>> entityValues) {

  /**
   * Entity type and property for each scope field: {@code properties.entities[]} items are {type,
   * ...} (the alerts example of 2022-01-01 has {"type": "ip", "address": ...}); the field names say
   * entities.{type}.{property}, lower-cased.
   */
  private static final Map<String, String[]> ENTITY_FIELDS =
      Map.of(
          ScopeCondition.IP_ADDRESS, new String[] {"ip", "address"},
          ScopeCondition.HOST_NAME, new String[] {"host", "hostName"},
          ScopeCondition.AZURE_RESOURCE_ID, new String[] {"azure-resource", "resourceId"});

  public MdcAlert {
    entityValues = entityValues == null ? Map.of() : Map.copyOf(entityValues);
  }

  static MdcAlert fromJson(JsonNode resource) {
    JsonNode p = resource.path("properties");
    return new MdcAlert(
        MdcAlertId.parse(Json.text(resource, "id")),
        Json.text(p, "alertDisplayName"),
        Json.text(p, "severity"),
        Json.text(p, "status"),
        Json.text(p, "alertType"),
        entityValues(p.path("entities")));
  }

  private static Map<String, List<String>> entityValues(JsonNode entities) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    ENTITY_FIELDS.forEach(
        (field, typeAndProperty) -> {
          Set<String> found = new LinkedHashSet<>();
          for (JsonNode entity : entities) {
            String type = Json.text(entity, "type");
            String value = Json.text(entity, typeAndProperty[1]);
            if (type != null
                && type.toLowerCase(Locale.ROOT).equals(typeAndProperty[0])
                && value != null
                && !value.isBlank()) {
              found.add(value.trim());
            }
          }
          if (!found.isEmpty()) {
            values.put(field, new ArrayList<>(found));
          }
        });
    return values;
  }

  /** Dismissed or Resolved: nothing more is expected of anyone. */
  public boolean isClosed() {
    return "Dismissed".equalsIgnoreCase(status) || "Resolved".equalsIgnoreCase(status);
  }
}
