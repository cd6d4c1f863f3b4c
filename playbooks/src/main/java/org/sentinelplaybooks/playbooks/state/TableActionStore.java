package org.sentinelplaybooks.playbooks.state;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.sentinelplaybooks.clients.sentinel.IncidentId;

/**
 * The {@code actions} table in Azure Tables: partition per incident, row per subject and action. A
 * record is an upsert, so recording again what is already there changes nothing that matters.
 */
public final class TableActionStore implements ActionStore {
  public static final String TABLE = "actions";

  /** An incident's actions: a few per user, and a run acts on a bounded number of users. */
  private static final int MAX_ROWS = 5_000;

  /** The most rows {@link #recent} reads. */
  static final int MAX_SCANNED = 100_000;

  private final TableClient table;

  public TableActionStore(TableServiceClient service) {
    service.createTableIfNotExists(TABLE);
    this.table = service.getTableClient(TABLE);
  }

  private static String partition(IncidentId incident) {
    return TableTicketStore.partition(incident) + ":" + TableTicketStore.row(incident);
  }

  @Override
  public List<ActionRecord> completed(IncidentId incident) {
    String filter = "PartitionKey eq '" + partition(incident).replace("'", "''") + "'";
    List<ActionRecord> records = new ArrayList<>();
    for (TableEntity entity :
        table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null)) {
      if (records.size() >= MAX_ROWS) {
        throw new IllegalStateException(
            "the incident has more than " + MAX_ROWS + " recorded actions in '" + TABLE + "'");
      }
      records.add(toRecord(entity));
    }
    return records;
  }

  /**
   * Reads the whole table, at most {@link #MAX_SCANNED} rows (Tables has no server-side order),
   * keeping only the newest {@code limit}.
   */
  @Override
  public List<ActionRecord> recent(int limit) {
    PriorityQueue<ActionRecord> newest = new PriorityQueue<>(ActionRecord.NEWEST_FIRST.reversed());
    int scanned = 0;
    for (TableEntity entity : table.listEntities()) {
      if (++scanned > MAX_SCANNED) {
        break;
      }
      newest.add(toRecord(entity));
      if (newest.size() > limit) {
        newest.poll();
      }
    }
    return newest.stream().sorted(ActionRecord.NEWEST_FIRST).toList();
  }

  private static ActionRecord toRecord(TableEntity entity) {
    return new ActionRecord(
        (String) entity.getProperty("IncidentId"),
        (String) entity.getProperty("Subject"),
        (String) entity.getProperty("Action"),
        TableTimes.fromTable(entity.getProperty("CompletedAt")));
  }

  @Override
  public void record(IncidentId incident, ActionRecord completed) {
    table.upsertEntity(
        new TableEntity(partition(incident), completed.key())
            .addProperty("IncidentId", incident.armId())
            .addProperty("Subject", completed.subject())
            .addProperty("Action", completed.action())
            .addProperty("CompletedAt", TableTimes.toTable(completed.completedAt())));
  }

  @Override
  public String describe() {
    return "Azure Tables '" + TABLE + "'";
  }
}
