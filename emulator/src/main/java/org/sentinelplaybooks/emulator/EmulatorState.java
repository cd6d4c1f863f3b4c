package org.sentinelplaybooks.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.sentinelplaybooks.emulator.internal.Store;

/** What the emulated services hold, for tests to read and arrange. Returns copies. */
public final class EmulatorState {
  private final Store store;

  EmulatorState(Store store) {
    this.store = store;
  }

  public Optional<ObjectNode> incident(String incidentArmId) {
    synchronized (store) {
      Store.IncidentRecord record = store.incidents.get(Store.key(incidentArmId));
      return record == null ? Optional.empty() : Optional.of(record.resource.deepCopy());
    }
  }

  /** The ARM ids of all incidents, in the order they were added. */
  public List<String> incidentIds() {
    synchronized (store) {
      return store.incidents.values().stream()
          .map(record -> record.resource.path("id").asText())
          .toList();
    }
  }

  public List<ObjectNode> comments(String incidentArmId) {
    synchronized (store) {
      Store.IncidentRecord record = store.incidents.get(Store.key(incidentArmId));
      return record == null
          ? List.of()
          : record.comments.values().stream().map(ObjectNode::deepCopy).toList();
    }
  }

  public Optional<ObjectNode> mdcAlert(String alertArmId) {
    synchronized (store) {
      ObjectNode alert = store.mdcAlerts.get(Store.key(alertArmId));
      return alert == null ? Optional.empty() : Optional.of(alert.deepCopy());
    }
  }

  public List<ObjectNode> mdcAlerts() {
    synchronized (store) {
      return store.mdcAlerts.values().stream().map(ObjectNode::deepCopy).toList();
    }
  }

  public void putIncident(ObjectNode incident, List<ObjectNode> alerts, List<ObjectNode> entities) {
    synchronized (store) {
      store.putIncident(
          incident.deepCopy(),
          alerts.stream().map(ObjectNode::deepCopy).toList(),
          entities.stream().map(ObjectNode::deepCopy).toList());
    }
  }

  /**
   * Changes an incident in place (a new etag and modification time, as any change gets), e.g. to
   * set a hostile title.
   */
  public void editIncident(String incidentArmId, java.util.function.Consumer<ObjectNode> edit) {
    synchronized (store) {
      Store.IncidentRecord record = store.incidents.get(Store.key(incidentArmId));
      if (record == null) {
        throw new IllegalArgumentException("no incident " + incidentArmId);
      }
      edit.accept(record.resource);
      record.resource.put("etag", Store.newEtag());
      ((ObjectNode) record.resource.path("properties"))
          .put("lastModifiedTimeUtc", store.clock().instant().toString());
    }
  }

  public void putMdcAlert(ObjectNode alert) {
    synchronized (store) {
      store.putMdcAlert(alert.deepCopy());
    }
  }

  /** The Defender for Cloud suppression rules of every subscription, oldest first. */
  public List<ObjectNode> suppressionRules() {
    synchronized (store) {
      return store.suppression.rules.values().stream().map(ObjectNode::deepCopy).toList();
    }
  }

  /**
   * The clock suppression rules are stamped and expired by; the emulator's unless set. An alert put
   * after a rule's expiry is not suppressed by it.
   */
  public void setSuppressionClock(java.time.Clock clock) {
    synchronized (store) {
      store.suppression.clock = clock;
    }
  }

  public boolean removeMdcAlert(String alertArmId) {
    synchronized (store) {
      return store.mdcAlerts.remove(Store.key(alertArmId)) != null;
    }
  }

  /** A Defender XDR alert by its Graph id, as Graph holds it. */
  public Optional<ObjectNode> xdrAlert(String id) {
    synchronized (store) {
      ObjectNode alert = store.defenderXdr.alerts.get(id);
      return alert == null ? Optional.empty() : Optional.of(alert.deepCopy());
    }
  }

  /** Every Defender XDR alert, in the order they were added. */
  public List<ObjectNode> xdrAlerts() {
    synchronized (store) {
      return store.defenderXdr.alerts.values().stream().map(ObjectNode::deepCopy).toList();
    }
  }

  public void putXdrAlert(ObjectNode alert) {
    synchronized (store) {
      store.putXdrAlert(alert.deepCopy());
    }
  }

  public void putXdrIncident(ObjectNode incident) {
    synchronized (store) {
      store.putXdrIncident(incident.deepCopy());
    }
  }

  /** How many alerts a page of the Graph alert list holds when the request sets no $top. */
  public void setXdrPageSize(int size) {
    synchronized (store) {
      store.defenderXdr.pageSize = size;
    }
  }

  /** An Entra ID user as Graph returns it, with what the emulator keeps about resets. */
  public Optional<ObjectNode> entraUser(String id) {
    synchronized (store) {
      ObjectNode user = store.entra.users.get(Store.key(id));
      return user == null ? Optional.empty() : Optional.of(user.deepCopy());
    }
  }

  public void putEntraUser(ObjectNode user) {
    synchronized (store) {
      store.entra.users.put(Store.key(user.path("id").asText()), user.deepCopy());
    }
  }

  /**
   * Activates a directory role ({@code roleTemplateId}, {@code displayName}, optional {@code id})
   * and gives it these members (user or role-assignable group object ids).
   */
  public void putDirectoryRole(ObjectNode role) {
    synchronized (store) {
      store.putDirectoryRole(role.deepCopy());
    }
  }

  /** Pages Graph's lists by {@code size} items (0: each list's own default). */
  public void setGraphPageSize(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("a page size is 0 (the default) or more");
    }
    synchronized (store) {
      store.entra.pageSize = size;
    }
  }

  /** Identity Protection's record of the user, if it has one. */
  public Optional<ObjectNode> riskyUser(String id) {
    synchronized (store) {
      ObjectNode user = store.entra.riskyUsers.get(Store.key(id));
      return user == null ? Optional.empty() : Optional.of(user.deepCopy());
    }
  }

  /** How many Identity Protection requests were refused for coming within a second of another. */
  public int identityProtectionThrottled() {
    synchronized (store) {
      return store.entra.throttled;
    }
  }

  /** Replaces the incident's entities (Account, Ip, Host, ...). */
  public void setIncidentEntities(String incidentArmId, List<ObjectNode> entities) {
    synchronized (store) {
      Store.IncidentRecord record = store.incidents.get(Store.key(incidentArmId));
      if (record == null) {
        throw new IllegalArgumentException("no incident " + incidentArmId);
      }
      record.entities.clear();
      entities.forEach(e -> record.entities.add(e.deepCopy()));
    }
  }

  /** The ServiceNow incident records, oldest first. */
  public List<ObjectNode> serviceNowIncidents() {
    synchronized (store) {
      return store.serviceNow.incidents.values().stream().map(ObjectNode::deepCopy).toList();
    }
  }

  /** Makes the ServiceNow user (a sys_user sys_id) a member of the group (a sys_user_group one). */
  public void addServiceNowGroupMember(String userSysId, String groupSysId) {
    synchronized (store) {
      com.fasterxml.jackson.databind.node.ObjectNode member =
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      member.put("sys_id", java.util.UUID.randomUUID().toString().replace("-", ""));
      member.put("user", userSysId);
      member.put("group", groupSysId);
      store.serviceNow.groupMembers.add(member);
    }
  }

  /**
   * Who may sign in to the emulated ServiceNow: basic authentication with the user and password,
   * and OAuth client credentials with the client id and secret (either may be null).
   */
  public void setServiceNowAccount(
      String username, String password, String clientId, String clientSecret) {
    synchronized (store) {
      store.serviceNow.username = username;
      store.serviceNow.password = password;
      store.serviceNow.clientId = clientId;
      store.serviceNow.clientSecret = clientSecret;
      store.serviceNow.tokens.clear();
    }
  }

  /** How many alerts one page of a Defender for Cloud list holds (50 unless set). */
  public void setMdcPageSize(int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be at least 1");
    }
    synchronized (store) {
      store.mdcPageSize = pageSize;
    }
  }

  /**
   * How Microsoft.Network's long-running operations go: how many polls report InProgress before
   * Succeeded (1 unless set), and the Retry-After seconds the writes and polls carry (0 unless
   * set). Applies to operations started afterwards.
   */
  public void setAsyncOperations(int inProgressPolls, int retryAfterSeconds) {
    if (inProgressPolls < 0 || retryAfterSeconds < 0) {
      throw new IllegalArgumentException("polls and seconds cannot be negative");
    }
    synchronized (store) {
      store.network.inProgressPolls = inProgressPolls;
      store.network.retryAfterSeconds = retryAfterSeconds;
    }
  }

  /** A network security group with its security rules. */
  public Optional<ObjectNode> networkSecurityGroup(String armId) {
    synchronized (store) {
      ObjectNode group = store.network.securityGroups.get(Store.key(armId));
      return group == null ? Optional.empty() : Optional.of(group.deepCopy());
    }
  }

  /** Adds or replaces a network security group, rules included (in properties.securityRules). */
  public void putNetworkSecurityGroup(ObjectNode nsg) {
    synchronized (store) {
      store.putSecurityGroup(nsg.deepCopy());
    }
  }

  public Optional<ObjectNode> ipGroup(String armId) {
    synchronized (store) {
      ObjectNode group = store.network.ipGroups.get(Store.key(armId));
      return group == null ? Optional.empty() : Optional.of(group.deepCopy());
    }
  }

  public void putIpGroup(ObjectNode group) {
    synchronized (store) {
      store.putIpGroup(group.deepCopy());
    }
  }

  /** An Entra ID named location as Graph holds it. */
  public Optional<ObjectNode> namedLocation(String id) {
    synchronized (store) {
      ObjectNode location = store.entra.namedLocations.get(Store.key(id));
      return location == null ? Optional.empty() : Optional.of(location.deepCopy());
    }
  }

  public void putNamedLocation(ObjectNode location) {
    synchronized (store) {
      store.putNamedLocation(location.deepCopy());
    }
  }

  /**
   * How many calls to Defender for Endpoint's indicators API are allowed in any 60 seconds (100
   * unless set); calls already made in the last minute still count.
   */
  public void setMdeRateLimit(int perMinute) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("the rate limit must be at least 1 call a minute");
    }
    synchronized (store) {
      store.defenderForEndpoint.callsPerMinute = perMinute;
    }
  }

  /**
   * The clock Defender for Endpoint's call windows (a minute, an hour) are timed by; the emulator's
   * unless set. Tests pass a {@link ManualClock} and advance it.
   */
  public void setMdeClock(java.time.Clock clock) {
    synchronized (store) {
      store.defenderForEndpoint.clock = clock;
      store.defenderForEndpoint.recentCalls.clear();
    }
  }

  /** The Defender for Endpoint indicators, oldest first. */
  public List<ObjectNode> mdeIndicators() {
    synchronized (store) {
      return store.defenderForEndpoint.indicators.values().stream()
          .map(ObjectNode::deepCopy)
          .toList();
    }
  }

  /**
   * Turns on ARM's per-subscription throttling for the Azure Resource Manager routes (Sentinel,
   * Defender for Cloud, Microsoft.Network, Resource Graph): a bucket of read tokens and one of
   * write tokens, each starting full and refilling continuously. A request finding its bucket empty
   * gets 429 TooManyRequests with Retry-After; every ARM response carries
   * x-ms-ratelimit-remaining-subscription-reads or -writes. Reads are GETs, Sentinel's alert and
   * entity listings (POST) and Resource Graph queries; writes are everything else.
   */
  public void setArmThrottling(
      int readCapacity, double readsPerSecond, int writeCapacity, double writesPerSecond) {
    synchronized (store) {
      store.armThrottling.set(readCapacity, readsPerSecond, writeCapacity, writesPerSecond);
    }
  }

  /**
   * The clock the time-based limits that are not Defender for Endpoint's are timed by: ARM's token
   * buckets refill and Identity Protection's one request a second is paced by it; the emulator's
   * unless set. Tests pass a {@link ManualClock} and advance it.
   */
  public void setRateLimitClock(java.time.Clock clock) {
    synchronized (store) {
      store.armThrottling.clock = clock;
      store.entra.rateLimitClock = clock;
    }
  }

  /** Turns ARM throttling off (the default); the count of throttled requests stays. */
  public void disableArmThrottling() {
    synchronized (store) {
      store.armThrottling.disable();
    }
  }

  /** How many ARM requests were answered 429 by the throttling. */
  public int armThrottled() {
    synchronized (store) {
      return store.armThrottling.throttled;
    }
  }
}
