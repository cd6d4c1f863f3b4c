package org.sentinelplaybooks.playbooks.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sentinelplaybooks.clients.sentinel.IncidentId;

/** Completed actions in this process's memory, for the demo. Lost when the process ends. */
public final class InMemoryActionStore implements ActionStore {
  private final Map<String, Map<String, ActionRecord>> byIncident = new HashMap<>();

  private static String key(IncidentId incident) {
    return incident.armId().toLowerCase(Locale.ROOT);
  }

  @Override
  public synchronized List<ActionRecord> completed(IncidentId incident) {
    return new ArrayList<>(byIncident.getOrDefault(key(incident), Map.of()).values());
  }

  @Override
  public synchronized void record(IncidentId incident, ActionRecord completed) {
    byIncident
        .computeIfAbsent(key(incident), k -> new LinkedHashMap<>())
        .put(completed.key(), completed);
  }

  @Override
  public String describe() {
    return "memory (this process only)";
  }
}
