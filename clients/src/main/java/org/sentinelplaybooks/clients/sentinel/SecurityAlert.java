package org.sentinelplaybooks.clients.sentinel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.clients.Json;

/** An alert of a Sentinel incident (an entity of kind SecurityAlert). */
public record SecurityAlert(
    String name,
    String systemAlertId,
    String displayName,
    String productName,
    String providerAlertId,
    String alertLink,
    String status,
    List<String> azureResourceIds) {

  public SecurityAlert {
    azureResourceIds = List.copyOf(azureResourceIds);
  }

  static SecurityAlert fromJson(JsonNode entity) {
    JsonNode p = entity.path("properties");
    List<String> resources = new ArrayList<>();
    for (JsonNode identifier : p.path("resourceIdentifiers")) {
      String resourceId = Json.text(identifier, "resourceId");
      if (resourceId == null) {
        resourceId = Json.text(identifier, "azureResourceId");
      }
      if (resourceId != null && "AzureResource".equalsIgnoreCase(Json.text(identifier, "type"))) {
        resources.add(resourceId);
      }
    }
    return new SecurityAlert(
        Json.text(entity, "name"),
        Json.text(p, "systemAlertId"),
        Json.text(p, "alertDisplayName"),
        Json.text(p, "productName"),
        Json.text(p, "providerAlertId"),
        Json.text(p, "alertLink"),
        Json.text(p, "status"),
        resources);
  }

  /** What is shown of the alert in results and comments. */
  public String label() {
    return displayName != null ? displayName : systemAlertId;
  }
}
