package org.sentinelplaybooks.clients.sentinel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.clients.Json;

/**
 * A Sentinel incident as read from ARM, with its etag. The typed accessors cover what the playbooks
 * read; the full property bag is kept, inside this package, so that an update can send back every
 * writable property it does not change.
 */
public final class Incident {
  private final IncidentId id;
  private final String etag;
  private final ObjectNode properties;

  private Incident(IncidentId id, String etag, ObjectNode properties) {
    this.id = id;
    this.etag = etag;
    this.properties = properties.deepCopy();
  }

  static Incident fromJson(JsonNode resource) {
    JsonNode properties = resource.path("properties");
    return new Incident(
        IncidentId.parse(Json.text(resource, "id")),
        Json.text(resource, "etag"),
        properties.isObject() ? (ObjectNode) properties : Json.object());
  }

  public IncidentId id() {
    return id;
  }

  public String etag() {
    return etag;
  }

  public String title() {
    return Json.text(properties, "title");
  }

  public String description() {
    return Json.text(properties, "description");
  }

  public String severity() {
    return Json.text(properties, "severity");
  }

  public String status() {
    return Json.text(properties, "status");
  }

  public boolean isClosed() {
    return "Closed".equalsIgnoreCase(status());
  }

  public String classification() {
    return Json.text(properties, "classification");
  }

  public String classificationReason() {
    return Json.text(properties, "classificationReason");
  }

  public String classificationComment() {
    return Json.text(properties, "classificationComment");
  }

  public Long incidentNumber() {
    JsonNode number = properties.get("incidentNumber");
    return number == null || !number.canConvertToLong() ? null : number.asLong();
  }

  /** When Sentinel created the incident; null when it does not say. */
  public java.time.OffsetDateTime createdTime() {
    String created = Json.text(properties, "createdTimeUtc");
    return created == null ? null : java.time.OffsetDateTime.parse(created);
  }

  /**
   * The product that created the incident, e.g. {@code Azure Sentinel} or {@code Microsoft XDR}.
   */
  public String providerName() {
    return Json.text(properties, "providerName");
  }

  /** The incident's id in the product that created it (for Defender XDR, its incident id). */
  public String providerIncidentId() {
    return Json.text(properties, "providerIncidentId");
  }

  public String incidentUrl() {
    return Json.text(properties, "incidentUrl");
  }

  public String ownerObjectId() {
    return Json.text(properties.path("owner"), "objectId");
  }

  public String ownerDisplay() {
    JsonNode owner = properties.path("owner");
    for (String field : List.of("userPrincipalName", "email", "assignedTo", "objectId")) {
      String value = Json.text(owner, field);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  public List<String> labels() {
    List<String> labels = new ArrayList<>();
    for (JsonNode label : properties.path("labels")) {
      String name = Json.text(label, "labelName");
      if (name != null) {
        labels.add(name);
      }
    }
    return labels;
  }

  /**
   * A copy of the full property bag as ARM returned it, for an update to send back what it does not
   * change: the API's shape stays in this package.
   */
  ObjectNode properties() {
    return properties.deepCopy();
  }
}
