package org.sentinelplaybooks.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A hand-written HTTP request as the Functions worker hands it over, and its response builder. */
final class FakeHttpRequest implements HttpRequestMessage<Optional<String>> {
  private final String body;
  private final Map<String, String> query;

  FakeHttpRequest(String body, Map<String, String> query) {
    this.body = body;
    this.query = query;
  }

  @Override
  public URI getUri() {
    return URI.create("https://func.example/api/playbooks/close-incident");
  }

  @Override
  public HttpMethod getHttpMethod() {
    return HttpMethod.POST;
  }

  @Override
  public Map<String, String> getHeaders() {
    return Map.of("content-type", "application/json");
  }

  @Override
  public Map<String, String> getQueryParameters() {
    return query;
  }

  @Override
  public Optional<String> getBody() {
    return Optional.ofNullable(body);
  }

  @Override
  public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
    return new Response(status);
  }

  @Override
  public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
    return new Response(status);
  }

  static final class Response implements HttpResponseMessage, HttpResponseMessage.Builder {
    private HttpStatusType status;
    private final Map<String, String> headers = new HashMap<>();
    private Object body;

    Response(HttpStatusType status) {
      this.status = status;
    }

    @Override
    public Builder status(HttpStatusType status) {
      this.status = status;
      return this;
    }

    @Override
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    @Override
    public Builder body(Object body) {
      this.body = body;
      return this;
    }

    @Override
    public HttpResponseMessage build() {
      return this;
    }

    @Override
    public HttpStatusType getStatus() {
      return status;
    }

    @Override
    public String getHeader(String name) {
      return headers.get(name);
    }

    @Override
    public Object getBody() {
      return body;
    }
  }
}
