package org.sentinelplaybooks.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.implementation.LocalDevelopmentTokenPolicy;
import org.sentinelplaybooks.clients.implementation.Pipelines;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The pipeline's guards, checked on an in-memory HTTP client: no request leaves the process. */
class PipelineTest {
  static final WorkspaceId WORKSPACE = WorkspaceId.parse(SettingsTest.WORKSPACE);

  @Test
  void theDevelopmentTokenGoesOnlyToLoopbackHosts() {
    RecordingHttpClient http =
        new RecordingHttpClient(request -> json(request, 200, "{\"value\":[]}"));
    SentinelClient local =
        SentinelClient.builder().endpoint("http://127.0.0.1:9").httpClient(http).buildClient();
    local.listIncidents(WORKSPACE, null, null, null).stream().count();
    assertEquals(1, http.requests.size());
    assertEquals(
        "Bearer " + LocalDevelopmentTokenPolicy.DEVELOPMENT_TOKEN,
        http.requests.get(0).getHeaders().getValue(HttpHeaderName.AUTHORIZATION));

    SentinelClient remote =
        SentinelClient.builder()
            .endpoint("https://management.azure.com")
            .httpClient(http)
            .buildClient();
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> remote.listIncidents(WORKSPACE, null, null, null).stream().count());
    assertTrue(
        e.getMessage().contains("refusing to send the development token to management.azure.com"),
        e.getMessage());
    assertEquals(1, http.requests.size(), "nothing was sent to the non-loopback host");
  }

  @Test
  void aCredentialsTokenIsSentForItsScope() {
    RecordingHttpClient http =
        new RecordingHttpClient(request -> json(request, 200, "{\"value\":[]}"));
    List<String> scopes = new ArrayList<>();
    SentinelClient client =
        SentinelClient.builder()
            .endpoint("https://management.azure.com")
            .httpClient(http)
            .credential(
                context -> {
                  scopes.addAll(context.getScopes());
                  return Mono.just(
                      new AccessToken("token-from-credential", OffsetDateTime.now().plusHours(1)));
                },
                "https://management.azure.com/.default")
            .buildClient();
    client.listIncidents(WORKSPACE, null, null, null).stream().count();
    assertEquals(List.of("https://management.azure.com/.default"), scopes);
    assertEquals(
        "Bearer token-from-credential",
        http.requests.get(0).getHeaders().getValue(HttpHeaderName.AUTHORIZATION));
  }

  @Test
  void aNextLinkToAnotherHostIsNotFollowed() {
    RecordingHttpClient http =
        new RecordingHttpClient(
            request ->
                json(
                    request,
                    200,
                    "{\"value\":[],\"nextLink\":\"https://collector.example.net/steal?api-version=2025-06-01\"}"));
    SentinelClient client =
        SentinelClient.builder()
            .endpoint("https://management.azure.com")
            .httpClient(http)
            .credential(
                context -> Mono.just(new AccessToken("t", OffsetDateTime.now().plusHours(1))),
                "https://management.azure.com/.default")
            .buildClient();
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> client.listIncidents(WORKSPACE, null, null, null).stream().count());
    assertEquals("UnexpectedLink", e.code());
    assertEquals(1, http.requests.size());
  }

  @Test
  void aListedIncidentOfAnotherWorkspaceIsRefused() {
    String other =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-other"
            + "/providers/Microsoft.OperationalInsights/workspaces/law-other"
            + "/providers/Microsoft.SecurityInsights/incidents/63883bf7-5be1-42f4-809a-0417943b837b";
    RecordingHttpClient http =
        new RecordingHttpClient(
            request ->
                json(
                    request,
                    200,
                    "{\"value\":[{\"id\":\""
                        + other
                        + "\",\"etag\":\"\\\"1\\\"\",\"properties\":{}}]}"));
    SentinelClient client =
        SentinelClient.builder().endpoint("http://127.0.0.1:9").httpClient(http).buildClient();
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> client.listIncidents(WORKSPACE, null, null, null).stream().count());
    assertEquals("UnexpectedResource", e.code());
  }

  @Test
  void errorsCarryStatusCodeAndMessageButNoToken() {
    RecordingHttpClient http =
        new RecordingHttpClient(
            request ->
                json(
                    request,
                    403,
                    "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"no access\"}}"));
    SentinelClient client =
        SentinelClient.builder()
            .endpoint("https://management.azure.com")
            .httpClient(http)
            .credential(
                context ->
                    Mono.just(
                        new AccessToken("secret-token-value", OffsetDateTime.now().plusHours(1))),
                "https://management.azure.com/.default")
            .buildClient();
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> client.listIncidents(WORKSPACE, null, null, null).stream().count());
    assertEquals(403, e.status());
    assertEquals("AuthorizationFailed", e.code());
    assertEquals("Sentinel answered 403 AuthorizationFailed: no access", e.getMessage());
    assertTrue(!e.getMessage().contains("secret-token-value"));
  }

  @Test
  void retriesStopAfterTheBudget() {
    RecordingHttpClient http =
        new RecordingHttpClient(
            request ->
                json(
                    request,
                    503,
                    "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}}"));
    SentinelClient client =
        SentinelClient.builder()
            .endpoint("http://127.0.0.1:9")
            .httpClient(http)
            .options(
                new ClientOptions(
                    3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5)))
            .buildClient();
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> client.listIncidents(WORKSPACE, null, null, null).stream().count());
    assertEquals(503, e.status());
    assertEquals(4, http.requests.size(), "one try and three retries");
  }

  /**
   * The same rules on azure-core's asynchronous path (which the SDKs' clients take): a 429 that
   * names a wait is waited out without counting as a try, then a 503 is retried.
   */
  @Test
  void theAsynchronousPathFollowsTheSameRules() {
    List<Integer> statuses = new ArrayList<>(List.of(429, 503, 200));
    RecordingHttpClient http =
        new RecordingHttpClient(
            request -> {
              HttpResponse response = json(request, statuses.remove(0), "{}");
              response.getHeaders().set(HttpHeaderName.fromString("retry-after-ms"), "1");
              return response;
            });
    HttpPipeline pipeline =
        Pipelines.create(
            http,
            (TokenCredential) null,
            null,
            new ClientOptions(
                1, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5)));
    HttpResponse response =
        pipeline.send(new HttpRequest(HttpMethod.GET, "http://127.0.0.1:9/x")).block();
    assertEquals(200, response.getStatusCode());
    assertEquals(3, http.requests.size(), "one try, a throttled one waited out, one retry");
  }

  private static HttpResponse json(HttpRequest request, int status, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpHeaders headers = new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/json");
    return new HttpResponse(request) {
      @Override
      public int getStatusCode() {
        return status;
      }

      @Override
      @Deprecated
      public String getHeaderValue(String name) {
        return headers.getValue(name);
      }

      @Override
      public HttpHeaders getHeaders() {
        return headers;
      }

      @Override
      public Flux<java.nio.ByteBuffer> getBody() {
        return Flux.just(java.nio.ByteBuffer.wrap(bytes));
      }

      @Override
      public Mono<byte[]> getBodyAsByteArray() {
        return Mono.just(bytes);
      }

      @Override
      public Mono<String> getBodyAsString() {
        return Mono.just(body);
      }

      @Override
      public Mono<String> getBodyAsString(java.nio.charset.Charset charset) {
        return Mono.just(body);
      }

      @Override
      public BinaryData getBodyAsBinaryData() {
        return BinaryData.fromBytes(bytes);
      }
    };
  }

  /** An azure-core HTTP client that answers from a function and keeps every request. */
  static final class RecordingHttpClient implements HttpClient {
    final List<HttpRequest> requests = new ArrayList<>();
    private final Function<HttpRequest, HttpResponse> answer;

    RecordingHttpClient(Function<HttpRequest, HttpResponse> answer) {
      this.answer = answer;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
      return Mono.fromCallable(() -> sendSync(request, com.azure.core.util.Context.NONE));
    }

    @Override
    public synchronized HttpResponse sendSync(
        HttpRequest request, com.azure.core.util.Context context) {
      requests.add(request);
      return answer.apply(request);
    }
  }
}
