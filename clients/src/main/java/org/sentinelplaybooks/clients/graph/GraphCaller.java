package org.sentinelplaybooks.clients.graph;

import com.azure.core.credential.TokenCredential;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Locale;
import java.util.Map;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.implementation.BoundedRetryStrategy;
import org.sentinelplaybooks.clients.implementation.GraphTransport;
import org.sentinelplaybooks.clients.implementation.Lazy;
import org.sentinelplaybooks.clients.implementation.Redirects;
import org.sentinelplaybooks.clients.implementation.Waits;

/**
 * The Microsoft Graph connection the Graph clients share ({@link IdentityClient}, {@link
 * DefenderXdrClient}): the Graph SDK's core request adapter (Kiota, OkHttp, no redirect followed)
 * built on the first call, the token only for the configured host, the same bounded retry as the
 * other clients (the SDK's own retry leaves out 500, 502 and failures without an answer), and
 * Graph's error body turned into {@link ApiException}.
 */
public final class GraphCaller {
  static final String SERVICE = "Microsoft Graph";

  /** The Graph SDK's stack is built on the first call, not with the client. */
  private final Lazy<RequestAdapter> adapter;

  private final String root;
  private final BoundedRetryStrategy retry;
  private final ClientOptions options;

  private GraphCaller(
      URI endpoint, TokenCredential credential, String scope, ClientOptions options) {
    this.root = endpoint.toString().replaceAll("/+$", "") + "/v1.0";
    this.adapter =
        new Lazy<>(
            () ->
                GraphTransport.requestAdapter(
                    new GraphAuthenticationProvider(endpoint, credential, scope), root));
    this.retry = BoundedRetryStrategy.of(options);
    this.options = options;
  }

  /**
   * @param credential null for Local (the development token)
   * @param options the retries, their back-off and the waiter
   */
  public static GraphCaller create(
      URI endpoint, TokenCredential credential, String scope, ClientOptions options) {
    return new GraphCaller(endpoint, credential, scope, options);
  }

  /** The v1.0 root paths are taken under, e.g. {@code https://graph.microsoft.com/v1.0}. */
  String root() {
    return root;
  }

  ClientOptions options() {
    return options;
  }

  /**
   * The path and query of a link Graph gave (a next page), which is followed only when it points
   * under the configured root; a link to any other host or path is an error.
   */
  String pathUnderRoot(String link) {
    String path = link.startsWith(root + "/") ? link.substring(root.length()) : null;
    String segments = path == null ? "" : path.split("\\?", 2)[0].toLowerCase(Locale.ROOT) + "/";
    if (path == null
        || segments.contains("/../")
        || segments.contains("/./")
        || segments.contains("%2e")) {
      throw malformed("Graph gave a next link outside " + root + "; it is not followed");
    }
    return path;
  }

  /** A 2xx answer that cannot be read as what it should be. */
  static ApiException malformed(String message) {
    return new ApiException(SERVICE, 200, "MalformedResponse", message);
  }

  JsonNode send(HttpMethod method, String pathAndQuery, byte[] body) {
    return send(method, pathAndQuery, body, () -> {}, Map.of());
  }

  /**
   * Sends, and sends again while the answer or the failure is one to retry and tries are left:
   * after {@code Retry-After} when Graph gives one, the back-off otherwise, never past the call's
   * wait budget. {@code beforeEachTry} runs before every try (a paced service takes a slot for
   * each).
   */
  JsonNode send(
      HttpMethod method,
      String pathAndQuery,
      byte[] body,
      Runnable beforeEachTry,
      Map<String, String> headers) {
    Waits waits = Waits.forCall(options);
    for (int retries = 0; ; retries++) {
      beforeEachTry.run();
      Attempt attempt = sendOnce(method, pathAndQuery, body, headers);
      if (attempt.error() == null) {
        return attempt.body();
      }
      if (!attempt.retriable() || retries >= retry.getMaxRetries()) {
        throw attempt.error();
      }
      Duration asked = waits.serverWait(attempt.retryAfter());
      Duration delay = asked != null ? asked : retry.calculateRetryDelay(retries);
      if (!waits.fits(delay)) {
        throw attempt.error();
      }
      waits.sleep(delay);
    }
  }

  /** One try: the parsed body, or the error and whether to try again, and when. */
  private record Attempt(JsonNode body, ApiException error, boolean retriable, String retryAfter) {}

  private Attempt sendOnce(
      HttpMethod method, String pathAndQuery, byte[] body, Map<String, String> headers) {
    RequestInformation request = new RequestInformation();
    request.httpMethod = method;
    request.setUri(URI.create(root + pathAndQuery));
    request.headers.add("Accept", "application/json");
    headers.forEach(request.headers::add);
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
      if (Redirects.isRedirect(response.code())) {
        return new Attempt(
            null,
            Redirects.refused(SERVICE, response.code(), response.header("Location")),
            false,
            null);
      }
      ResponseBody responseBody = response.body();
      String text = responseBody == null ? "" : responseBody.string();
      JsonNode parsed = text.isBlank() ? Json.object() : Json.read(text);
      if (response.code() >= 400) {
        JsonNode error = parsed.path("error");
        return new Attempt(
            null,
            new ApiException(
                SERVICE, response.code(), Json.text(error, "code"), Json.text(error, "message")),
            retry.shouldRetryStatus(response.code()),
            response.header("Retry-After"));
      }
      return new Attempt(parsed, null, false, null);
    } catch (IOException e) {
      return new Attempt(
          null,
          new ApiException(SERVICE, 0, "MalformedResponse", "the response could not be read"),
          retry.shouldRetryException(e) && !(e instanceof JsonProcessingException),
          null);
    }
  }
}
