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
