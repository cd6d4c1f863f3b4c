package org.sentinelplaybooks.clients.implementation;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.sentinelplaybooks.clients.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What an Azure Resource Manager SDK client (Network, Resource Graph) is given, so that it calls
 * its service as every other client here does: its requests go through the shared pipeline (retry,
 * throttling, pacing, authentication, waits by the injected clock), synchronously, with no redirect
 * followed, bodies bounded and every error an {@link ApiException}; and only to the configured
 * root. The SDK's own models and paths are used; its transport, retry and error types are not.
 */
public final class ResourceManagerSdk {
  /**
   * The request context's key for headers that only the write itself carries ({@code If-Match},
   * {@code If-None-Match}), never the polls of its operation, which get the same context.
   */
  private static final String WRITE_HEADERS = "sentinel-playbooks.write-headers";

  private ResourceManagerSdk() {}

  /**
   * The pipeline to hand an SDK manager: these policies, the root check and the write headers, then
   * the shared pipeline behind {@code rest} as its HTTP client.
   */
  public static HttpPipeline pipeline(RestCaller rest, HttpPipelinePolicy... policies) {
    List<HttpPipelinePolicy> all = new ArrayList<>();
    all.add(new SameRootPolicy(rest));
    all.add(new WriteHeadersPolicy());
    all.add(new NoContentLengthPolicy());
    all.addAll(List.of(policies));
    return new HttpPipelineBuilder()
        .httpClient(new SharedPipelineClient(rest))
        .policies(all.toArray(new HttpPipelinePolicy[0]))
        .build();
  }

  /** A profile whose Resource Manager root is the configured endpoint. */
  public static AzureProfile profile(URI endpoint, String subscriptionId) {
    String root = endpoint.toString().replaceAll("/+$", "");
    return new AzureProfile(
        null, subscriptionId, new AzureEnvironment(Map.of("resourceManagerEndpointUrl", root)));
  }

  /** A request context that adds these headers to the write it is passed to. */
  public static Context withWriteHeaders(Map<String, String> headers) {
    HttpHeaders set = new HttpHeaders();
    headers.forEach(set::set);
    return new Context(WRITE_HEADERS, set);
  }

  /**
   * Runs an SDK call and turns whatever it fails with into an {@link ApiException}: ours as it is
   * (however the SDK's reactive layers wrapped it), the SDK's {@link ManagementException} with the
   * service's code and message, any other {@link HttpResponseException} of an error status with
   * that status, and an answer the SDK could not read (a success it failed to deserialize, or
   * anything else) as a malformed response.
   */
  public static <T> T call(String service, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw asApiException(service, e);
    }
  }

  public static ApiException asApiException(String service, RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ApiException api) {
        return api;
      }
      if (cause instanceof HttpResponseException http) {
        int status = http.getResponse() == null ? 0 : http.getResponse().getStatusCode();
        if (status < 400) {
          // A success the SDK could not read ("Deserialization Failed"), not the service's error.
          break;
        }
        String code = null;
        String message = http.getMessage();
        if (http instanceof ManagementException management && management.getValue() != null) {
          ManagementError error = management.getValue();
          code = error.getCode();
          message = error.getMessage();
        }
        return new ApiException(service, status, code, message, e);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return new ApiException(
        service, 0, "MalformedResponse", "the answer could not be read as the API defines it", e);
  }

  /** Refuses any request off the configured root, whatever link the SDK was handed. */
  private static final class SameRootPolicy extends HttpPipelineSyncPolicy {
    private final RestCaller rest;

    SameRootPolicy(RestCaller rest) {
      this.rest = rest;
    }

    @Override
    protected void beforeSendingRequest(HttpPipelineCallContext context) {
      rest.checkedSameHost(context.getHttpRequest().getUrl().toString());
    }
  }

  /** Adds the context's write headers to a write (not to the GETs that poll it). */
  private static final class WriteHeadersPolicy extends HttpPipelineSyncPolicy {
    @Override
    protected void beforeSendingRequest(HttpPipelineCallContext context) {
      HttpRequest request = context.getHttpRequest();
      if (request.getHttpMethod() == HttpMethod.GET) {
        return;
      }
      context
          .getData(WRITE_HEADERS)
          .filter(HttpHeaders.class::isInstance)
          .map(HttpHeaders.class::cast)
          .ifPresent(headers -> headers.forEach(h -> request.setHeader(h.getName(), h.getValue())));
    }
  }

  /**
   * Drops the {@code Content-Length} the SDK sets on every request: the JDK client refuses to take
   * it (a restricted header, logged as a warning on each request) and computes it from the body.
   */
  private static final class NoContentLengthPolicy extends HttpPipelineSyncPolicy {
    @Override
    protected void beforeSendingRequest(HttpPipelineCallContext context) {
      context.getHttpRequest().getHeaders().remove(HttpHeaderName.CONTENT_LENGTH);
    }
  }

  /**
   * The shared pipeline as the SDK's HTTP client: each request sent synchronously on the caller's
   * thread (so the retry and throttling waits are the injected clock's, within the run's deadline)
   * and read whole by {@link RestCaller#exchange}.
   */
  private static final class SharedPipelineClient implements HttpClient {
    private final RestCaller rest;

    SharedPipelineClient(RestCaller rest) {
      this.rest = rest;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
      return send(request, Context.NONE);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
      return Mono.fromCallable(() -> sendSync(request, context));
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
      return new ReadAnswer(request, rest.exchange(request, context));
    }
  }

  /** An answer already read whole. */
  private static final class ReadAnswer extends HttpResponse {
    private final RestCaller.Exchanged answer;
    private final BinaryData body;

    ReadAnswer(HttpRequest request, RestCaller.Exchanged answer) {
      super(request);
      this.answer = answer;
      this.body = BinaryData.fromString(answer.text());
    }

    @Override
    public int getStatusCode() {
      return answer.status();
    }

    @Override
    @Deprecated
    public String getHeaderValue(String name) {
      return answer.headers().getValue(name);
    }

    @Override
    public HttpHeaders getHeaders() {
      return answer.headers();
    }

    @Override
    public Flux<ByteBuffer> getBody() {
      return Flux.just(body.toByteBuffer());
    }

    @Override
    public Mono<byte[]> getBodyAsByteArray() {
      return Mono.just(body.toBytes());
    }

    @Override
    public Mono<String> getBodyAsString() {
      return Mono.just(answer.text());
    }

    @Override
    public Mono<String> getBodyAsString(Charset charset) {
      return Mono.just(new String(body.toBytes(), charset));
    }

    @Override
    public BinaryData getBodyAsBinaryData() {
      return body;
    }
  }
}
