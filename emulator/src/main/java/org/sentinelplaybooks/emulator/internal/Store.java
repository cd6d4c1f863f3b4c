package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
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

    /** Table sys_user_grmember: {sys_id, user, group}, user and group being sys_ids. */
    public final List<ObjectNode> groupMembers = new ArrayList<>();

    public long nextNumber = 10001;
  }

  /**
   * The Entra ID tenant: users, groups, directory roles ({id, roleTemplateId, displayName,
   * members[]}), Identity Protection's risky users and its rate limit.
   */
  public static final class EntraTenant {
    public final Map<String, ObjectNode> users = new LinkedHashMap<>();
    public final Map<String, ObjectNode> groups = new LinkedHashMap<>();
    public final Map<String, ObjectNode> directoryRoles = new LinkedHashMap<>();

    /** The page size of Graph lists, when set (> 0) instead of each list's default. */
    public int pageSize;

    public final Map<String, ObjectNode> riskyUsers = new LinkedHashMap<>();
    public final Map<String, ObjectNode> namedLocations = new LinkedHashMap<>();
    public long lastIdentityProtectionCall;
    public int throttled;

    /** The clock Identity Protection's one-request-a-second pacing is timed by. */
    public java.time.Clock rateLimitClock;
  }

  /** Defender XDR as the Graph security API shows it: alerts by Graph id, incidents by id. */
  public static final class DefenderXdr {
    public final Map<String, ObjectNode> alerts = new LinkedHashMap<>();
    public final Map<String, ObjectNode> incidents = new LinkedHashMap<>();
    public int pageSize = 50;
  }

  /**
   * A Microsoft.Network long-running operation: InProgress for its first polls, then Succeeded,
   * when the resource it changed (if still the latest change) turns Succeeded too.
   */
  public static final class AsyncOperation {
    public final String resourceKey;
    public final ObjectNode resource;
    public int inProgressPollsLeft;

    AsyncOperation(String resourceKey, ObjectNode resource, int inProgressPolls) {
      this.resourceKey = resourceKey;
      this.resource = resource;
      this.inProgressPollsLeft = inProgressPolls;
    }
  }

  /** Microsoft.Network: NSGs (with their rules), IP Groups and long-running operations. */
  public static final class NetworkResources {
    public final Map<String, ObjectNode> securityGroups = new LinkedHashMap<>();
    public final Map<String, ObjectNode> ipGroups = new LinkedHashMap<>();
    public final Map<String, AsyncOperation> operations = new HashMap<>();
    public final Map<String, AsyncOperation> latestOperation = new HashMap<>();
    public int inProgressPolls = 1;
    public int retryAfterSeconds;
  }

  /**
   * Defender for Endpoint: the tenant's indicators, the calls of the last hour and the limits on
   * them (100 a minute and 1,500 an hour, per the API reference), timed by {@code clock}.
   */
  public static final class DefenderForEndpoint {
    public final Map<String, ObjectNode> indicators = new LinkedHashMap<>();
    public final Deque<Instant> recentCalls = new ArrayDeque<>();
    public int callsPerMinute = 100;
    public int callsPerHour = 1500;
    public java.time.Clock clock;
    public long nextId = 1001;
  }

  /**
   * A token bucket: starts full and refills continuously at {@code perSecond}; a request takes one
   * token or is refused.
   */
  public static final class TokenBucket {
    final int capacity;
    final double perSecond;
    double tokens;
    Instant refilledAt;

    TokenBucket(int capacity, double perSecond, Instant now) {
      this.capacity = capacity;
      this.perSecond = perSecond;
      this.tokens = capacity;
      this.refilledAt = now;
    }

    /** Takes a token: the tokens left, or -1 when the bucket is empty. */
    long take(Instant now) {
      double elapsedSeconds = java.time.Duration.between(refilledAt, now).toNanos() / 1e9;
      tokens = Math.min(capacity, tokens + Math.max(0, elapsedSeconds) * perSecond);
      refilledAt = now;
      if (tokens < 1) {
        return -1;
      }
      tokens -= 1;
      return (long) Math.floor(tokens);
    }

    /** Whole seconds until a token is back, at least 1. */
    long retryAfterSeconds() {
      return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }
  }

  /** ARM's per-subscription throttling: one bucket for reads and one for writes, off unless set. */
  public static final class ArmThrottling {
    TokenBucket reads;
    TokenBucket writes;
    public int throttled;

    /** The clock the buckets refill by. */
    public java.time.Clock clock;

    public void set(
        int readCapacity, double readsPerSecond, int writeCapacity, double writesPerSecond) {
      if (readCapacity < 1 || writeCapacity < 1) {
        throw new IllegalArgumentException("a bucket holds at least one token");
      }
      if (!(readsPerSecond > 0) || !(writesPerSecond > 0)) {
        throw new IllegalArgumentException("the refill rates must be positive");
      }
      Instant now = clock.instant();
      reads = new TokenBucket(readCapacity, readsPerSecond, now);
      writes = new TokenBucket(writeCapacity, writesPerSecond, now);
    }

    public void disable() {
      reads = null;
      writes = null;
    }

    /** What ARM says to a request, or null while throttling is off. */
    public Verdict take(boolean read) {
      TokenBucket bucket = read ? reads : writes;
      if (bucket == null) {
        return null;
      }
      String header = "x-ms-ratelimit-remaining-subscription-" + (read ? "reads" : "writes");
      long left = bucket.take(clock.instant());
      if (left < 0) {
        throttled++;
        return new Verdict(header, 0, bucket.retryAfterSeconds());
      }
      return new Verdict(header, left, 0);
    }
  }

  /** The remaining-requests header and, for a refused request, the Retry-After seconds (else 0). */
  public record Verdict(String header, long remaining, long retryAfterSeconds) {
    public boolean refused() {
      return retryAfterSeconds > 0;
    }
  }

  /** Defender for Cloud alert suppression rules, by subscription and name, and their clock. */
  public static final class SuppressionRules {
    public final Map<String, ObjectNode> rules = new LinkedHashMap<>();
    public java.time.Clock clock;
    public int pageSize = 50;

    public static String key(String subscription, String name) {
      return Store.key(
          "/subscriptions/"
              + subscription
              + "/providers/Microsoft.Security/alertsSuppressionRules/"
              + name);
    }
  }

  public final Map<String, IncidentRecord> incidents = new LinkedHashMap<>();
  public final EntraTenant entra = new EntraTenant();
  public final ServiceNowAccount serviceNow = new ServiceNowAccount();
  public final Map<String, ObjectNode> mdcAlerts = new LinkedHashMap<>();
  public final NetworkResources network = new NetworkResources();
  public final DefenderForEndpoint defenderForEndpoint = new DefenderForEndpoint();
  public final DefenderXdr defenderXdr = new DefenderXdr();
  public final ArmThrottling armThrottling = new ArmThrottling();
  public final SuppressionRules suppression = new SuppressionRules();
  public int mdcPageSize = 50;
  private long nextIncidentNumber = 1;

  /** The clock records are stamped by (created, modified, resolved). */
  private java.time.Clock clock;

  /** Every record stamped, and every limit timed, by {@code clock}. */
  public Store(java.time.Clock clock) {
    useClock(clock);
  }

  /** The clock records are stamped by. */
  public java.time.Clock clock() {
    return clock;
  }

  /** Stamps records and times every limit by {@code clock} from now on. */
  public void useClock(java.time.Clock clock) {
    this.clock = clock;
    entra.rateLimitClock = clock;
    defenderForEndpoint.clock = clock;
    armThrottling.clock = clock;
    suppression.clock = clock;
  }

  public static String key(String armId) {
    String id = armId.toLowerCase(Locale.ROOT);
    return id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
  }

  public static String newEtag() {
    return "\"" + UUID.randomUUID() + "\"";
  }

  /** A weak etag, as Microsoft.Network gives its resources. */
  public static String newWeakEtag() {
    return "W/" + newEtag();
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
    for (JsonNode rule : scenario.path("defenderForCloud").path("suppressionRules")) {
      suppression.rules.put(key(rule.path("id").asText()), ((ObjectNode) rule).deepCopy());
    }
    JsonNode entraSeed = scenario.path("entra");
    for (JsonNode user : entraSeed.path("users")) {
      entra.users.put(key(user.path("id").asText()), ((ObjectNode) user).deepCopy());
    }
    for (JsonNode group : entraSeed.path("groups")) {
      entra.groups.put(key(group.path("id").asText()), ((ObjectNode) group).deepCopy());
    }
    for (JsonNode role : entraSeed.path("directoryRoles")) {
      putDirectoryRole(((ObjectNode) role).deepCopy());
    }
    for (JsonNode risky : entraSeed.path("riskyUsers")) {
      entra.riskyUsers.put(key(risky.path("id").asText()), ((ObjectNode) risky).deepCopy());
    }
    for (JsonNode location : entraSeed.path("namedLocations")) {
      putNamedLocation(((ObjectNode) location).deepCopy());
    }
    JsonNode networkSeed = scenario.path("network");
    for (JsonNode group : networkSeed.path("networkSecurityGroups")) {
      putSecurityGroup(((ObjectNode) group).deepCopy());
    }
    for (JsonNode group : networkSeed.path("ipGroups")) {
      putIpGroup(((ObjectNode) group).deepCopy());
    }
    for (JsonNode indicator : scenario.path("defenderForEndpoint").path("indicators")) {
      putIndicator(((ObjectNode) indicator).deepCopy());
    }
    for (JsonNode alert : scenario.path("defenderXdr").path("alerts")) {
      putXdrAlert(((ObjectNode) alert).deepCopy());
    }
    for (JsonNode incident : scenario.path("defenderXdr").path("incidents")) {
      putXdrIncident(((ObjectNode) incident).deepCopy());
    }
    JsonNode serviceNowSeed = scenario.path("serviceNow");
    for (JsonNode record : serviceNowSeed.path("incidents")) {
      serviceNow.incidents.put(record.path("sys_id").asText(), ((ObjectNode) record).deepCopy());
    }
    for (JsonNode member : serviceNowSeed.path("groupMembers")) {
      serviceNow.groupMembers.add(((ObjectNode) member).deepCopy());
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
    String now = clock.instant().toString();
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
    // What Sentinel sets itself (readOnly in SI/2025-06-01/Incidents.json), in the shape of its
    // examples (contracts: sentinel/incidents_get.json, sentinel/incidents_createOrUpdate.json).
    if (!properties.hasNonNull("incidentUrl")) {
      properties.put(
          "incidentUrl",
          "https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident" + id);
    }
    if (!properties.hasNonNull("providerName")) {
      properties.put("providerName", "Azure Sentinel");
    }
    if (!properties.hasNonNull("providerIncidentId")) {
      properties.put("providerIncidentId", properties.path("incidentNumber").asText());
    }
    if (!properties.path("relatedAnalyticRuleIds").isArray()) {
      properties.putArray("relatedAnalyticRuleIds");
    }
    ObjectNode additionalData = properties.withObjectProperty("additionalData");
    additionalData.put("alertsCount", alerts.size());
    for (String count : List.of("bookmarksCount", "commentsCount")) {
      if (!additionalData.has(count)) {
        additionalData.put(count, 0);
      }
    }
    for (String list : List.of("alertProductNames", "tactics")) {
      if (!additionalData.path(list).isArray()) {
        additionalData.putArray(list);
      }
    }
    IncidentRecord record = incidents.computeIfAbsent(key(id), k -> new IncidentRecord());
    record.resource = resource;
    record.alerts.clear();
    record.alerts.addAll(alerts);
    record.entities.clear();
    record.entities.addAll(entities);
    return record;
  }

  /**
   * Fills an incident owner's email, sign-in name and display name from the directory, as Sentinel
   * answers them (incidents_createOrUpdate: the request sends owner.objectId only).
   */
  public void fillOwner(ObjectNode incidentProperties) {
    JsonNode owner = incidentProperties.path("owner");
    ObjectNode user =
        owner.isObject() ? entra.users.get(key(owner.path("objectId").asText())) : null;
    if (user == null) {
      return;
    }
    Map<String, String> fromDirectory =
        Map.of(
            "email", "mail", "userPrincipalName", "userPrincipalName", "assignedTo", "displayName");
    fromDirectory.forEach(
        (field, userField) -> {
          if (!owner.hasNonNull(field) && user.path(userField).isTextual()) {
            ((ObjectNode) owner).put(field, user.path(userField).asText());
          }
        });
  }

  public void putMdcAlert(ObjectNode alert) {
    String id = alert.path("id").asText();
    if (id.isEmpty()) {
      throw new IllegalArgumentException("an alert needs an id");
    }
    alert.put("type", "Microsoft.Security/Locations/alerts");
    SuppressionRulesApi.apply(suppression, alert);
    mdcAlerts.put(key(id), alert);
  }

  /** Adds or replaces an NSG, filling the read-only fields it and its rules lack. */
  public void putSecurityGroup(ObjectNode group) {
    String id = armId(group, "a network security group");
    group.put("type", "Microsoft.Network/networkSecurityGroups");
    if (!group.hasNonNull("etag")) {
      group.put("etag", newWeakEtag());
    }
    ObjectNode properties = group.withObjectProperty("properties");
    if (!properties.hasNonNull("provisioningState")) {
      properties.put("provisioningState", "Succeeded");
    }
    if (!properties.path("defaultSecurityRules").isArray()) {
      properties.putArray("defaultSecurityRules");
    }
    if (!properties.path("securityRules").isArray()) {
      properties.putArray("securityRules");
    }
    for (JsonNode rule : properties.path("securityRules")) {
      ObjectNode resource = (ObjectNode) rule;
      String name = resource.path("name").asText();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("a security rule of " + id + " needs a name");
      }
      resource.put("id", id + "/securityRules/" + name);
      resource.put("type", "Microsoft.Network/networkSecurityGroups/securityRules");
      if (!resource.hasNonNull("etag")) {
        resource.put("etag", newWeakEtag());
      }
      ObjectNode ruleProperties = resource.withObjectProperty("properties");
      if (!ruleProperties.hasNonNull("provisioningState")) {
        ruleProperties.put("provisioningState", "Succeeded");
      }
    }
    network.securityGroups.put(key(id), group);
  }

  /** Adds or replaces an IP Group, filling the read-only fields it lacks. */
  public void putIpGroup(ObjectNode group) {
    String id = armId(group, "an IP group");
    group.put("type", "Microsoft.Network/ipGroups");
    if (!group.hasNonNull("etag")) {
      group.put("etag", newWeakEtag());
    }
    ObjectNode properties = group.withObjectProperty("properties");
    if (!properties.hasNonNull("provisioningState")) {
      properties.put("provisioningState", "Succeeded");
    }
    for (String list : List.of("ipAddresses", "firewalls", "firewallPolicies")) {
      if (!properties.path(list).isArray()) {
        properties.putArray(list);
      }
    }
    network.ipGroups.put(key(id), group);
  }

  private static String armId(ObjectNode resource, String what) {
    String id = resource.path("id").asText();
    if (id.isEmpty()) {
      throw new IllegalArgumentException(what + " needs an id");
    }
    if (id.endsWith("/")) {
      id = id.substring(0, id.length() - 1);
    }
    resource.put("id", id);
    if (!resource.hasNonNull("name")) {
      resource.put("name", id.substring(id.lastIndexOf('/') + 1));
    }
    return id;
  }

  /** Adds or replaces an activated directory role, with its members (user or group ids). */
  public void putDirectoryRole(ObjectNode role) {
    if (!role.path("roleTemplateId").isTextual()) {
      throw new IllegalArgumentException("a directory role needs a roleTemplateId");
    }
    if (!role.hasNonNull("id")) {
      role.put("id", UUID.randomUUID().toString());
    }
    if (!role.path("members").isArray()) {
      role.putArray("members");
    }
    entra.directoryRoles.put(key(role.path("id").asText()), role);
  }

  /** Adds or replaces an Entra ID named location (an IP one unless it says otherwise). */
  public void putNamedLocation(ObjectNode location) {
    String id = location.path("id").asText();
    if (id.isEmpty()) {
      throw new IllegalArgumentException("a named location needs an id");
    }
    if (!location.hasNonNull("@odata.type")) {
      location.put("@odata.type", "#microsoft.graph.ipNamedLocation");
    }
    String now = clock.instant().toString();
    if (!location.hasNonNull("createdDateTime")) {
      location.put("createdDateTime", now);
    }
    if (!location.hasNonNull("modifiedDateTime")) {
      location.put("modifiedDateTime", location.path("createdDateTime").asText());
    }
    if (!location.has("isTrusted")) {
      location.put("isTrusted", false);
    }
    if (!location.path("ipRanges").isArray()) {
      location.putArray("ipRanges");
    }
    entra.namedLocations.put(key(id), location);
  }

  /** The key an indicator is upserted by: its type and its value, case-insensitive. */
  public static String indicatorKey(String type, String value) {
    return type + "|" + value.toLowerCase(Locale.ROOT);
  }

  /** Adds or replaces a Defender for Endpoint indicator, giving it an id if it has none. */
  public void putIndicator(ObjectNode indicator) {
    String type = indicator.path("indicatorType").asText();
    String value = indicator.path("indicatorValue").asText();
    if (type.isEmpty() || value.isEmpty()) {
      throw new IllegalArgumentException("an indicator needs an indicatorType and indicatorValue");
    }
    if (!indicator.hasNonNull("id")) {
      indicator.put("id", Long.toString(defenderForEndpoint.nextId));
    }
    String id = indicator.path("id").asText();
    if (!id.matches("[0-9]{1,18}")) {
      throw new IllegalArgumentException("an indicator's id is a string of digits: " + id);
    }
    defenderForEndpoint.nextId = Math.max(defenderForEndpoint.nextId, Long.parseLong(id) + 1);
    String now = clock.instant().toString();
    if (!indicator.hasNonNull("creationTimeDateTimeUtc")) {
      indicator.put("creationTimeDateTimeUtc", now);
    }
    if (!indicator.hasNonNull("lastUpdateTime")) {
      indicator.put("lastUpdateTime", indicator.path("creationTimeDateTimeUtc").asText());
    }
    defenderForEndpoint.indicators.put(indicatorKey(type, value), indicator);
  }

  /**
   * Adds or replaces a Defender XDR alert, filling what Graph always gives: a new alert is {@code
   * new}, {@code unknown} in classification and determination, its provider's id its own.
   */
  public void putXdrAlert(ObjectNode alert) {
    String id = alert.path("id").asText();
    if (id.isEmpty()) {
      throw new IllegalArgumentException("a Defender XDR alert needs an id");
    }
    String now = clock.instant().toString();
    alert.put("@odata.type", "#microsoft.graph.security.alert");
    fill(alert, "providerAlertId", id);
    fill(alert, "status", "new");
    fill(alert, "classification", "unknown");
    fill(alert, "determination", "unknown");
    fill(alert, "severity", "medium");
    fill(alert, "serviceSource", "microsoftDefenderForEndpoint");
    fill(alert, "createdDateTime", now);
    fill(alert, "lastUpdateDateTime", alert.path("createdDateTime").asText());
    if (!alert.path("comments").isArray()) {
      alert.putArray("comments");
    }
    defenderXdr.alerts.put(id, alert);
  }

  /** Adds or replaces a Defender XDR incident; its alerts are those whose incidentId is its id. */
  public void putXdrIncident(ObjectNode incident) {
    String id = incident.path("id").asText();
    if (id.isEmpty()) {
      throw new IllegalArgumentException("a Defender XDR incident needs an id");
    }
    String now = clock.instant().toString();
    incident.put("@odata.type", "#microsoft.graph.security.incident");
    fill(incident, "status", "active");
    fill(incident, "classification", "unknown");
    fill(incident, "determination", "unknown");
    fill(incident, "severity", "medium");
    fill(incident, "createdDateTime", now);
    fill(incident, "lastUpdateDateTime", incident.path("createdDateTime").asText());
    if (!incident.has("redirectIncidentId")) {
      incident.putNull("redirectIncidentId");
    }
    defenderXdr.incidents.put(id, incident);
  }

  private static void fill(ObjectNode node, String field, String value) {
    if (!node.hasNonNull(field)) {
      node.put(field, value);
    }
  }
}
