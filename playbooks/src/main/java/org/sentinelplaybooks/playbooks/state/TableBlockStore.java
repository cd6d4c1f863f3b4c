package org.sentinelplaybooks.playbooks.state;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code blocks} table in Azure Tables: partition per enforcement point, row per address. Keys
 * may not hold {@code /}, so it is written as {@code _} ({@code 203.0.113.0_24}); the readable
 * values are kept in columns. Every change is an insert (409 when another writer was first) or a
 * write conditional on the entity's ETag (412 when it changed), redone from a fresh read.
 */
public final class TableBlockStore implements BlockStore {
  public static final String TABLE = "blocks";

  private final TableClient table;

  public TableBlockStore(TableServiceClient service) {
    service.createTableIfNotExists(TABLE);
    this.table = service.getTableClient(TABLE);
  }

  static String key(String value) {
    return value.toLowerCase(Locale.ROOT).replaceAll("[/\\\\#?\\u0000-\\u001f\\u007f]", "_");
  }

  @Override
  public Optional<BlockRecord> get(String target, String address) {
    return entity(target, address).map(TableBlockStore::toRecord);
  }

  private Optional<TableEntity> entity(String target, String address) {
    try {
      return Optional.of(table.getEntity(key(target), key(address)));
    } catch (TableServiceException e) {
      if (e.getResponse().getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Instant extend(BlockRecord wanted) {
    for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
      Optional<TableEntity> current = entity(wanted.target(), wanted.address());
      try {
        if (current.isEmpty()) {
          table.createEntity(
              fill(new TableEntity(key(wanted.target()), key(wanted.address())), wanted, false));
          return wanted.expiresAt();
        }
        BlockRecord recorded = toRecord(current.get());
        if (!recorded.lifting() && !wanted.expiresAt().isAfter(recorded.expiresAt())) {
          return recorded.expiresAt();
        }
        replaceIfUnchanged(fill(current.get(), wanted, false));
        return wanted.expiresAt();
      } catch (TableServiceException e) {
        int status = e.getResponse().getStatusCode();
        if (status != 409 && status != 412 && status != 404) {
          throw e;
        }
      }
    }
    throw new IllegalStateException(
        "the block record of "
            + wanted.address()
            + " at "
            + wanted.target()
            + " kept changing under "
            + MAX_TRIES
            + " tries");
  }

  @Override
  public List<BlockRecord> expired(Instant now) {
    String filter = "ExpiresAt le datetime'" + TableTimes.toTable(now) + "'";
    List<BlockRecord> records = new ArrayList<>();
    for (TableEntity entity :
        table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null)) {
      records.add(toRecord(entity));
    }
    return records;
  }

  @Override
  public Optional<BlockRecord> claim(BlockRecord read) {
    Optional<TableEntity> current = entity(read.target(), read.address());
    if (current.isEmpty() || !current.get().getETag().equals(read.etag())) {
      return Optional.empty();
    }
    try {
      replaceIfUnchanged(fill(current.get(), toRecord(current.get()), true));
    } catch (TableServiceException e) {
      int status = e.getResponse().getStatusCode();
      if (status == 412 || status == 404) {
        return Optional.empty();
      }
      throw e;
    }
    // The update's answer carries no entity: the next etag is read back.
    return get(read.target(), read.address()).filter(BlockRecord::lifting);
  }

  @Override
  public boolean remove(BlockRecord claimed) {
    Optional<TableEntity> current = entity(claimed.target(), claimed.address());
    if (current.isEmpty()) {
      return true;
    }
    if (!current.get().getETag().equals(claimed.etag())) {
      return false;
    }
    try {
      table.deleteEntityWithResponse(current.get(), true, null, null);
      return true;
    } catch (TableServiceException e) {
      int status = e.getResponse().getStatusCode();
      if (status == 404) {
        return true;
      }
      if (status == 412) {
        return false;
      }
      throw e;
    }
  }

  private void replaceIfUnchanged(TableEntity entity) {
    table.updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true, null, null);
  }

  private static TableEntity fill(TableEntity entity, BlockRecord record, boolean lifting) {
    return entity
        .addProperty("Target", record.target())
        .addProperty("Address", record.address())
        .addProperty("ExpiresAt", TableTimes.toTable(record.expiresAt()))
        .addProperty("IncidentId", record.incidentId())
        .addProperty("BlockedAt", TableTimes.toTable(record.blockedAt()))
        .addProperty("Lifting", lifting);
  }

  private static BlockRecord toRecord(TableEntity entity) {
    return new BlockRecord(
        (String) entity.getProperty("Target"),
        (String) entity.getProperty("Address"),
        TableTimes.fromTable(entity.getProperty("ExpiresAt")),
        (String) entity.getProperty("IncidentId"),
        TableTimes.fromTable(entity.getProperty("BlockedAt")),
        Boolean.TRUE.equals(entity.getProperty("Lifting")),
        entity.getETag());
  }
}
