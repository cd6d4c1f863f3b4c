package org.sentinelplaybooks.clients.network;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.implementation.RestCaller;
import org.sentinelplaybooks.clients.implementation.RestCaller.RestResponse;
import org.sentinelplaybooks.clients.implementation.Waits;

/**
 * NSG security rules and Azure Firewall IP Groups over ARM (Microsoft.Network). Every write is
 * conditional on the etag read ({@code If-Match}), or on nothing being there ({@code If-None-Match:
 * *}) for a new rule, and is followed to the end of its long-running operation ({@code
 * Azure-AsyncOperation}, or {@code Location} when that is all the answer names).
 */
public final class NetworkClient {
  public static final String API_VERSION = "2024-05-01";
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
  static final Duration OPERATION_TIMEOUT = Duration.ofMinutes(5);
  private static final HttpHeaderName ASYNC_OPERATION =
      HttpHeaderName.fromString("Azure-AsyncOperation");

  private static final Pattern SUBSCRIPTION =
      Pattern.compile("^/subscriptions/[^/]+/", Pattern.CASE_INSENSITIVE);
  private static final Pattern OPERATION =
      Pattern.compile(
          "^/subscriptions/[^/]+/providers/Microsoft\\.Network/locations/[^/]+"
              + "/(operations|operationResults)/[^/]+/?$",
          Pattern.CASE_INSENSITIVE);

  private final RestCaller rest;
  private final ClientOptions options;

  private NetworkClient(HttpPipeline pipeline, URI endpoint, ClientOptions options) {
    this.rest = new RestCaller("Azure Network", pipeline, endpoint);
    this.options = options;
  }

  public static ClientBuilder<NetworkClient> builder() {
    return ClientBuilder.withOptions(NetworkClient::new);
  }

  public NetworkSecurityGroup getNetworkSecurityGroup(String nsgId) {
    return NetworkSecurityGroup.fromJson(
        rest.checkedResource(rest.send(HttpMethod.GET, url(nsgId), null).body(), nsgId));
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
    awaitOperation(nsgId, response);
  }

  /** Deletes a rule if it is still as read. */
  public void deleteSecurityRule(String nsgId, String ruleName, String etag) {
    RestResponse response =
        rest.send(
            HttpMethod.DELETE,
            url(nsgId + "/securityRules/" + RestCaller.encode(ruleName)),
            null,
            Map.of("If-Match", etag));
    awaitOperation(nsgId, response);
  }

  public IpGroup getIpGroup(String ipGroupId) {
    return IpGroup.fromJson(
        rest.checkedResource(rest.send(HttpMethod.GET, url(ipGroupId), null).body(), ipGroupId));
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
    awaitOperation(read.id(), response);
  }

  /**
   * Follows a long-running operation to its end. With {@code Azure-AsyncOperation}, its status is
   * polled until Succeeded; Failed or Canceled becomes an {@link ApiException} with the operation's
   * error. Without it, a 202's {@code Location} is polled until it answers other than 202 (a
   * failure is an error status). So says the ARM async-operations page
   * (learn.microsoft.com/azure/azure-resource-manager/management/async-operations: use
   * Azure-AsyncOperation when given, Location otherwise); a rule delete's final state comes via
   * Location (SecurityRules_Delete, ../shared/contracts/network/securityRules_delete.json). Either
   * URL is followed only on the ARM root and under the resource's own subscription's
   * Microsoft.Network operations ({@code /subscriptions/{s}/providers/Microsoft.Network/locations/
   * {l}/operations/{id}} or {@code .../operationResults/{id}}, as that page shows them); each wait
   * is the service's {@code Retry-After} at most {@link
   * org.sentinelplaybooks.clients.ClientOptions#maxServerWait()}, all of them within {@link
   * #OPERATION_TIMEOUT} and the call's wait budget.
   */
  private void awaitOperation(String resourceId, RestResponse response) {
    String operation = response.headers().getValue(ASYNC_OPERATION);
    String location = response.headers().getValue(HttpHeaderName.LOCATION);
    if (operation != null) {
      poll(checkedOperation(resourceId, operation), response, NetworkClient::operationEnded);
    } else if (response.status() == 202 && location != null) {
      poll(checkedOperation(resourceId, location), response, poll -> poll.status() != 202);
    }
  }

  /** The operation URL, when it is on the ARM root and of the resource's own subscription. */
  private String checkedOperation(String resourceId, String url) {
    String checked = rest.checkedSameHost(url);
    Matcher subscription = SUBSCRIPTION.matcher(resourceId);
    String path = URI.create(checked).getRawPath();
    if (!subscription.find()
        || !OPERATION.matcher(path).matches()
        || !path.regionMatches(true, 0, subscription.group(), 0, subscription.group().length())) {
      throw new ApiException(
          rest.service(),
          0,
          "UnexpectedLink",
          "refusing to follow an operation URL outside the resource's subscription's"
              + " Microsoft.Network operations");
    }
    return checked;
  }

  private void poll(String checked, RestResponse first, Predicate<RestResponse> ended) {
    Waits waits = Waits.within(options, OPERATION_TIMEOUT);
    RestResponse last = first;
    while (true) {
      Duration wait = pollInterval(last, waits);
      if (!waits.fits(wait)) {
        throw new ApiException(
            rest.service(),
            0,
            "OperationTimeout",
            "the operation had not ended within its "
                + OPERATION_TIMEOUT.toMinutes()
                + " min (or the run's wait budget)");
      }
      waits.sleep(wait);
      last = rest.send(HttpMethod.GET, checked, null);
      if (ended.test(last)) {
        return;
      }
    }
  }

  /** An Azure-AsyncOperation status that has ended: Succeeded, or an error for Failed/Canceled. */
  private static boolean operationEnded(RestResponse poll) {
    String status = Json.text(poll.body(), "status");
    if ("Succeeded".equalsIgnoreCase(status)) {
      return true;
    }
    if ("Failed".equalsIgnoreCase(status) || "Canceled".equalsIgnoreCase(status)) {
      throw new ApiException(
          "Azure Network",
          200,
          Json.text(poll.body().path("error"), "code"),
          "the operation ended " + status + ": " + Json.text(poll.body().path("error"), "message"));
    }
    return false;
  }

  private static Duration pollInterval(RestResponse response, Waits waits) {
    Duration asked = waits.serverWait(response.headers());
    return asked == null ? DEFAULT_POLL_INTERVAL : asked;
  }

  private String url(String path) {
    return rest.url(path, Map.of("api-version", API_VERSION));
  }
}
