package org.sentinelplaybooks.clients.servicenow;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.ServiceNowSettings;
import org.sentinelplaybooks.clients.implementation.RestCaller;

/**
 * Signs ServiceNow requests: basic authentication, or a bearer token from the instance's OAuth
 * endpoint ({@code /oauth_token.do}, client credentials), kept until a minute before it expires.
 * Credentials go only to the configured instance's own host.
 */
final class ServiceNowAuthenticationPolicy extends HttpPipelineSyncPolicy {
  private final ServiceNowSettings settings;
  private final HttpClient httpClient;
  private final Clock clock;
  private String token;
  private Instant tokenExpires = Instant.EPOCH;

  /** Tokens kept by {@code clock}. */
  ServiceNowAuthenticationPolicy(ServiceNowSettings settings, HttpClient httpClient, Clock clock) {
    this.settings = settings;
    this.httpClient = httpClient;
    this.clock = clock;
  }

  @Override
  protected void beforeSendingRequest(HttpPipelineCallContext context) {
    URI target = URI.create(context.getHttpRequest().getUrl().toString());
    URI instance = settings.instance();
    if (!instance.getScheme().equalsIgnoreCase(String.valueOf(target.getScheme()))
        || !instance.getHost().equalsIgnoreCase(String.valueOf(target.getHost()))
        || target.getPort() != instance.getPort()
        || target.getRawUserInfo() != null) {
      throw new IllegalStateException(
          "refusing to send ServiceNow credentials to " + target.getHost());
    }
    context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, authorization());
  }

  private String authorization() {
    if (!settings.usesOAuth()) {
      String pair = settings.username() + ":" + settings.password().reveal();
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    return "Bearer " + token();
  }

  private synchronized String token() {
    if (token != null && clock.instant().isBefore(tokenExpires)) {
      return token;
    }
    String form =
        "grant_type=client_credentials&client_id="
            + RestCaller.encode(settings.clientId())
            + "&client_secret="
            + RestCaller.encode(settings.clientSecret().reveal());
    HttpRequest request =
        new HttpRequest(HttpMethod.POST, settings.instance() + "/oauth_token.do")
            .setHeader(HttpHeaderName.CONTENT_TYPE, "application/x-www-form-urlencoded")
            .setHeader(HttpHeaderName.ACCEPT, "application/json")
            .setBody(BinaryData.fromString(form));
    long started = System.nanoTime();
    try (HttpResponse response = httpClient.sendSync(request, Context.NONE)) {
      // Read as every answer is: within the size and time caps.
      String body =
          RestCaller.readBody(
              "ServiceNow",
              () ->
                  response.getBodyAsBinaryData() == null
                      ? null
                      : response.getBodyAsBinaryData().toStream(),
              started);
      if (response.getStatusCode() != 200) {
        throw new ApiException(
            "ServiceNow",
            response.getStatusCode(),
            "OAuthTokenRefused",
            "the OAuth token request was refused; check SERVICENOW_CLIENT_ID and SERVICENOW_CLIENT_SECRET");
      }
      JsonNode answer = Json.read(body);
      token = Json.text(answer, "access_token");
      if (token == null) {
        throw new ApiException(
            "ServiceNow", 200, "OAuthTokenMissing", "the OAuth answer holds no access_token");
      }
      tokenExpires =
          clock.instant().plusSeconds(Math.max(0, answer.path("expires_in").asLong(1800) - 60));
      return token;
    } catch (IOException e) {
      throw new ApiException(
          "ServiceNow",
          0,
          "OAuthTokenFailed",
          "the OAuth token request failed: " + e.getClass().getSimpleName());
    }
  }
}
