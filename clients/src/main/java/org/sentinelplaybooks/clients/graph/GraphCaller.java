package org.sentinelplaybooks.clients.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.kiota.HttpMethod;
import com.microsoft.kiota.NativeResponseHandler;
import com.microsoft.kiota.RequestAdapter;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.http.ObservabilityOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.implementation.CallRules;
import org.sentinelplaybooks.clients.implementation.GraphTransport;
import org.sentinelplaybooks.clients.implementation.Lazy;
import org.sentinelplaybooks.clients.implementation.Redirects;
import org.sentinelplaybooks.clients.implementation.RestCaller;
import org.sentinelplaybooks.clients.implementation.SlidingWindowLimiter;

/**
 * The Microsoft Graph connection the Graph clients share ({@link IdentityClient}, {@link
 * DefenderXdrClient}): the Graph SDK's core request adapter, built on the first call, on an OkHttp
 * stack that follows the shared rules ({@link GraphTransport}: retry, throttling, pacing, no
 * redirect followed); the token only for the configured host; answers read and errors reported as
 * every other client's.
 */
public final class GraphCaller {
  static final String SERVICE = "Microsoft Graph";

  /** The Graph SDK's stack is built on the first call, not with the client. */
  private final Lazy<RequestAdapter> adapter;

  private final String root;
  private final ClientOptions options;

  private GraphCaller(ClientBuilder.Connection connection) {
    URI endpoint = connection.endpoint();
    GraphAuthenticationProvider authentication =
        new GraphAuthenticationProvider(endpoint, connection.credential(), connection.scope());
    CallRules rules = CallRules.of(connection.options());
    this.root = endpoint.toString().replaceAll("/+$", "") + "/v1.0";
    this.adapter = new Lazy<>(() -> GraphTransport.requestAdapter(authentication, root, rules));
    this.options = connection.options();
  }

  /**
   * The connection the Graph clients are made on: {@code endpoint} the Graph host (for Local, the
   * emulator), {@code credential} null for Local (the development token).
   */
  public static ClientBuilder<GraphCaller> builder() {
    return ClientBuilder.withConnection(GraphCaller::new);
  }

  /** On its own connection, for one client. */
  static GraphCaller create(ClientBuilder.Connection connection) {
    return new GraphCaller(connection);
  }

  /**
   * A pacer that takes a slot of the limiter before every try, waiting for it; a slot that would
   * come after the run's deadline is refused with {@link ApiException#CALL_BUDGET_SPENT}, nothing
   * sent.
   */
  Runnable pacer(SlidingWindowLimiter limiter) {
    return () -> {
      try {
        limiter.acquire();
      } catch (IllegalStateException e) {
        throw new ApiException(SERVICE, 429, ApiException.CALL_BUDGET_SPENT, e.getMessage());
      }
    };
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
   * Sends (retried, throttled and paced by the shared rules: {@code pacer} takes a slot before
   * every try) and reads the answer: its JSON, or an {@link ApiException}.
   */
  JsonNode send(
      HttpMethod method,
      String pathAndQuery,
      byte[] body,
      Runnable pacer,
      Map<String, String> headers) {
    RequestInformation request = new RequestInformation();
    request.httpMethod = method;
    request.setUri(URI.create(root + pathAndQuery));
    request.headers.add("Accept", "application/json");
    headers.forEach(request.headers::add);
    if (body != null) {
      // A body that can be read again (the SDK resets it), so that a retry sends it whole.
      request.setStreamContent(new ByteArrayInputStream(body), "application/json");
    }
    request.addRequestOptions(
        List.of(new ObservabilityOptions(), new GraphTransport.Pacing(pacer)));
    NativeResponseHandler handler = new NativeResponseHandler();
    request.setResponseHandler(handler);
    long started = System.nanoTime();
    try {
      adapter.get().sendPrimitive(request, null, InputStream.class);
    } catch (RuntimeException e) {
      throw RestCaller.connectionFailed(SERVICE, e);
    }
    try (Response response = (Response) handler.getValue()) {
      if (Redirects.isRedirect(response.code())) {
        throw Redirects.refused(SERVICE, response.code(), response.header("Location"));
      }
      ResponseBody responseBody = response.body();
      String text =
          responseBody == null
              ? ""
              : RestCaller.readBody(SERVICE, responseBody::byteStream, started);
      if (response.code() >= 400) {
        throw RestCaller.error(SERVICE, response.code(), text);
      }
      JsonNode parsed = RestCaller.parse(SERVICE, text);
      return parsed.isMissingNode() ? Json.object() : parsed;
    }
  }
}
