package org.sentinelplaybooks.clients.graph;

import com.azure.core.credential.TokenCredential;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.kiota.HttpMethod;
import com.microsoft.kiota.NativeResponseHandler;
import com.microsoft.kiota.RequestAdapter;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.http.ObservabilityOptions;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.implementation.BoundedRetryStrategy;
import org.sentinelplaybooks.clients.implementation.Lazy;

/**
 * The Microsoft Graph transport shared by the Graph clients: the Graph SDK's core request adapter
 * (Kiota, OkHttp) built on the first call, the token only for the configured host, the same bounded
 * retry as the other clients (after {@code Retry-After} when Graph gives one), Graph's error body
 * turned into {@link ApiException}; a redirect is a failure, never followed.
 */
final class GraphCaller {
  static final String SERVICE = "Microsoft Graph";

  private final Lazy<RequestAdapter> adapter;
  private final String root;
  private final BoundedRetryStrategy retry;

  GraphCaller(URI endpoint, TokenCredential credential, String scope, ClientOptions options) {
    this.root = endpoint.toString().replaceAll("/+$", "") + "/v1.0";
    this.adapter =
        new Lazy<>(
            () ->
                new BaseGraphRequestAdapter(
                    new GraphAuthenticationProvider(endpoint, credential, scope), root));
    this.retry = BoundedRetryStrategy.of(options);
  }

  JsonNode send(HttpMethod method, String pathAndQuery, byte[] body) {
    return send(method, pathAndQuery, body, () -> {});
  }

  /**
   * Sends, and sends again while the answer or the failure is one to retry and tries are left.
   * {@code beforeEachTry} runs before every try (a service's pacing takes a slot for each).
   */
  JsonNode send(HttpMethod method, String pathAndQuery, byte[] body, Runnable beforeEachTry) {
    for (int retries = 0; ; retries++) {
      beforeEachTry.run();
      Attempt attempt = sendOnce(method, pathAndQuery, body);
      if (attempt.error() == null) {
        return attempt.body();
      }
      if (!attempt.retriable() || retries >= retry.getMaxRetries()) {
        throw attempt.error();
      }
      sleep(
          attempt.retryAfter() != null ? attempt.retryAfter() : retry.calculateRetryDelay(retries));
    }
  }

  /** One try: the parsed body, or the error and whether to try again, and when. */
  private record Attempt(
      JsonNode body, ApiException error, boolean retriable, Duration retryAfter) {}

  private Attempt sendOnce(HttpMethod method, String pathAndQuery, byte[] body) {
    RequestInformation request = new RequestInformation();
    request.httpMethod = method;
    request.setUri(URI.create(root + pathAndQuery));
    request.headers.add("Accept", "application/json");
    if (body != null) {
      request.setStreamContent(new ByteArrayInputStream(body), "application/json");
    }
    List<com.microsoft.kiota.RequestOption> options = new ArrayList<>();
    options.add(new ObservabilityOptions());
    // Retried in send(), so that every failure worth it is retried and every try paced.
    options.add(new RetryHandlerOption(null, 0, 0));
    request.addRequestOptions(options);
    NativeResponseHandler handler = new NativeResponseHandler();
    request.setResponseHandler(handler);
    try {
      adapter.get().sendPrimitive(request, null, java.io.InputStream.class);
    } catch (RuntimeException e) {
      return new Attempt(
          null,
          new ApiException(
              SERVICE,
              0,
              ApiException.CONNECTION_FAILED,
              e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
              e),
          retry.shouldRetryException(e),
          null);
    }
    try (Response response = (Response) handler.getValue()) {
      if (response.code() >= 300 && response.code() < 400) {
        return new Attempt(
            null,
            new ApiException(
                SERVICE, response.code(), "Redirect", "a redirect, which is never followed"),
            false,
            null);
      }
      ResponseBody responseBody = response.body();
      String text = responseBody == null ? "" : responseBody.string();
      JsonNode parsed = text.isBlank() ? Json.object() : Json.MAPPER.readTree(text);
      if (response.code() >= 400) {
        JsonNode error = parsed.path("error");
        return new Attempt(
            null,
            new ApiException(
                SERVICE, response.code(), Json.text(error, "code"), Json.text(error, "message")),
            retry.shouldRetryStatus(response.code()),
            retryAfter(response.header("Retry-After")));
      }
      return new Attempt(parsed, null, false, null);
    } catch (IOException e) {
      return new Attempt(
          null,
          malformed("the response could not be read"),
          retry.shouldRetryException(e) && !(e instanceof JsonProcessingException),
          null);
    }
  }

  private static ApiException malformed(String what) {
    return new ApiException(SERVICE, 0, "MalformedResponse", what);
  }

  /** {@code Retry-After} in seconds, or null when absent or not a number of seconds. */
  private static Duration retryAfter(String header) {
    if (header == null || !header.trim().matches("\\d{1,6}")) {
      return null;
    }
    return Duration.ofSeconds(Long.parseLong(header.trim()));
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry", e);
    }
  }
}
