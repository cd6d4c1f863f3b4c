package org.sentinelplaybooks.playbooks.state;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code checkpoints} table: partition {@code checkpoint}, a row per workspace, changed only
 * with the ETag read, so two runs never both take a workspace; and partition {@code
 * status|<workspace>}, a row per incident with the last status seen.
 */
public final class TableCheckpointStore implements CheckpointStore {
  public static final String TABLE = "checkpoints";
  static final String PARTITION = "checkpoint";

  private final TableClient table;
  private final Clock clock;

  /** Leases timed by {@code clock}. */
  public TableCheckpointStore(TableServiceClient service, Clock clock) {
    service.createTableIfNotExists(TABLE);
    this.table = service.getTableClient(TABLE);
    this.clock = clock;
  }

  @Override
  public Optional<Checkpoint> acquire(String workspace, String runId, Duration lease) {
    String row = TableBlockStore.key(workspace);
    TableEntity entity;
    try {
      entity = table.getEntity(PARTITION, row);
    } catch (TableServiceException e) {
      if (e.getResponse().getStatusCode() != 404) {
        throw e;
      }
      entity = null;
    }
    Instant now = clock.instant();
    if (entity != null) {
      Instant until = TableTimes.fromTable(entity.getProperty("LeaseUntil"));
      Object owner = entity.getProperty("LeaseOwner");
      if (owner != null && !owner.toString().isEmpty() && until != null && until.isAfter(now)) {
        return Optional.empty();
      }
    }
    TableEntity claimed =
        (entity == null ? new TableEntity(PARTITION, row) : entity)
            .addProperty("Workspace", workspace)
            .addProperty("LeaseOwner", runId)
            .addProperty("LeaseUntil", TableTimes.toTable(now.plus(lease)));
    try {
      if (entity == null) {
        table.createEntity(claimed);
      } else {
        table.updateEntityWithResponse(claimed, TableEntityUpdateMode.MERGE, true, null, null);
      }
    } catch (TableServiceException e) {
      int status = e.getResponse().getStatusCode();
      if (status == 409 || status == 412) {
        return Optional.empty();
      }
      throw e;
    }
    TableEntity taken = table.getEntity(PARTITION, row);
    if (!runId.equals(taken.getProperty("LeaseOwner"))) {
      return Optional.empty();
    }
    return Optional.of(toCheckpoint(taken));
  }

  @Override
  public void complete(Checkpoint taken, Instant watermark, Instant fullSweep, Set<String> retry) {
    TableEntity entity = ours(taken);
    if (entity == null) {
      return;
    }
    // Names of at most a few hundred incidents: well within a property's 64 KiB.
    entity
        .addProperty("Watermark", TableTimes.toTable(watermark))
        .addProperty("Retry", String.join(",", new TreeSet<>(retry)))
        .addProperty("LeaseOwner", "");
    if (fullSweep != null) {
      entity.addProperty("LastFullSweep", TableTimes.toTable(fullSweep));
    }
    conditional(entity);
  }

  @Override
  public void release(Checkpoint taken) {
    TableEntity entity = ours(taken);
    if (entity != null) {
      conditional(entity.addProperty("LeaseOwner", ""));
    }
  }

  private TableEntity ours(Checkpoint taken) {
    TableEntity entity = table.getEntity(PARTITION, TableBlockStore.key(taken.workspace()));
    return taken.leaseOwner().equals(entity.getProperty("LeaseOwner")) ? entity : null;
  }

  private void conditional(TableEntity entity) {
    try {
      table.updateEntityWithResponse(entity, TableEntityUpdateMode.MERGE, true, null, null);
    } catch (TableServiceException e) {
      if (e.getResponse().getStatusCode() != 412) {
        throw e;
      }
    }
  }

  @Override
  public Map<String, String> statuses(String workspace) {
    Map<String, String> statuses = new HashMap<>();
    String filter = "PartitionKey eq '" + statusPartition(workspace).replace("'", "''") + "'";
    for (TableEntity entity :
        table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null)) {
      statuses.put(entity.getRowKey(), (String) entity.getProperty("Status"));
    }
    return statuses;
  }

  @Override
  public void rememberStatus(String workspace, String incident, String status) {
    table.upsertEntity(
        new TableEntity(statusPartition(workspace), TableBlockStore.key(incident))
            .addProperty("Status", status));
  }

  @Override
  public void recordRun(String workspace, Instant at, String status, long failures) {
    // A merge of columns no lease check reads, so it never races the ETag-guarded lease.
    table.upsertEntity(
        new TableEntity(PARTITION, TableBlockStore.key(workspace))
            .addProperty("Workspace", workspace)
            .addProperty("LastRun", TableTimes.toTable(at))
            .addProperty("LastRunStatus", status)
            .addProperty("FailuresPending", failures));
  }

  @Override
  public List<WorkspaceCheckpoint> all() {
    List<WorkspaceCheckpoint> all = new ArrayList<>();
    String filter = "PartitionKey eq '" + PARTITION + "'";
    for (TableEntity entity :
        table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null)) {
      Object failures = entity.getProperty("FailuresPending");
      Object owner = entity.getProperty("LeaseOwner");
      Instant until = TableTimes.fromTable(entity.getProperty("LeaseUntil"));
      all.add(
          new WorkspaceCheckpoint(
              (String) entity.getProperty("Workspace"),
              TableTimes.fromTable(entity.getProperty("LastRun")),
              (String) entity.getProperty("LastRunStatus"),
              TableTimes.fromTable(entity.getProperty("Watermark")),
              TableTimes.fromTable(entity.getProperty("LastFullSweep")),
              failures instanceof Number n ? n.longValue() : 0,
              owner == null
                      || owner.toString().isEmpty()
                      || until == null
                      || until.isBefore(clock.instant())
                  ? null
                  : owner.toString()));
    }
    return all;
  }

  @Override
  public void forgetStatusesBefore(String workspace, Instant before, String kept) {
    // Timestamp is the service's own time of the row's last write.
    String filter =
        "PartitionKey eq '"
            + statusPartition(workspace).replace("'", "''")
            + "' and Timestamp lt datetime'"
            + before
            + "' and Status ne '"
            + kept.replace("'", "''")
            + "'";
    for (TableEntity entity :
        table.listEntities(
            new ListEntitiesOptions().setFilter(filter).setSelect(List.of("RowKey")), null, null)) {
      try {
        table.deleteEntity(statusPartition(workspace), entity.getRowKey());
      } catch (TableServiceException e) {
        if (e.getResponse().getStatusCode() != 404) {
          throw e;
        }
      }
    }
  }

  private static String statusPartition(String workspace) {
    return "status|" + TableBlockStore.key(workspace);
  }

  private static Set<String> retry(String names) {
    Set<String> retry = new TreeSet<>();
    if (names != null) {
      for (String name : names.split(",")) {
        if (!name.isBlank()) {
          retry.add(name.trim());
        }
      }
    }
    return retry;
  }

  private static Checkpoint toCheckpoint(TableEntity entity) {
    return new Checkpoint(
        (String) entity.getProperty("Workspace"),
        TableTimes.fromTable(entity.getProperty("Watermark")),
        TableTimes.fromTable(entity.getProperty("LastFullSweep")),
        retry((String) entity.getProperty("Retry")),
        (String) entity.getProperty("LeaseOwner"),
        TableTimes.fromTable(entity.getProperty("LeaseUntil")),
        entity.getETag());
  }
}
