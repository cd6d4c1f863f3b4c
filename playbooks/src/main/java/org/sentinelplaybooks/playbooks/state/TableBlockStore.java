package org.sentinelplaybooks.playbooks.state;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code blocks} table in Azure Tables: partition per enforcement point, row per address. Keys
 * may not hold {@code /}, so it is written as {@code _} ({@code 203.0.113.0_24}); the readable
 * values are kept in columns.
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
    try {
      return Optional.of(toRecord(table.getEntity(key(target), key(address))));
    } catch (TableServiceException e) {
      if (e.getResponse().getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void put(BlockRecord block) {
    table.upsertEntity(
        new TableEntity(key(block.target()), key(block.address()))
            .addProperty("Target", block.target())
            .addProperty("Address", block.address())
            .addProperty("ExpiresAt", TableTimes.toTable(block.expiresAt()))
            .addProperty("IncidentId", block.incidentId())
            .addProperty("BlockedAt", TableTimes.toTable(block.blockedAt())));
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
  public List<BlockRecord> all() {
    List<BlockRecord> records = new ArrayList<>();
    for (TableEntity entity : table.listEntities()) {
      records.add(toRecord(entity));
    }
    return records;
  }

  @Override
  public void remove(BlockRecord block) {
    TableEntity current;
    try {
      current = table.getEntity(key(block.target()), key(block.address()));
    } catch (TableServiceException e) {
      if (e.getResponse().getStatusCode() == 404) {
        return;
      }
      throw e;
    }
    if (!toRecord(current).equals(block)) {
      return;
    }
    try {
      table.deleteEntityWithResponse(current, true, null, null);
    } catch (TableServiceException e) {
      int status = e.getResponse().getStatusCode();
      if (status != 404 && status != 412) {
        throw e;
      }
    }
  }

  private static BlockRecord toRecord(TableEntity entity) {
    return new BlockRecord(
        (String) entity.getProperty("Target"),
        (String) entity.getProperty("Address"),
        TableTimes.fromTable(entity.getProperty("ExpiresAt")),
        (String) entity.getProperty("IncidentId"),
        TableTimes.fromTable(entity.getProperty("BlockedAt")));
  }
}
