package org.sentinelplaybooks.clients;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.identity.DefaultAzureCredentialBuilder;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.implementation.Pipelines;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;

/**
 * Every service client, built once from the settings: one HTTP client, one credential ({@code
 * DefaultAzureCredential}: managed identity in Azure, {@code az login} on a workstation; none for
 * Local), one pipeline per token audience.
 */
public final class ServiceClients {
  private final SentinelClient sentinel;
  private final DefenderForCloudClient defenderForCloud;

  private ServiceClients(Settings settings, ClientOptions options) {
    AzureEnvironment cloud = settings.cloud();
    TokenCredential credential =
        cloud.isLocal()
            ? null
            : new DefaultAzureCredentialBuilder().authorityHost(cloud.authorityHost()).build();
    HttpClient httpClient = Pipelines.httpClient(options);
    HttpPipeline arm = Pipelines.create(httpClient, credential, cloud.armScope(), options);
    this.sentinel =
        SentinelClient.builder().endpoint(settings.armEndpoint()).pipeline(arm).buildClient();
    this.defenderForCloud =
        DefenderForCloudClient.builder()
            .endpoint(settings.armEndpoint())
            .pipeline(arm)
            .buildClient();
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
}
