package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The emulated services' state. Every method is called with the store's lock held. */
public final class Store {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** A Sentinel incident with what hangs off it. */
  public static final class IncidentRecord {
    public ObjectNode resource;
    public final List<ObjectNode> alerts = new ArrayList<>();
    public final List<ObjectNode> entities = new ArrayList<>();
    public final Map<String, ObjectNode> comments = new LinkedHashMap<>();
  }

  /** The ServiceNow instance: who may sign in, the tokens handed out, and the incident table. */
  public static final class ServiceNowAccount {
    public String username;
    public String password;
    public String clientId;
    public String clientSecret;
    public final java.util.Set<String> tokens = new java.util.HashSet<>();
    public final Map<String, ObjectNode> incidents = new LinkedHashMap<>();
    public long nextNumber = 10001;
  }

  /** The Entra ID tenant: users, groups, Identity Protection's risky users and its rate limit. */
  public static final class EntraTenant {
    public final Map<String, ObjectNode> users = new LinkedHashMap<>();
    public final Map<String, ObjectNode> groups = new LinkedHashMap<>();
    public final Map<String, ObjectNode> riskyUsers = new LinkedHashMap<>();
    public long lastIdentityProtectionCall;
    public int throttled;
  }

  public final Map<String, IncidentRecord> incidents = new LinkedHashMap<>();
  public final EntraTenant entra = new EntraTenant();
  public final ServiceNowAccount serviceNow = new ServiceNowAccount();
  public final Map<String, ObjectNode> mdcAlerts = new LinkedHashMap<>();
  public int mdcPageSize = 50;
  private long nextIncidentNumber = 1;

  public static String key(String armId) {
    String id = armId.toLowerCase(Locale.ROOT);
    return id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
  }

  public static String newEtag() {
    return "\"" + UUID.randomUUID() + "\"";
  }

  public void seed(JsonNode scenario) {
    for (JsonNode incident : scenario.path("sentinel").path("incidents")) {
      List<ObjectNode> alerts = objects(incident.path("alerts"));
      List<ObjectNode> entities = objects(incident.path("entities"));
      ObjectNode resource = ((ObjectNode) incident).deepCopy();
      resource.remove(List.of("alerts", "entities", "comments"));
      IncidentRecord record = putIncident(resource, alerts, entities);
      for (ObjectNode comment : objects(incident.path("comments"))) {
        record.comments.put(key(comment.path("name").asText()), comment);
      }
    }
    for (JsonNode alert : scenario.path("defenderForCloud").path("alerts")) {
      putMdcAlert(((ObjectNode) alert).deepCopy());
    }
    JsonNode entraSeed = scenario.path("entra");
    for (JsonNode user : entraSeed.path("users")) {
      entra.users.put(key(user.path("id").asText()), ((ObjectNode) user).deepCopy());
    }
    for (JsonNode group : entraSeed.path("groups")) {
      entra.groups.put(key(group.path("id").asText()), ((ObjectNode) group).deepCopy());
    }
    for (JsonNode risky : entraSeed.path("riskyUsers")) {
      entra.riskyUsers.put(key(risky.path("id").asText()), ((ObjectNode) risky).deepCopy());
    }
    JsonNode serviceNowSeed = scenario.path("serviceNow");
    for (JsonNode record : serviceNowSeed.path("incidents")) {
      serviceNow.incidents.put(record.path("sys_id").asText(), ((ObjectNode) record).deepCopy());
    }
  }

  private static List<ObjectNode> objects(JsonNode array) {
    List<ObjectNode> list = new ArrayList<>();
    for (JsonNode item : array) {
      list.add(((ObjectNode) item).deepCopy());
    }
    return list;
  }

  /** Adds or replaces an incident, filling the read-only fields it lacks. */
  public IncidentRecord putIncident(
      ObjectNode resource, List<ObjectNode> alerts, List<ObjectNode> entities) {
    String id = resource.path("id").asText();
    if (id.isEmpty()) {
      throw new IllegalArgumentException("an incident needs an id");
    }
    if (!resource.hasNonNull("name")) {
      resource.put("name", id.substring(id.lastIndexOf('/') + 1));
    }
    resource.put("type", "Microsoft.SecurityInsights/incidents");
    if (!resource.hasNonNull("etag")) {
      resource.put("etag", newEtag());
    }
    ObjectNode properties = resource.withObjectProperty("properties");
    String now = Instant.now().toString();
    if (!properties.hasNonNull("createdTimeUtc")) {
      properties.put("createdTimeUtc", now);
    }
    if (!properties.hasNonNull("lastModifiedTimeUtc")) {
      properties.put("lastModifiedTimeUtc", properties.path("createdTimeUtc").asText());
    }
    if (!properties.hasNonNull("incidentNumber")) {
      properties.put("incidentNumber", nextIncidentNumber);
    }
    nextIncidentNumber =
        Math.max(nextIncidentNumber, properties.path("incidentNumber").asLong() + 1);
    if (!properties.has("labels")) {
      properties.putArray("labels");
    }
    properties.withObjectProperty("additionalData").put("alertsCount", alerts.size());
    IncidentRecord record = incidents.computeIfAbsent(key(id), k -> new IncidentRecord());
    record.resource = resource;
    record.alerts.clear();
    record.alerts.addAll(alerts);
    record.entities.clear();
    record.entities.addAll(entities);
    return record;
  }

  public void putMdcAlert(ObjectNode alert) {
    String id = alert.path("id").asText();
    if (id.isEmpty()) {
      throw new IllegalArgumentException("an alert needs an id");
    }
    alert.put("type", "Microsoft.Security/Locations/alerts");
    mdcAlerts.put(key(id), alert);
  }
}
