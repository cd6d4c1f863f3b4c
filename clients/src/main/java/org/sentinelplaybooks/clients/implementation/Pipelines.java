package org.sentinelplaybooks.clients.implementation;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.AddHeadersPolicy;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sentinelplaybooks.clients.ClientOptions;

/**
 * Builds the azure-core pipelines the clients send through: the shared {@link CallRules} (retry,
 * throttling, pacing), then authentication.
 */
public final class Pipelines {
  static final String USER_AGENT = "sentinel-playbooks/0.1";

  /** The longest a connection may take to open, on every HTTP stack. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private Pipelines() {}

  /**
   * A pipeline that authenticates with the credential for the scope, or, when the credential is
   * null (Local), with the development token, which only ever goes to loopback hosts.
   */
  public static HttpPipeline create(
      HttpClient httpClient, TokenCredential credential, String scope, ClientOptions options) {
    return create(httpClient, authentication(credential, scope), options);
  }

  /** A token for the scope from the credential, or the development token when it is null. */
  public static HttpPipelinePolicy authentication(TokenCredential credential, String scope) {
    return credential == null
        ? new LocalDevelopmentTokenPolicy()
        : new BearerTokenAuthenticationPolicy(credential, Objects.requireNonNull(scope, "scope"));
  }

  /** A pipeline with retry, then the given authentication. */
  public static HttpPipeline create(
      HttpClient httpClient, HttpPipelinePolicy authentication, ClientOptions options) {
    return create(httpClient, authentication, BoundedRetryStrategy.of(options), options);
  }

  /**
   * A pipeline with this retry strategy, then the given authentication. No policy follows a
   * redirect (azure-core adds none unless asked, and the JDK client is built not to): a 3xx comes
   * back to the caller, which refuses it.
   */
  public static HttpPipeline create(
      HttpClient httpClient,
      HttpPipelinePolicy authentication,
      BoundedRetryStrategy retry,
      ClientOptions options) {
    List<HttpPipelinePolicy> policies = new ArrayList<>();
    policies.add(
        new AddHeadersPolicy(new HttpHeaders().set(HttpHeaderName.USER_AGENT, USER_AGENT)));
    policies.add(new RequestIdPolicy());
    policies.add(new CallRulesPolicy(new CallRules(retry, options)));
    policies.add(authentication);
    return new HttpPipelineBuilder()
        .httpClient(httpClient)
        .policies(policies.toArray(new HttpPipelinePolicy[0]))
        .build();
  }

  /**
   * The JDK HTTP client, the HTTP stack of every client but Microsoft Graph's (whose SDK brings
   * OkHttp, see {@link GraphTransport}), never following a redirect: said here rather than left to
   * the JDK's default.
   */
  public static HttpClient httpClient(ClientOptions options) {
    return new JdkHttpClientBuilder(
            java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER))
        .connectionTimeout(CONNECT_TIMEOUT)
        .responseTimeout(options.responseTimeout())
        .build();
  }
}
