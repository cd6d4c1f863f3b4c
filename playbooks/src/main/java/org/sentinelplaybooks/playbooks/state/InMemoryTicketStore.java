package org.sentinelplaybooks.playbooks.state;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sentinelplaybooks.clients.sentinel.IncidentId;

/**
 * Ticket links in this process's memory, for the demo and for running without a storage account;
 * the same claim rules as the table. Lost when the process ends.
 */
public final class InMemoryTicketStore implements TicketStore {
  private final Map<String, TicketLink> links = new HashMap<>();
  private final Clock clock;

  /** Claims stamped by {@code clock}. */
  public InMemoryTicketStore(Clock clock) {
    this.clock = clock;
  }

  private static String key(IncidentId incident) {
    return incident.armId().toLowerCase(Locale.ROOT);
  }

  @Override
  public synchronized Optional<TicketLink> get(IncidentId incident) {
    return Optional.ofNullable(links.get(key(incident)));
  }

  @Override
  public synchronized boolean claim(IncidentId incident, String runId) {
    return links.putIfAbsent(
            key(incident), new TicketLink(incident.armId(), runId, clock.instant(), null, null))
        == null;
  }

  @Override
  public synchronized boolean takeOver(IncidentId incident, TicketLink stale, String runId) {
    return links.replace(
        key(incident), stale, new TicketLink(incident.armId(), runId, clock.instant(), null, null));
  }

  @Override
  public synchronized void link(IncidentId incident, String sysId, String number) {
    TicketLink current = links.get(key(incident));
    links.put(
        key(incident),
        new TicketLink(
            incident.armId(),
            current == null ? null : current.claimedBy(),
            current == null ? clock.instant() : current.claimedAt(),
            sysId,
            number));
  }

  @Override
  public synchronized void forget(IncidentId incident, String sysId) {
    TicketLink current = links.get(key(incident));
    if (current != null && sysId.equals(current.sysId())) {
      links.remove(key(incident));
    }
  }

  @Override
  public synchronized void release(IncidentId incident, String runId) {
    TicketLink current = links.get(key(incident));
    if (current != null && runId.equals(current.claimedBy()) && !current.isLinked()) {
      links.remove(key(incident));
    }
  }

  @Override
  public synchronized List<TicketLink> all() {
    return List.copyOf(links.values());
  }

  @Override
  public String describe() {
    return "memory (this process only)";
  }
}
