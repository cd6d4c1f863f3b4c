package org.sentinelplaybooks.playbooks.state;

import com.azure.core.http.rest.Response;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import org.sentinelplaybooks.clients.sentinel.IncidentId;

/**
 * The {@code tickets} table in Azure Tables: partition per workspace, row per incident. The claim
 * is an insert (only one run can make it); later changes are conditional on the row's ETag.
 */
public final class TableTicketStore implements TicketStore {
  public static final String TABLE = "tickets";

  private final TableClient table;

  public TableTicketStore(TableServiceClient service) {
    service.createTableIfNotExists(TABLE);
    this.table = service.getTableClient(TABLE);
  }

  static String partition(IncidentId incident) {
    return (incident.workspace().subscriptionId()
            + ":"
            + incident.workspace().resourceGroup()
            + ":"
            + incident.workspace().name())
        .toLowerCase(Locale.ROOT);
  }

  static String row(IncidentId incident) {
    return incident.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public Optional<TicketLink> get(IncidentId incident) {
    return entity(incident).map(TableTicketStore::toLink);
  }

  private Optional<TableEntity> entity(IncidentId incident) {
    try {
      return Optional.of(table.getEntity(partition(incident), row(incident)));
    } catch (TableServiceException e) {
      if (e.getResponse().getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static TicketLink toLink(TableEntity entity) {
    Instant claimedAt = TableTimes.fromTable(entity.getProperty("ClaimedAt"));
    Instant at = claimedAt == null ? Instant.EPOCH : claimedAt;
    return new TicketLink(
        (String) entity.getProperty("IncidentId"),
        (String) entity.getProperty("ClaimedBy"),
        at,
        (String) entity.getProperty("SysId"),
        (String) entity.getProperty("Number"));
  }

  @Override
  public boolean claim(IncidentId incident, String runId) {
    TableEntity entity =
        new TableEntity(partition(incident), row(incident))
            .addProperty("IncidentId", incident.armId())
            .addProperty("ClaimedBy", runId)
            .addProperty("ClaimedAt", OffsetDateTime.now(ZoneOffset.UTC));
    try {
      table.createEntity(entity);
      return true;
    } catch (TableServiceException e) {
      if (e.getResponse().getStatusCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public boolean takeOver(IncidentId incident, TicketLink stale, String runId) {
    Optional<TableEntity> current = entity(incident);
    if (current.isEmpty() || !toLink(current.get()).equals(stale)) {
      return false;
    }
    TableEntity entity = current.get();
    entity
        .addProperty("ClaimedBy", runId)
        .addProperty("ClaimedAt", OffsetDateTime.now(ZoneOffset.UTC));
    return conditionalUpdate(entity);
  }

  @Override
  public void link(IncidentId incident, String sysId, String number) {
    TableEntity entity =
        entity(incident).orElseGet(() -> new TableEntity(partition(incident), row(incident)));
    entity
        .addProperty("IncidentId", incident.armId())
        .addProperty("SysId", sysId)
        .addProperty("Number", number);
    table.upsertEntity(entity);
  }

  @Override
  public void forget(IncidentId incident, String sysId) {
    Optional<TableEntity> current = entity(incident);
    if (current.isPresent() && sysId.equals(current.get().getProperty("SysId"))) {
      try {
        // Conditional on the row read, so a row changed since is kept.
        table.deleteEntityWithResponse(current.get(), true, null, null);
      } catch (TableServiceException e) {
        if (e.getResponse().getStatusCode() != 412 && e.getResponse().getStatusCode() != 404) {
          throw e;
        }
      }
    }
  }

  @Override
  public void release(IncidentId incident, String runId) {
    Optional<TableEntity> current = entity(incident);
    if (current.isPresent()
        && runId.equals(current.get().getProperty("ClaimedBy"))
        && current.get().getProperty("SysId") == null) {
      try {
        table.deleteEntityWithResponse(current.get(), true, null, null);
      } catch (TableServiceException e) {
        if (e.getResponse().getStatusCode() != 412 && e.getResponse().getStatusCode() != 404) {
          throw e;
        }
      }
    }
  }

  private boolean conditionalUpdate(TableEntity entity) {
    try {
      Response<Void> response =
          table.updateEntityWithResponse(entity, TableEntityUpdateMode.MERGE, true, null, null);
      return response.getStatusCode() / 100 == 2;
    } catch (TableServiceException e) {
      if (e.getResponse().getStatusCode() == 412) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public String describe() {
    return "Azure Tables '" + TABLE + "'";
  }
}
