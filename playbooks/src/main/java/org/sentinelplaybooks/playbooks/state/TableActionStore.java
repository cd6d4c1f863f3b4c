package org.sentinelplaybooks.playbooks.state;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.clients.sentinel.IncidentId;

/**
 * The {@code actions} table in Azure Tables: partition per incident, row per subject and action. A
 * record is an upsert, so recording again what is already there changes nothing that matters.
 */
public final class TableActionStore implements ActionStore {
  public static final String TABLE = "actions";

  /** An incident's actions: a few per user, and a run acts on a bounded number of users. */
  private static final int MAX_ROWS = 5_000;

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
      records.add(
          new ActionRecord(
              (String) entity.getProperty("IncidentId"),
              (String) entity.getProperty("Subject"),
              (String) entity.getProperty("Action"),
              TableTimes.fromTable(entity.getProperty("CompletedAt"))));
    }
    return records;
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
