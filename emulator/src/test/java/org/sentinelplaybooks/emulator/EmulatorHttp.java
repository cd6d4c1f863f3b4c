package org.sentinelplaybooks.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Plain HTTP calls to an emulator, with a bearer token unless told otherwise. */
final class EmulatorHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Emulator emulator;
  private final HttpClient http = HttpClient.newHttpClient();

  EmulatorHttp(Emulator emulator) {
    this.emulator = emulator;
  }

  HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
    return send(method, pathAndQuery, body, Map.of("Authorization", "Bearer test-token"));
  }

  HttpResponse<String> send(
      String method, String pathAndQuery, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(emulator.baseUrl() + pathAndQuery))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A call with a bearer token and one more header. */
  HttpResponse<String> send(
      String method, String pathAndQuery, String body, String header, String value)
      throws Exception {
    return send(
        method, pathAndQuery, body, Map.of("Authorization", "Bearer test-token", header, value));
  }

  /** The path and query of an absolute URL the emulator handed out. */
  String local(String url) {
    if (!url.startsWith(emulator.baseUrl() + "/")) {
      throw new AssertionError(url + " is not under " + emulator.baseUrl());
    }
    return url.substring(emulator.baseUrl().length());
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  static String errorCode(HttpResponse<String> response) throws IOException {
    return json(response).path("error").path("code").asText();
  }

  static String errorMessage(HttpResponse<String> response) throws IOException {
    return json(response).path("error").path("message").asText();
  }
}
