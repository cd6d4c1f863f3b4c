package org.sentinelplaybooks.clients.implementation;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.rest.PagedIterable;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.PagedResponseBase;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.Json;

/**
 * JSON over an azure-core pipeline for one service: builds URLs under the service root, maps error
 * bodies to {@link ApiException}, and pages through {@code nextLink}s that stay on the service's
 * own host. Its static part is what every client, on any HTTP stack, does with an answer: read it
 * within the size and time caps, and turn a failure into an {@link ApiException}.
 */
public final class RestCaller {
  /** The most an answer may hold: far more than any page of any API here, far less than memory. */
  public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  /**
   * The longest one call may take, headers and body, well within a run's {@link
   * org.sentinelplaybooks.clients.RunDeadline#RUN_TIMEOUT}.
   */
  public static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

  private final String service;
  private final HttpPipeline pipeline;
  private final URI endpoint;

  public RestCaller(String service, HttpPipeline pipeline, URI endpoint) {
    this.service = Objects.requireNonNull(service);
    this.pipeline = Objects.requireNonNull(pipeline);
    this.endpoint = Objects.requireNonNull(endpoint, service + " endpoint");
  }

  public String service() {
    return service;
  }

  /** An absolute URL: the service root, the path, and the query parameters, each encoded. */
  public String url(String path, Map<String, String> query) {
    StringBuilder url = new StringBuilder(endpoint.toString()).append(path);
    char separator = '?';
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      if (parameter.getValue() == null) {
        continue;
      }
      url.append(separator)
          .append(parameter.getKey())
          .append('=')
          .append(encode(parameter.getValue()));
      separator = '&';
    }
    return url.toString();
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public RestResponse send(HttpMethod method, String url, JsonNode body) {
    return send(method, url, body, Map.of());
  }

  public RestResponse send(
      HttpMethod method, String url, JsonNode body, Map<String, String> headers) {
    HttpRequest request = new HttpRequest(method, url);
    headers.forEach(request::setHeader);
    request.setHeader(HttpHeaderName.ACCEPT, "application/json");
    if (body != null) {
      request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
      request.setBody(BinaryData.fromString(body.toString()));
    }
    Exchanged answer = exchange(request, Context.NONE);
    return new RestResponse(answer.status(), answer.headers(), parse(answer.text()));
  }

  /**
   * Sends a request as it is and reads its whole answer: no answer is an {@link ApiException}
   * ({@link ApiException#CONNECTION_FAILED}), and so are a redirect (refused unread), an error
   * status (with the service's error code and message) and a body too large or too slow.
   */
  public Exchanged exchange(HttpRequest request, Context context) {
    HttpResponse response;
    long started = System.nanoTime();
    try {
      response = pipeline.sendSync(request, context);
    } catch (RuntimeException e) {
      throw connectionFailed(service, e);
    }
    try (response) {
      int status = response.getStatusCode();
      if (Redirects.isRedirect(status)) {
        // Refused unread: a redirect's body is of no use, and could be made to hold the run.
        throw Redirects.refused(service, status, response.getHeaderValue(HttpHeaderName.LOCATION));
      }
      String text = body(response, started);
      if (status >= 400) {
        throw error(status, text);
      }
      return new Exchanged(status, response.getHeaders(), text);
    }
  }

  private String body(HttpResponse response, long started) {
    BinaryData data = response.getBodyAsBinaryData();
    return data == null ? "" : readBody(service, data::toStream, started);
  }

  private JsonNode parse(String text) {
    return parse(service, text);
  }

  private ApiException error(int status, String text) {
    return error(service, status, text);
  }

  /** An answer's body, opened when it is read. */
  @FunctionalInterface
  public interface Body {
    InputStream open() throws IOException;
  }

  /**
   * The answer's body as text, read in pieces: at most {@link #MAX_BODY_BYTES}, and only within
   * {@link #CALL_TIMEOUT} of the call's start ({@code started}, of {@link System#nanoTime()}), so
   * an answer that drips in byte by byte (which the HTTP clients' timeouts, between reads and to
   * the headers, let through) cannot hold the run.
   */
  public static String readBody(String service, Body body, long started) {
    try (InputStream in = body.open()) {
      if (in == null) {
        return "";
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
        if (out.size() + read > MAX_BODY_BYTES) {
          throw new ApiException(
              service,
              0,
              "ResponseTooLarge",
              "the answer is larger than " + MAX_BODY_BYTES / (1024 * 1024) + " MiB");
        }
        if (System.nanoTime() - started > CALL_TIMEOUT.toNanos()) {
          throw new ApiException(
              service,
              0,
              ApiException.CONNECTION_FAILED,
              "the answer had not arrived within " + CALL_TIMEOUT.toSeconds() + " s");
        }
        out.write(buffer, 0, read);
      }
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      throw new ApiException(service, 0, ApiException.CONNECTION_FAILED, "the answer broke off", e);
    }
  }

  /**
   * Pages through a list: items from {@code itemsField}, the next page from {@code nextLinkField}.
   * A next link that leaves the service's host is refused.
   */
  public <T> PagedIterable<T> list(
      HttpMethod method,
      String firstUrl,
      String itemsField,
      String nextLinkField,
      Function<JsonNode, T> mapper) {
    return new PagedIterable<>(
        () -> page(method, firstUrl, itemsField, nextLinkField, mapper),
        next ->
            page(
                HttpMethod.GET,
                checkedNextLink(firstUrl, next),
                itemsField,
                nextLinkField,
                mapper));
  }

  private <T> PagedResponse<T> page(
      HttpMethod method,
      String url,
      String itemsField,
      String nextLinkField,
      Function<JsonNode, T> mapper) {
    RestResponse response = send(method, url, null);
    List<T> items = new ArrayList<>();
    for (JsonNode item : response.body().path(itemsField)) {
      items.add(mapper.apply(item));
    }
    String next = Json.text(response.body(), nextLinkField);
    return new PagedResponseBase<Void, T>(
        null,
        response.status(),
        response.headers(),
        items,
        next == null || next.isBlank() ? null : next,
        null);
  }

  /**
   * A next page of the same list: on this service's root and at the first request's path (only its
   * query, the skip token, may differ), so a tampered link cannot turn a read elsewhere.
   */
  private String checkedNextLink(String firstUrl, String next) {
    String checked = checkedSameHost(next);
    String firstPath = URI.create(firstUrl).getRawPath().replaceAll("/+$", "");
    String nextPath = Objects.toString(URI.create(checked).getRawPath(), "").replaceAll("/+$", "");
    if (!firstPath.equalsIgnoreCase(nextPath)) {
      throw new ApiException(
          service, 0, "UnexpectedLink", "refusing to follow a next page of another path");
    }
    return checked;
  }

  /**
   * The URL as it is when it is under this service's root: the same scheme, host and port, and no
   * user info (a link the service sent: a next page, an operation to poll); an {@link ApiException}
   * otherwise, so neither the token nor the request goes elsewhere.
   */
  public String checkedSameHost(String next) {
    URI uri;
    try {
      uri = URI.create(next);
    } catch (IllegalArgumentException e) {
      throw new ApiException(service, 0, "UnexpectedLink", "refusing to follow a malformed link");
    }
    boolean sameHost =
        uri.getScheme() != null
            && uri.getRawUserInfo() == null
            && endpoint.getScheme().equalsIgnoreCase(uri.getScheme())
            && endpoint.getHost().equalsIgnoreCase(Objects.toString(uri.getHost(), ""))
            && port(endpoint) == port(uri);
    if (!sameHost) {
      throw new ApiException(
          service,
          0,
          "UnexpectedLink",
          "refusing to follow a link to " + uri.getHost() + ", not " + endpoint.getHost());
    }
    return next;
  }

  /**
   * The body of an answer about one resource, when its {@code id} is the resource asked for (ARM
   * ids compare case-insensitively); an {@link ApiException} otherwise, so that a tampered answer
   * can never turn the next write (which takes its id from what was read) onto another resource.
   */
  public JsonNode checkedResource(JsonNode body, String requestedId) {
    checkedResourceId(Json.text(body, "id"), requestedId);
    return body;
  }

  /**
   * The id an answer names, when it is the resource asked for; an {@link ApiException} otherwise.
   */
  public String checkedResourceId(String id, String requestedId) {
    if (id == null
        || !id.replaceAll("/+$", "").equalsIgnoreCase(requestedId.replaceAll("/+$", ""))) {
      throw new ApiException(
          service,
          0,
          "UnexpectedResource",
          "the answer is about another resource than the one asked for");
    }
    return id;
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "http".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 80 : 443;
  }

  /**
   * A 2xx answer's body as JSON: a missing node when empty, an {@link ApiException} if not JSON.
   */
  public static JsonNode parse(String service, String text) {
    if (text == null || text.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ApiException(service, 0, "MalformedResponse", "the response body is not JSON");
    }
  }

  /**
   * The error for a 4xx or 5xx answer: its status, and the service's own error code and message
   * from the {@code error} object that ARM, Graph and the others send (or the start of a body that
   * is not JSON), never a request header.
   */
  public static ApiException error(String service, int status, String text) {
    JsonNode body;
    try {
      body = text.isBlank() ? MissingNode.getInstance() : Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      body = MissingNode.getInstance();
    }
    JsonNode error = body.path("error");
    String code = Json.text(error, "code");
    String message = Json.text(error, "message");
    String detail = Json.text(error, "detail");
    if (detail != null && !detail.isBlank()) {
      message = message == null ? detail : message + " (" + detail + ")";
    }
    if (message == null && !text.isBlank() && body.isMissingNode()) {
      message = text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
    return new ApiException(service, status, code, message);
  }

  /**
   * The error for a request that got no answer: the one a step of the sending raised itself as it
   * is (a refused token, an answer over the cap, a pacer's refusal), whatever the HTTP stack
   * wrapped it in; otherwise a failed connection, with the failure's kind and its root cause's
   * message.
   */
  public static ApiException connectionFailed(String service, Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ApiException raised) {
        return raised;
      }
    }
    return new ApiException(service, 0, ApiException.CONNECTION_FAILED, describe(e), e);
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** A successful response: status, headers and the parsed body (a missing node when empty). */
  public record RestResponse(int status, HttpHeaders headers, JsonNode body) {}

  /** A successful answer as it came: status, headers and the body's text (empty when none). */
  public record Exchanged(int status, HttpHeaders headers, String text) {}
}
