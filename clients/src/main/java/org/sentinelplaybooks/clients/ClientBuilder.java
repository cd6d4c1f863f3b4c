package org.sentinelplaybooks.clients;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import java.net.URI;
import java.util.Objects;
import java.util.function.BiFunction;
import org.sentinelplaybooks.clients.implementation.Pipelines;

/**
 * Builds a service client: a service root, and either a ready pipeline or a credential and token
 * scope to build one. Without a credential the development token is used, which is only ever sent
 * to loopback addresses (the emulator).
 */
public final class ClientBuilder<C> {
  /** Makes a client that also waits (polls, paces) by the options. */
  @FunctionalInterface
  public interface Factory<C> {
    C create(HttpPipeline pipeline, URI endpoint, ClientOptions options);
  }

  private final Factory<C> factory;
  private URI endpoint;
  private HttpPipeline pipeline;
  private TokenCredential credential;
  private String scope;
  private HttpClient httpClient;
  private ClientOptions options = ClientOptions.defaults();

  public ClientBuilder(BiFunction<HttpPipeline, URI, C> factory) {
    this.factory = (pipeline, endpoint, options) -> factory.apply(pipeline, endpoint);
  }

  private ClientBuilder(Factory<C> factory) {
    this.factory = factory;
  }

  /** A builder for a client that is handed the options as well. */
  public static <C> ClientBuilder<C> withOptions(Factory<C> factory) {
    return new ClientBuilder<>(factory);
  }

  public ClientBuilder<C> endpoint(URI endpoint) {
    this.endpoint = endpoint;
    return this;
  }

  public ClientBuilder<C> endpoint(String endpoint) {
    return endpoint(URI.create(endpoint));
  }

  /**
   * A pipeline to send through as it is; credential and scope are then not used, and the options
   * only for the client's own waits (an operation's polls).
   */
  public ClientBuilder<C> pipeline(HttpPipeline pipeline) {
    this.pipeline = pipeline;
    return this;
  }

  public ClientBuilder<C> credential(TokenCredential credential, String scope) {
    this.credential = credential;
    this.scope = scope;
    return this;
  }

  public ClientBuilder<C> httpClient(HttpClient httpClient) {
    this.httpClient = httpClient;
    return this;
  }

  public ClientBuilder<C> options(ClientOptions options) {
    this.options = Objects.requireNonNull(options);
    return this;
  }

  public C buildClient() {
    Objects.requireNonNull(endpoint, "endpoint");
    HttpPipeline built = pipeline;
    if (built == null) {
      HttpClient client = httpClient != null ? httpClient : Pipelines.httpClient(options);
      built = Pipelines.create(client, credential, scope, options);
    }
    return factory.create(built, endpoint, options);
  }
}
