package org.sentinelplaybooks.clients;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.DefenderForEndpointClient;
import org.sentinelplaybooks.clients.graph.DefenderXdrClient;
import org.sentinelplaybooks.clients.graph.GraphCaller;
import org.sentinelplaybooks.clients.graph.IdentityClient;
import org.sentinelplaybooks.clients.implementation.Lazy;
import org.sentinelplaybooks.clients.implementation.Pipelines;
import org.sentinelplaybooks.clients.network.NetworkClient;
import org.sentinelplaybooks.clients.resourcegraph.ResourceGraphClient;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;

/**
 * Every service client, each built once from the settings when it is first asked for: one HTTP
 * client, one credential ({@code DefaultAzureCredential}: managed identity in Azure, {@code az
 * login} on a workstation; none for Local), one pipeline per token audience. Safe to use from
 * several threads.
 */
public final class ServiceClients {
  /** Identity Protection answers 429 to a second request within a second. */
  public static final Duration IDENTITY_PROTECTION_INTERVAL = Duration.ofMillis(1100);

  private final Settings settings;
  private final Clock clock;
  private final Waiter waiter;
  private final Lazy<TokenCredential> credential;
  private final Lazy<HttpClient> httpClient;
  private final Lazy<HttpPipeline> arm;
  private final Lazy<SentinelClient> sentinel;
  private final Lazy<DefenderForCloudClient> defenderForCloud;
  private final Lazy<NetworkClient> network;
  private final Lazy<ResourceGraphClient> resourceGraph;
  private final Lazy<DefenderForEndpointClient> defenderForEndpoint;
  private final Lazy<ServiceNowClient> serviceNow;
  private final Lazy<GraphCaller> graph;
  private final Lazy<IdentityClient> identity;
  private final Lazy<DefenderXdrClient> defenderXdr;
  private final Lazy<TableServiceClient> tables;

  private ServiceClients(Settings settings, ClientOptions options) {
    this.settings = settings;
    this.clock = options.waiter().clock();
    this.waiter = options.waiter();
    AzureEnvironment cloud = settings.cloud();
    this.credential =
        new Lazy<>(
            () ->
                cloud.isLocal()
                    ? null
                    : new DefaultAzureCredentialBuilder()
                        .authorityHost(cloud.authorityHost())
                        .build());
    this.httpClient = new Lazy<>(() -> Pipelines.httpClient(options));
    this.arm =
        new Lazy<>(
            () -> Pipelines.create(httpClient.get(), credential.get(), cloud.armScope(), options));
    this.sentinel =
        new Lazy<>(
            () ->
                SentinelClient.builder()
                    .endpoint(settings.armEndpoint())
                    .pipeline(arm.get())
                    .buildClient());
    this.defenderForCloud =
        new Lazy<>(
            () ->
                DefenderForCloudClient.builder()
                    .endpoint(settings.armEndpoint())
                    .pipeline(arm.get())
                    .buildClient());
    this.network =
        new Lazy<>(
            () ->
                NetworkClient.builder()
                    .endpoint(settings.armEndpoint())
                    .pipeline(arm.get())
                    .options(options)
                    .buildClient());
    this.resourceGraph =
        new Lazy<>(
            () ->
                ResourceGraphClient.builder()
                    .endpoint(settings.armEndpoint())
                    .pipeline(arm.get())
                    .buildClient());
    this.defenderForEndpoint =
        new Lazy<>(
            () ->
                settings.mdeEndpoint() == null
                    ? null
                    : DefenderForEndpointClient.builder()
                        .endpoint(settings.mdeEndpoint())
                        .httpClient(httpClient.get())
                        .credential(
                            credential.get(),
                            AzureEnvironment.mdeScope(cloud, settings.mdeEndpoint()))
                        .options(options)
                        .buildClient());
    this.serviceNow =
        new Lazy<>(
            () ->
                settings.serviceNow() == null
                    ? null
                    : ServiceNowClient.builder(settings.serviceNow())
                        .httpClient(httpClient.get())
                        .options(options)
                        .buildClient());
    // One Graph connection (one request adapter, one OkHttp pool) for every Graph client.
    this.graph =
        new Lazy<>(
            () ->
                settings.graphEndpoint() == null
                    ? null
                    : GraphCaller.builder()
                        .endpoint(settings.graphEndpoint())
                        .credential(credential.get(), cloud.graphScope())
                        .options(options)
                        .buildClient());
    this.identity =
        new Lazy<>(
            () ->
                graph.get() == null
                    ? null
                    : IdentityClient.create(graph.get(), IDENTITY_PROTECTION_INTERVAL));
    this.defenderXdr =
        new Lazy<>(() -> graph.get() == null ? null : DefenderXdrClient.create(graph.get()));
    this.tables = new Lazy<>(this::buildTables);
  }

  public static ServiceClients create(Settings settings) {
    return new ServiceClients(settings, ClientOptions.defaults());
  }

  public static ServiceClients create(Settings settings, ClientOptions options) {
    return new ServiceClients(settings, options);
  }

  /** The clock the clients wait by, which a run's deadline is taken from. */
  public Clock clock() {
    return clock;
  }

  /** How the clients wait; a playbook that polls waits the same way, by the same clock. */
  public Waiter waiter() {
    return waiter;
  }

  public SentinelClient sentinel() {
    return sentinel.get();
  }

  public DefenderForCloudClient defenderForCloud() {
    return defenderForCloud.get();
  }

  /** ServiceNow, when {@code SERVICENOW_INSTANCE_URL} is set. */
  public Optional<ServiceNowClient> serviceNow() {
    return Optional.ofNullable(serviceNow.get());
  }

  /**
   * Entra ID through Microsoft Graph, when a Graph endpoint is known (always outside Local). Its
   * Graph stack is built on its first call.
   */
  public Optional<IdentityClient> identity() {
    return Optional.ofNullable(identity.get());
  }

  /**
   * Defender XDR alerts and incidents through Microsoft Graph, when a Graph endpoint is known
   * (always outside Local).
   */
  public Optional<DefenderXdrClient> defenderXdr() {
    return Optional.ofNullable(defenderXdr.get());
  }

  /** NSGs and Azure Firewall IP Groups over ARM. */
  public NetworkClient network() {
    return network.get();
  }

  /** Azure Resource Graph, for alert states in bulk. */
  public ResourceGraphClient resourceGraph() {
    return resourceGraph.get();
  }

  /** Defender for Endpoint, when its API endpoint is known (always outside Local). */
  public Optional<DefenderForEndpointClient> defenderForEndpoint() {
    return Optional.ofNullable(defenderForEndpoint.get());
  }

  /**
   * Azure Tables in the app's storage account: by connection string (Azurite locally), or by
   * account name with the managed identity. Empty when neither is set.
   */
  public Optional<TableServiceClient> tables() {
    return Optional.ofNullable(tables.get());
  }

  private TableServiceClient buildTables() {
    StorageSettings storage = settings.storage();
    if (storage.connectionString() != null) {
      return new TableServiceClientBuilder()
          .httpClient(httpClient.get())
          .connectionString(storage.connectionString().reveal())
          .buildClient();
    }
    if (storage.accountName() != null && credential.get() != null) {
      return new TableServiceClientBuilder()
          .httpClient(httpClient.get())
          .endpoint(
              "https://" + storage.accountName() + ".table." + settings.cloud().storageSuffix())
          .credential(credential.get())
          .buildClient();
    }
    return null;
  }
}
