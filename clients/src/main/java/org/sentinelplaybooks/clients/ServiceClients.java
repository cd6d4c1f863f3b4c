package org.sentinelplaybooks.clients;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.util.Optional;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.DefenderForEndpointClient;
import org.sentinelplaybooks.clients.graph.IdentityClient;
import org.sentinelplaybooks.clients.implementation.Pipelines;
import org.sentinelplaybooks.clients.network.NetworkClient;
import org.sentinelplaybooks.clients.resourcegraph.ResourceGraphClient;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;

/**
 * Every service client, built once from the settings: one HTTP client, one credential ({@code
 * DefaultAzureCredential}: managed identity in Azure, {@code az login} on a workstation; none for
 * Local), one pipeline per token audience.
 */
public final class ServiceClients {
  private final Settings settings;
  private final HttpClient httpClient;
  private final TokenCredential credential;
  private final SentinelClient sentinel;
  private final DefenderForCloudClient defenderForCloud;
  private final ServiceNowClient serviceNow;
  private final IdentityClient identity;
  private final NetworkClient network;
  private final ResourceGraphClient resourceGraph;
  private final DefenderForEndpointClient defenderForEndpoint;

  private ServiceClients(Settings settings, ClientOptions options) {
    this.settings = settings;
    AzureEnvironment cloud = settings.cloud();
    this.credential =
        cloud.isLocal()
            ? null
            : new DefaultAzureCredentialBuilder().authorityHost(cloud.authorityHost()).build();
    this.httpClient = Pipelines.httpClient(options);
    HttpPipeline arm = Pipelines.create(httpClient, credential, cloud.armScope(), options);
    this.sentinel =
        SentinelClient.builder().endpoint(settings.armEndpoint()).pipeline(arm).buildClient();
    this.defenderForCloud =
        DefenderForCloudClient.builder()
            .endpoint(settings.armEndpoint())
            .pipeline(arm)
            .buildClient();
    this.network =
        NetworkClient.builder().endpoint(settings.armEndpoint()).pipeline(arm).buildClient();
    this.resourceGraph =
        ResourceGraphClient.builder().endpoint(settings.armEndpoint()).pipeline(arm).buildClient();
    this.defenderForEndpoint =
        settings.mdeEndpoint() == null
            ? null
            : DefenderForEndpointClient.builder()
                .endpoint(settings.mdeEndpoint())
                .pipeline(
                    Pipelines.create(
                        httpClient, credential, mdeScope(cloud, settings.mdeEndpoint()), options))
                .buildClient();
    this.serviceNow =
        settings.serviceNow() == null
            ? null
            : ServiceNowClient.create(settings.serviceNow(), httpClient, options);
    this.identity =
        settings.graphEndpoint() == null
            ? null
            : IdentityClient.create(
                settings.graphEndpoint(),
                credential,
                cloud.graphScope(),
                IDENTITY_PROTECTION_INTERVAL);
  }

  /** Identity Protection answers 429 to a second request within a second. */
  static final java.time.Duration IDENTITY_PROTECTION_INTERVAL = java.time.Duration.ofMillis(1100);

  /** Entra ID through Microsoft Graph, when a Graph endpoint is known (always outside Local). */
  public Optional<IdentityClient> identity() {
    return Optional.ofNullable(identity);
  }

  /**
   * The Defender for Endpoint API's token audience is the cloud's, also when the endpoint is a
   * regional host; a cloud without one takes the endpoint's own.
   */
  private static String mdeScope(AzureEnvironment cloud, java.net.URI endpoint) {
    return cloud.mdeScope() != null
        ? cloud.mdeScope()
        : endpoint.toString().replaceAll("/+$", "") + "/.default";
  }

  /** Azure Resource Graph, for alert states in bulk. */
  public ResourceGraphClient resourceGraph() {
    return resourceGraph;
  }

  /** NSGs and Azure Firewall IP Groups over ARM. */
  public NetworkClient network() {
    return network;
  }

  /** Defender for Endpoint, when its API endpoint is known (always outside Local). */
  public Optional<DefenderForEndpointClient> defenderForEndpoint() {
    return Optional.ofNullable(defenderForEndpoint);
  }

  public static ServiceClients create(Settings settings) {
    return new ServiceClients(settings, ClientOptions.defaults());
  }

  public static ServiceClients create(Settings settings, ClientOptions options) {
    return new ServiceClients(settings, options);
  }

  public SentinelClient sentinel() {
    return sentinel;
  }

  public DefenderForCloudClient defenderForCloud() {
    return defenderForCloud;
  }

  /** ServiceNow, when {@code SERVICENOW_INSTANCE_URL} is set. */
  public Optional<ServiceNowClient> serviceNow() {
    return Optional.ofNullable(serviceNow);
  }

  /**
   * Azure Tables in the app's storage account: by connection string (Azurite locally), or by
   * account name with the managed identity. Empty when neither is set.
   */
  public Optional<TableServiceClient> tables() {
    StorageSettings storage = settings.storage();
    TableServiceClientBuilder builder = new TableServiceClientBuilder().httpClient(httpClient);
    if (storage.connectionString() != null) {
      return Optional.of(
          builder.connectionString(storage.connectionString().reveal()).buildClient());
    }
    if (storage.accountName() != null && credential != null) {
      String suffix = settings.cloud().storageSuffix();
      return Optional.of(
          builder
              .endpoint("https://" + storage.accountName() + ".table." + suffix)
              .credential(credential)
              .buildClient());
    }
    return Optional.empty();
  }
}
