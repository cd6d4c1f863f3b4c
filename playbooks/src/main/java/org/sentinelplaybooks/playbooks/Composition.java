package org.sentinelplaybooks.playbooks;

import com.azure.data.tables.TableServiceClient;
import java.util.Optional;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.playbooks.state.ActionStore;
import org.sentinelplaybooks.playbooks.state.BlockStore;
import org.sentinelplaybooks.playbooks.state.CheckpointStore;
import org.sentinelplaybooks.playbooks.state.InMemoryActionStore;
import org.sentinelplaybooks.playbooks.state.InMemoryBlockStore;
import org.sentinelplaybooks.playbooks.state.InMemoryCheckpointStore;
import org.sentinelplaybooks.playbooks.state.InMemoryTicketStore;
import org.sentinelplaybooks.playbooks.state.TableActionStore;
import org.sentinelplaybooks.playbooks.state.TableBlockStore;
import org.sentinelplaybooks.playbooks.state.TableCheckpointStore;
import org.sentinelplaybooks.playbooks.state.TableTicketStore;
import org.sentinelplaybooks.playbooks.state.TicketStore;

/**
 * The one composition root, for the functions and the CLI alike: settings, then the clients, then
 * the state (ticket links, blocks, reconcile checkpoints, completed identity actions), then the
 * playbooks ({@link Playbooks#create}). The state lives in the {@code tickets}, {@code blocks},
 * {@code checkpoints} and {@code actions} tables of the app's storage, or in this process's memory
 * when no storage is set (a run from a terminal; the demo, which keeps it in memory always).
 */
public final class Composition {
  private final Settings settings;
  private final ServiceClients clients;
  private final Playbooks playbooks;

  private Composition(Settings settings, ServiceClients clients, Playbooks playbooks) {
    this.settings = settings;
    this.clients = clients;
    this.playbooks = playbooks;
  }

  /** Everything the settings describe, with the clients they configure. */
  public static Composition of(Settings settings) {
    return of(settings, ServiceClients.create(settings));
  }

  /** Everything the settings describe, over these clients. */
  public static Composition of(Settings settings, ServiceClients clients) {
    return of(settings, clients, clients.tables());
  }

  /** As {@link #of(Settings, ServiceClients)}, the state in memory whatever storage is set. */
  public static Composition inMemory(Settings settings, ServiceClients clients) {
    return of(settings, clients, Optional.empty());
  }

  /** The state in {@code tables}, each store in memory when there are none. */
  private static Composition of(
      Settings settings, ServiceClients clients, Optional<TableServiceClient> tables) {
    return new Composition(
        settings,
        clients,
        Playbooks.create(
            settings,
            clients,
            tables.<TicketStore>map(TableTicketStore::new).orElseGet(InMemoryTicketStore::new),
            tables.<BlockStore>map(TableBlockStore::new).orElseGet(InMemoryBlockStore::new),
            tables
                .<CheckpointStore>map(TableCheckpointStore::new)
                .orElseGet(InMemoryCheckpointStore::new),
            tables.<ActionStore>map(TableActionStore::new).orElseGet(InMemoryActionStore::new)));
  }

  public Settings settings() {
    return settings;
  }

  public ServiceClients clients() {
    return clients;
  }

  public Playbooks playbooks() {
    return playbooks;
  }
}
