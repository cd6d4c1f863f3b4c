package org.sentinelplaybooks.playbooks.reconcile;

import org.sentinelplaybooks.clients.sentinel.WorkspaceId;

/** What a caller of reconcile hears as it goes: each workspace begun, its incidents, its report. */
public interface ReconcileProgress {
  /** Hears nothing: the functions' runs, which report through their events. */
  ReconcileProgress NONE = new ReconcileProgress() {};

  default void started(WorkspaceId workspace) {}

  /** {@code incidents} of the workspace are done. */
  default void counted(int incidents) {}

  default void finished(ReconcileReport report) {}
}
