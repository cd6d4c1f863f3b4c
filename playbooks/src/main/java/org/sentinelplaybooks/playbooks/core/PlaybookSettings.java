package org.sentinelplaybooks.playbooks.core;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.SettingsException;
import org.sentinelplaybooks.clients.SettingsReader;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.playbooks.block.BlockSettings;
import org.sentinelplaybooks.playbooks.close.SuppressionSettings;
import org.sentinelplaybooks.playbooks.identity.IdentitySettings;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileSettings;
import org.sentinelplaybooks.playbooks.tickets.TicketSettings;

/**
 * Every app setting, parsed once: the clients' (cloud, endpoints, storage, how to reach ServiceNow)
 * and the playbooks' own policy (the workspaces they may act on, dry run, and each concern's
 * settings). {@link #from(Map)} reports every missing or malformed setting of either at once, each
 * by name, with what is expected.
 */
public record PlaybookSettings(
    Settings clients,
    Set<WorkspaceId> workspaces,
    boolean dryRun,
    TicketSettings tickets,
    IdentitySettings identity,
    BlockSettings block,
    ReconcileSettings reconcile,
    SuppressionSettings suppression,
    boolean defenderXdrSync) {

  public static final String SENTINEL_WORKSPACES = "SENTINEL_WORKSPACES";
  public static final String DRY_RUN = "DRY_RUN";
  public static final String DEFENDER_XDR_SYNC = "DEFENDER_XDR_SYNC";

  /** The names of all settings the app reads, for documentation and template checks. */
  public static final List<String> NAMES =
      Stream.of(
              List.of(SENTINEL_WORKSPACES, DRY_RUN),
              Settings.NAMES,
              TicketSettings.NAMES,
              IdentitySettings.NAMES,
              BlockSettings.NAMES,
              ReconcileSettings.NAMES,
              SuppressionSettings.NAMES,
              List.of(DEFENDER_XDR_SYNC))
          .flatMap(List::stream)
          .toList();

  public PlaybookSettings {
    workspaces = Collections.unmodifiableSet(new LinkedHashSet<>(workspaces));
  }

  public static PlaybookSettings fromEnvironment() {
    return from(System.getenv());
  }

  /**
   * The client and playbook settings from one environment.
   *
   * @throws SettingsException naming every problem in either
   */
  public static PlaybookSettings from(Map<String, String> values) {
    SettingsReader reader = new SettingsReader(values);
    Settings clients = Settings.read(reader);
    Set<WorkspaceId> workspaces = workspaces(reader);
    boolean dryRun = reader.bool(DRY_RUN, false);
    TicketSettings tickets = TicketSettings.read(reader);
    IdentitySettings identity = IdentitySettings.read(reader);
    BlockSettings block = BlockSettings.read(reader);
    ReconcileSettings reconcile = ReconcileSettings.read(reader);
    SuppressionSettings suppression = SuppressionSettings.read(reader);
    // On by default wherever Graph is reached; off without Graph, where it could do nothing.
    boolean graph = clients.graphEndpoint() != null;
    boolean defenderXdrSync = reader.bool(DEFENDER_XDR_SYNC, graph);
    if (defenderXdrSync && !graph) {
      reader.problem(
          DEFENDER_XDR_SYNC
              + ": true needs Microsoft Graph ("
              + Settings.AZURE_GRAPH_ENDPOINT
              + ")");
    }
    reader.check();
    return new PlaybookSettings(
        clients,
        workspaces,
        dryRun,
        tickets,
        identity,
        block,
        reconcile,
        suppression,
        defenderXdrSync);
  }

  /**
   * Whether the playbooks can keep records: storage is set ({@code AzureWebJobsStorage} or its
   * account name), or the cloud is Local, where the demo keeps them in memory. Against real Azure a
   * playbook whose records make expiry and {@code already} work must not run without them.
   */
  public boolean keepsRecords() {
    return clients.cloud().isLocal()
        || clients.storage().connectionString() != null
        || clients.storage().accountName() != null;
  }

  /** True when the workspace is in {@code SENTINEL_WORKSPACES}. */
  public boolean allowsWorkspace(WorkspaceId workspace) {
    return workspaces.stream().anyMatch(allowed -> allowed.sameAs(workspace));
  }

  private static Set<WorkspaceId> workspaces(SettingsReader values) {
    Set<WorkspaceId> workspaces = new LinkedHashSet<>();
    String value = values.text(SENTINEL_WORKSPACES);
    if (value == null) {
      values.problem(
          SENTINEL_WORKSPACES
              + ": required, a comma-separated list of the workspace ARM ids the playbooks may act on");
      return workspaces;
    }
    for (String item : value.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      try {
        workspaces.add(WorkspaceId.parse(item));
      } catch (IllegalArgumentException e) {
        values.problem(SENTINEL_WORKSPACES + ": " + e.getMessage());
      }
    }
    if (workspaces.isEmpty() && !values.hasProblemWith(SENTINEL_WORKSPACES)) {
      values.problem(SENTINEL_WORKSPACES + ": lists no workspace");
    }
    return workspaces;
  }
}
