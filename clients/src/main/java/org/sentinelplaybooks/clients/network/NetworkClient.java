package org.sentinelplaybooks.clients.network;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.implementation.RestCaller;
import org.sentinelplaybooks.clients.implementation.RestCaller.RestResponse;

/**
 * NSG security rules and Azure Firewall IP Groups over ARM (Microsoft.Network). Every write is
 * conditional on the etag read ({@code If-Match}), or on nothing being there ({@code If-None-Match:
 * *}) for a new rule, and is followed to the end of its long-running operation ({@code
 * Azure-AsyncOperation}).
 */
public final class NetworkClient {
  public static final String API_VERSION = "2024-05-01";
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
  static final Duration OPERATION_TIMEOUT = Duration.ofMinutes(5);
  private static final HttpHeaderName ASYNC_OPERATION =
      HttpHeaderName.fromString("Azure-AsyncOperation");

  private final RestCaller rest;

  private NetworkClient(HttpPipeline pipeline, URI endpoint) {
    this.rest = new RestCaller("Azure Network", pipeline, endpoint);
  }

  public static ClientBuilder<NetworkClient> builder() {
    return new ClientBuilder<>(NetworkClient::new);
  }

  public NetworkSecurityGroup getNetworkSecurityGroup(String nsgId) {
    return NetworkSecurityGroup.fromJson(rest.send(HttpMethod.GET, url(nsgId), null).body());
  }

  /**
   * Creates or replaces a rule. With an etag the write only lands if the rule is still as read;
   * without one only if no rule of that name exists. Either way a lost race is a 412 {@link
   * ApiException} ({@link ApiException#isConflict()}).
   */
  public void putSecurityRule(String nsgId, String ruleName, ObjectNode properties, String etag) {
    ObjectNode body = Json.object();
    body.set("properties", properties);
    RestResponse response =
        rest.send(
            HttpMethod.PUT,
            url(nsgId + "/securityRules/" + RestCaller.encode(ruleName)),
            body,
            etag == null ? Map.of("If-None-Match", "*") : Map.of("If-Match", etag));
    awaitOperation(response);
  }

  /** Deletes a rule if it is still as read. */
  public void deleteSecurityRule(String nsgId, String ruleName, String etag) {
    RestResponse response =
        rest.send(
            HttpMethod.DELETE,
            url(nsgId + "/securityRules/" + RestCaller.encode(ruleName)),
            null,
            Map.of("If-Match", etag));
    awaitOperation(response);
  }

  public IpGroup getIpGroup(String ipGroupId) {
    return IpGroup.fromJson(rest.send(HttpMethod.GET, url(ipGroupId), null).body());
  }

  /** Writes the group's addresses (keeping its location and tags) if it is still as read. */
  public void putIpGroupAddresses(IpGroup read, List<String> addresses) {
    ObjectNode body = Json.object();
    body.put("location", read.location());
    if (read.tags() != null) {
      body.set("tags", read.tags());
    }
    addresses.forEach(body.putObject("properties").putArray("ipAddresses")::add);
    RestResponse response =
        rest.send(
            HttpMethod.PUT,
            url(read.id()),
            body,
            read.etag() == null ? Map.of() : Map.of("If-Match", read.etag()));
    awaitOperation(response);
  }

  /**
   * Polls the operation named by {@code Azure-AsyncOperation} until it ends, waiting as {@code
   * Retry-After} says. Failed or Canceled becomes an {@link ApiException} with the operation's
   * error.
   */
  private void awaitOperation(RestResponse response) {
    String operation = response.headers().getValue(ASYNC_OPERATION);
    if (operation == null) {
      return;
    }
    long deadline = System.nanoTime() + OPERATION_TIMEOUT.toNanos();
    Duration wait = retryAfter(response);
    while (true) {
      sleep(wait);
      RestResponse poll = rest.send(HttpMethod.GET, rest.checkedSameHost(operation), null);
      String status = Json.text(poll.body(), "status");
      if ("Succeeded".equalsIgnoreCase(status)) {
        return;
      }
      if ("Failed".equalsIgnoreCase(status) || "Canceled".equalsIgnoreCase(status)) {
        throw new ApiException(
            rest.service(),
            200,
            Json.text(poll.body().path("error"), "code"),
            "the operation ended "
                + status
                + ": "
                + Json.text(poll.body().path("error"), "message"));
      }
      if (System.nanoTime() > deadline) {
        throw new ApiException(
            rest.service(),
            0,
            "OperationTimeout",
            "the operation was still "
                + status
                + " after "
                + OPERATION_TIMEOUT.toMinutes()
                + " min");
      }
      wait = retryAfter(poll);
    }
  }

  private static Duration retryAfter(RestResponse response) {
    String value = response.headers().getValue(HttpHeaderName.RETRY_AFTER);
    if (value != null && value.trim().matches("\\d{1,4}")) {
      return Duration.ofSeconds(Long.parseLong(value.trim()));
    }
    return DEFAULT_POLL_INTERVAL;
  }

  private static void sleep(Duration duration) {
    if (duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an ARM operation", e);
    }
  }

  private String url(String path) {
    return rest.url(path, Map.of("api-version", API_VERSION));
  }
}
