package org.sentinelplaybooks.playbooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.Waiter;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.ManualClock;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;
import org.sentinelplaybooks.playbooks.block.BlockSettings;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.identity.IdentitySettings;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileOptions;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileProgress;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileReport;
import org.sentinelplaybooks.playbooks.state.TableActionStore;
import org.sentinelplaybooks.playbooks.state.TableBlockStore;
import org.sentinelplaybooks.playbooks.state.TableCheckpointStore;
import org.sentinelplaybooks.playbooks.state.TableTicketStore;

/**
 * The test bed: the emulator seeded with the attack scenario, and the real clients and playbooks
 * pointed at it over HTTP, as in production with {@code AZURE_CLOUD=Local}.
 */
public final class EmulatedAzure implements AutoCloseable {
  public static final String WORKSPACE =
      "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-sentinel"
          + "/providers/Microsoft.OperationalInsights/workspaces/law-sentinel-prod";
  public static final String INCIDENT =
      WORKSPACE
          + "/providers/Microsoft.SecurityInsights/incidents/63883bf7-5be1-42f4-809a-0417943b837b";

  /** Short back-off so retry tests take milliseconds; Retry-After headers still rule. */
  public static final ClientOptions FAST_RETRIES =
      new ClientOptions(4, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(5));

  public static final String SERVICENOW_USER = "svc-sentinel-playbooks";

  /** The scenario's protected group; Bob is in it through a nested group. */
  public static final String TIER0_GROUP = "7a7a7a7a-0001-4000-8000-000000000001";

  public static final String SERVICENOW_CLIENT = "sentinel-playbooks-client";

  /** The scenario's enforcement points for block-ip. */
  public static final String NETWORK =
      "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-network"
          + "/providers/Microsoft.Network/";

  public static final String NSG = NETWORK + "networkSecurityGroups/nsg-web";
  public static final String IP_GROUP = NETWORK + "ipGroups/ipg-blocked-attackers";
  public static final String NAMED_LOCATION = "5f2b8a3c-9d4e-4f1a-b6c7-8e9f0a1b2c3d";

  /** A password made for this test bed only, so a test can look for it where it must not be. */
  public final String serviceNowPassword = "pw-" + UUID.randomUUID();

  public final Emulator emulator;
  public final PlaybookSettings settings;
  public final ServiceClients clients;
  public final Playbooks playbooks;
  public final List<LogRecord> logs = new CopyOnWriteArrayList<>();
  public final Logger log;

  private EmulatedAzure(Map<String, String> extraSettings, boolean serviceNowOAuth) {
    this(Scenario.builtIn("attack"), extraSettings, serviceNowOAuth, FAST_RETRIES);
  }

  private EmulatedAzure(
      Scenario scenario,
      Map<String, String> extraSettings,
      boolean serviceNowOAuth,
      ClientOptions options) {
    emulator = Emulator.start(scenario);
    Map<String, String> values = new HashMap<>();
    values.put(Settings.AZURE_CLOUD, "Local");
    values.put(Settings.AZURE_ARM_ENDPOINT, emulator.baseUrl());
    values.put(PlaybookSettings.SENTINEL_WORKSPACES, WORKSPACE);
    values.put(Settings.AZURE_GRAPH_ENDPOINT, emulator.baseUrl());
    values.put(IdentitySettings.PROTECTED_GROUPS, TIER0_GROUP);
    values.put(Settings.SERVICENOW_INSTANCE_URL, emulator.baseUrl());
    if (serviceNowOAuth) {
      values.put(Settings.SERVICENOW_CLIENT_ID, SERVICENOW_CLIENT);
      values.put(Settings.SERVICENOW_CLIENT_SECRET, serviceNowPassword);
    } else {
      values.put(Settings.SERVICENOW_USERNAME, SERVICENOW_USER);
      values.put(Settings.SERVICENOW_PASSWORD, serviceNowPassword);
    }
    values.put(Settings.AZURE_WEBJOBS_STORAGE, Azurite.tableConnectionString());
    values.put(Settings.MDE_API_ENDPOINT, emulator.baseUrl());
    values.put(BlockSettings.BLOCK_NSG_IDS, NSG);
    values.put(BlockSettings.BLOCK_IP_GROUP_IDS, IP_GROUP);
    values.put(BlockSettings.BLOCK_NAMED_LOCATION_ID, NAMED_LOCATION);
    values.put(BlockSettings.BLOCK_MDE, "true");
    values.putAll(extraSettings);
    emulator
        .state()
        .setServiceNowAccount(
            SERVICENOW_USER, serviceNowPassword, SERVICENOW_CLIENT, serviceNowPassword);
    settings = PlaybookSettings.from(values);
    clients = ServiceClients.create(settings.clients(), options);
    clients.tables().orElseThrow().deleteTable(TableTicketStore.TABLE);
    clients.tables().orElseThrow().deleteTable(TableBlockStore.TABLE);
    clients.tables().orElseThrow().deleteTable(TableCheckpointStore.TABLE);
    clients.tables().orElseThrow().deleteTable(TableActionStore.TABLE);
    playbooks = Playbooks.create(settings, clients);
    log = Logger.getAnonymousLogger();
    log.setUseParentHandlers(false);
    log.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logs.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  public static EmulatedAzure start() {
    return new EmulatedAzure(Map.of(), false);
  }

  public static EmulatedAzure start(Map<String, String> extraSettings) {
    return new EmulatedAzure(extraSettings, false);
  }

  /** Another scenario than the attack (e.g. a generated one), with more settings. */
  public static EmulatedAzure start(Scenario scenario, Map<String, String> extraSettings) {
    return new EmulatedAzure(scenario, extraSettings, false, FAST_RETRIES);
  }

  /** The clients with these options (a test's waiter, say). */
  public static EmulatedAzure start(ClientOptions options) {
    return new EmulatedAzure(Scenario.builtIn("attack"), Map.of(), false, options);
  }

  /**
   * On a clock the test holds: the clients wait by it (each retry moves it on), the stores and
   * playbooks read it, and the emulator stamps and paces by it and waits out latency on it.
   */
  public static EmulatedAzure startAt(ManualClock clock) {
    EmulatedAzure azure =
        new EmulatedAzure(
            Scenario.builtIn("attack"), Map.of(), false, FAST_RETRIES.withWaiter(waiterOn(clock)));
    azure.emulator.useClock(clock);
    return azure;
  }

  /** ServiceNow with OAuth client credentials instead of a user and password. */
  public static EmulatedAzure startWithServiceNowOAuth() {
    return new EmulatedAzure(Map.of(), true);
  }

  /** Waits that advance {@code clock} instead of sleeping; hand the same clock to the emulator. */
  public static Waiter waiterOn(ManualClock clock) {
    return new Waiter() {
      @Override
      public Clock clock() {
        return clock;
      }

      @Override
      public void sleep(Duration duration) {
        clock.advance(duration);
      }
    };
  }

  public PlaybookResult run(String playbook, String body) {
    return playbooks.run(playbook, body, false, log);
  }

  public PlaybookResult dryRun(String playbook, String body) {
    return playbooks.run(playbook, body, true, log);
  }

  /** Reconciles the workspace from its checkpoint, as the queue-triggered function does. */
  public ReconcileReport reconcile(String workspace, boolean dryRun) {
    return playbooks
        .reconcile(
            new ReconcileOptions(
                org.sentinelplaybooks.clients.sentinel.WorkspaceId.parse(workspace), null, dryRun),
            log,
            java.util.UUID.randomUUID().toString(),
            ReconcileProgress.NONE)
        .get(0);
  }

  public List<RecordedRequest> writes() {
    return emulator.requests().stream().filter(RecordedRequest::isWrite).toList();
  }

  /** The Sentinel incident trigger body of the scenario's incident, as Logic Apps delivers it. */
  public static String triggerBody() {
    try (InputStream in =
        EmulatedAzure.class.getResourceAsStream("/sentinel-incident-trigger.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    emulator.close();
  }
}
