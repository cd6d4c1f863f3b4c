package org.sentinelplaybooks.playbooks;

import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;

/**
 * The one composition root, for the functions and the CLI alike: settings, then the clients they
 * configure, then the state and the playbooks ({@link Playbooks#create(PlaybookSettings,
 * ServiceClients)}: ticket links, blocks, reconcile checkpoints and completed identity actions in
 * the app's storage tables, or in this process's memory when no storage is set, as for a run from a
 * terminal or the demo).
 */
public final class Composition {
  private final PlaybookSettings settings;
  private final ServiceClients clients;
  private final Playbooks playbooks;

  private Composition(PlaybookSettings settings, ServiceClients clients) {
    this.settings = settings;
    this.clients = clients;
    this.playbooks = Playbooks.create(settings, clients);
  }

  /** Everything the settings describe, with the clients they configure. */
  public static Composition of(PlaybookSettings settings) {
    return of(settings, ServiceClients.create(settings.clients()));
  }

  /** Everything the settings describe, over these clients (the demo's, a test's). */
  public static Composition of(PlaybookSettings settings, ServiceClients clients) {
    return new Composition(settings, clients);
  }

  public PlaybookSettings settings() {
    return settings;
  }

  public ServiceClients clients() {
    return clients;
  }

  public Playbooks playbooks() {
    return playbooks;
  }
}
