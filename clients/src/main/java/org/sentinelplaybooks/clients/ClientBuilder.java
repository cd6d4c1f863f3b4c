package org.sentinelplaybooks.clients;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.net.URI;
import java.util.Objects;
import java.util.function.BiFunction;
import org.sentinelplaybooks.clients.implementation.BoundedRetryStrategy;
import org.sentinelplaybooks.clients.implementation.Lazy;
import org.sentinelplaybooks.clients.implementation.Pipelines;

/**
 * Builds every service client: a service root, and either a ready pipeline or what to build one
 * from (a credential and token scope, or the service's own authentication). Without either, the
 * development token is used, which is only ever sent to loopback addresses (the emulator). Whatever
 * the HTTP stack (the azure-core pipeline, or the Microsoft Graph SDK's), a client built here
 * follows the same {@link org.sentinelplaybooks.clients.implementation.CallRules}.
 */
public final class ClientBuilder<C> {
  /** Makes a client that also waits (polls, paces) by the options. */
  @FunctionalInterface
  public interface Factory<C> {
    C create(HttpPipeline pipeline, URI endpoint, ClientOptions options);
  }

  /** Makes a client from everything the builder was given (see {@link Connection}). */
  @FunctionalInterface
  public interface ConnectionFactory<C> {
    C create(Connection connection);
  }

  /**
   * What a client is built from: its root, options and credential, and pipelines on request (none
   * is built for a client on another stack, such as Graph's).
   */
  public static final class Connection {
    private final URI endpoint;
    private final ClientOptions options;
    private final TokenCredential credential;
    private final String scope;
    private final HttpPipeline pipeline;
    private final Lazy<HttpClient> http;

    /** One signing policy for every pipeline of the client, so that they share a token. */
    private final Lazy<HttpPipelinePolicy> signing;

    private Connection(ClientBuilder<?> builder) {
      this.endpoint = Objects.requireNonNull(builder.endpoint, "endpoint");
      this.options = builder.options;
      this.credential = builder.credential;
      this.scope = builder.scope;
      this.pipeline = builder.pipeline;
      HttpClient given = builder.httpClient;
      this.http = new Lazy<>(() -> given != null ? given : Pipelines.httpClient(options));
      BiFunction<HttpClient, ClientOptions, HttpPipelinePolicy> authentication =
          builder.authentication;
      this.signing =
          new Lazy<>(
              () ->
                  authentication != null
                      ? authentication.apply(http.get(), options)
                      : Pipelines.authentication(credential, scope));
    }

    public URI endpoint() {
      return endpoint;
    }

    public ClientOptions options() {
      return options;
    }

    /** Null for Local (the development token). */
    public TokenCredential credential() {
      return credential;
    }

    public String scope() {
      return scope;
    }

    /** The pipeline given, or one with the options' retries. */
    public HttpPipeline pipeline() {
      return pipeline(BoundedRetryStrategy.of(options));
    }

    /**
     * The pipeline given (as it is), or one that retries as {@code retry} says, e.g. {@link
     * BoundedRetryStrategy#refusalsOnly} for a request that must not be carried out twice.
     */
    public HttpPipeline pipeline(BoundedRetryStrategy retry) {
      if (pipeline != null) {
        return pipeline;
      }
      return Pipelines.create(http.get(), signing.get(), retry, options);
    }
  }

  private final ConnectionFactory<C> factory;
  private URI endpoint;
  private HttpPipeline pipeline;
  private TokenCredential credential;
  private String scope;
  private BiFunction<HttpClient, ClientOptions, HttpPipelinePolicy> authentication;
  private HttpClient httpClient;
  private ClientOptions options = ClientOptions.defaults();

  public ClientBuilder(BiFunction<HttpPipeline, URI, C> factory) {
    this.factory = connection -> factory.apply(connection.pipeline(), connection.endpoint());
  }

  private ClientBuilder(ConnectionFactory<C> factory) {
    this.factory = factory;
  }

  /** A builder for a client that is handed the options as well. */
  public static <C> ClientBuilder<C> withOptions(Factory<C> factory) {
    return new ClientBuilder<>(
        connection ->
            factory.create(connection.pipeline(), connection.endpoint(), connection.options()));
  }

  /**
   * A builder for a client that takes what it needs from the {@link Connection}: several pipelines,
   * or another HTTP stack.
   */
  public static <C> ClientBuilder<C> withConnection(ConnectionFactory<C> factory) {
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

  /**
   * How requests are signed when not with a token for a scope (ServiceNow's basic or OAuth), made
   * from the HTTP client, which the signing may need for its own requests (a token's), and the
   * options (whose clock a token's expiry is kept by).
   */
  public ClientBuilder<C> authentication(
      BiFunction<HttpClient, ClientOptions, HttpPipelinePolicy> authentication) {
    this.authentication = authentication;
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
    return factory.create(new Connection(this));
  }
}
