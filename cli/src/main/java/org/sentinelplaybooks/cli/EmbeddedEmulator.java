package org.sentinelplaybooks.cli;

import java.util.Map;
import java.util.UUID;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Scenario;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.state.InMemoryActionStore;
import org.sentinelplaybooks.playbooks.state.InMemoryBlockStore;
import org.sentinelplaybooks.playbooks.state.InMemoryCheckpointStore;
import org.sentinelplaybooks.playbooks.state.InMemoryTicketStore;

/**
 * The emulator started in this process on 127.0.0.1, with a ServiceNow account whose password is
 * made for this run only, and the playbooks wired to it with the real clients over HTTP, as {@link
 * DemoScenario#settings} configures them; ticket links, blocks and checkpoints are kept in memory.
 */
public final class EmbeddedEmulator implements AutoCloseable {
  public final Emulator emulator;
  final ServiceClients clients;
  public final Playbooks playbooks;

  private EmbeddedEmulator(Emulator emulator, ServiceClients clients, Playbooks playbooks) {
    this.emulator = emulator;
    this.clients = clients;
    this.playbooks = playbooks;
  }

  /** The scenario must hold the attack scenario's workspace, users and enforcement points. */
  public static EmbeddedEmulator start(
      Scenario scenario, Map<String, String> moreSettings, ClientOptions options) {
    Emulator emulator = Emulator.start(scenario);
    try {
      Map<String, String> values = settings(emulator);
      values.putAll(moreSettings);
      PlaybookSettings settings = PlaybookSettings.from(values);
      ServiceClients clients = ServiceClients.create(settings.clients(), options);
      return new EmbeddedEmulator(emulator, clients, playbooks(settings, clients));
    } catch (RuntimeException e) {
      emulator.close();
      throw e;
    }
  }

  /**
   * The app settings that point every service at {@code emulator}, after giving it a ServiceNow
   * account with a password made for this emulator only.
   */
  public static Map<String, String> settings(Emulator emulator) {
    String serviceNowPassword = UUID.randomUUID().toString();
    emulator
        .state()
        .setServiceNowAccount(DemoScenario.SERVICENOW_USER, serviceNowPassword, null, null);
    return DemoScenario.settings(emulator.baseUrl(), serviceNowPassword);
  }

  /**
   * The playbooks with these clients, and ticket links, blocks, checkpoints and completed actions
   * of their own, in memory: the emulator's settings name no storage.
   */
  public static Playbooks playbooks(PlaybookSettings settings, ServiceClients clients) {
    return playbooks(settings, clients, Parallel.shared());
  }

  /** As above, every call a run makes at the same time on {@code parallel}. */
  public static Playbooks playbooks(
      PlaybookSettings settings, ServiceClients clients, Parallel parallel) {
    return Playbooks.create(
        settings,
        clients,
        new InMemoryTicketStore(clients.clock()),
        new InMemoryBlockStore(),
        new InMemoryCheckpointStore(clients.clock()),
        new InMemoryActionStore(),
        parallel);
  }

  /**
   * Starts {@code emulator} over from the attack scenario, with the account {@code settings} name.
   */
  public static void reset(Emulator emulator, PlaybookSettings settings) {
    emulator.reset(Scenario.builtIn(DemoScenario.NAME));
    emulator
        .state()
        .setServiceNowAccount(
            DemoScenario.SERVICENOW_USER,
            settings.clients().serviceNow().password().reveal(),
            null,
            null);
  }

  @Override
  public void close() {
    emulator.close();
  }
}
