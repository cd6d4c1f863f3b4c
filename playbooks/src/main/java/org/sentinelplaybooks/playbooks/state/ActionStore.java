package org.sentinelplaybooks.playbooks.state;

import java.util.List;
import org.sentinelplaybooks.clients.sentinel.IncidentId;

/**
 * What the playbooks completed, per incident: the only proof that an identity action is {@code
 * already} done. A user's own timestamps never stand in for it, since whoever holds the account
 * moves them.
 */
public interface ActionStore {
  /** The actions completed for the incident, in no particular order. */
  List<ActionRecord> completed(IncidentId incident);

  /** Records a completed action; recording the same subject and action again keeps one row. */
  void record(IncidentId incident, ActionRecord completed);

  /** Where the record is kept, for people: e.g. {@code Azure Tables 'actions'}. */
  String describe();
}
