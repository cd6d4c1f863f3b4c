package org.sentinelplaybooks.playbooks.core;

/**
 * Where the playbooks' structured events go: the run's logger in Azure and the CLI, memory in
 * tests.
 */
@FunctionalInterface
public interface EventSink {
  void emit(PlaybookEvent event);
}
