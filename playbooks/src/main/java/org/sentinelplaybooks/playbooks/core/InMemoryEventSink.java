package org.sentinelplaybooks.playbooks.core;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event, for tests and for the demo's own view of what it did. */
public final class InMemoryEventSink implements EventSink {
  private final List<PlaybookEvent> events = new ArrayList<>();

  @Override
  public synchronized void emit(PlaybookEvent event) {
    events.add(event);
  }

  public synchronized List<PlaybookEvent> events() {
    return List.copyOf(events);
  }
}
