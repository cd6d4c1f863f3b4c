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

  /** Changes an incident in place (a new etag, as any change gets), e.g. to set a hostile title. */
  public void editIncident(String incidentArmId, java.util.function.Consumer<ObjectNode> edit) {
    synchronized (store) {
      Store.IncidentRecord record = store.incidents.get(Store.key(incidentArmId));
      if (record == null) {
        throw new IllegalArgumentException("no incident " + incidentArmId);
      }
      edit.accept(record.resource);
      record.resource.put("etag", Store.newEtag());
    }
  }

  public void putMdcAlert(ObjectNode alert) {
    synchronized (store) {
      store.putMdcAlert(alert.deepCopy());
    }
  }

  public boolean removeMdcAlert(String alertArmId) {
    synchronized (store) {
      return store.mdcAlerts.remove(Store.key(alertArmId)) != null;
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
}
