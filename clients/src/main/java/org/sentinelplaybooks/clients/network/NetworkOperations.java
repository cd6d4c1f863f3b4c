package org.sentinelplaybooks.clients.network;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.polling.PollResult;
import com.azure.core.util.Context;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.implementation.ResourceManagerSdk;
import org.sentinelplaybooks.clients.implementation.RestCaller;
import org.sentinelplaybooks.clients.implementation.Waits;

/**
 * The long-running operations Microsoft.Network writes start, driven poll by poll through the SDK's
 * poller (which reads {@code Azure-AsyncOperation}, or a 202's {@code Location}, as the ARM
 * async-operations page says: learn.microsoft.com/azure/azure-resource-manager/management/
 * async-operations), with the waits ours: each is the service's {@code Retry-After} at most {@link
 * ClientOptions#maxServerWait()}, all of them within {@link #OPERATION_TIMEOUT} and the call's wait
 * budget, by the injected clock. A rule delete's final state comes via Location
 * (SecurityRules_Delete, ../shared/contracts/network/securityRules_delete.json). Either URL is
 * followed only on the ARM root and under the resource's own subscription's Microsoft.Network
 * operations ({@code /subscriptions/{s}/providers/Microsoft.Network/locations/{l}/operations/{id}}
 * or {@code .../operationResults/{id}}, as that page shows them): {@link #policy} refuses any other
 * in the answer that names it, before the SDK can follow it.
 */
final class NetworkOperations {
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
  static final Duration OPERATION_TIMEOUT = Duration.ofMinutes(5);
  private static final HttpHeaderName ASYNC_OPERATION =
      HttpHeaderName.fromString("Azure-AsyncOperation");
  private static final String TRAIL = "sentinel-playbooks.operation-trail";
  private static final Pattern SUBSCRIPTION =
      Pattern.compile("^/subscriptions/[^/]+/", Pattern.CASE_INSENSITIVE);
  private static final Pattern OPERATION =
      Pattern.compile(
          "^/subscriptions/[^/]+/providers/Microsoft\\.Network/locations/[^/]+"
              + "/(operations|operationResults)/[^/]+/?$",
          Pattern.CASE_INSENSITIVE);

  private final RestCaller rest;
  private final ClientOptions options;

  NetworkOperations(RestCaller rest, ClientOptions options) {
    this.rest = rest;
    this.options = options;
  }

  /** The last answer of one write or its polls: what the next wait is read from. */
  static final class Trail {
    private volatile int status;
    private volatile HttpHeaders headers = new HttpHeaders();

    void record(int status, HttpHeaders headers) {
      this.status = status;
      this.headers = headers;
    }

    /** Whether the write's answer started an operation to follow (as the ARM page says). */
    boolean started() {
      return headers.getValue(ASYNC_OPERATION) != null
          || (status == 202 && headers.getValue(HttpHeaderName.LOCATION) != null);
    }
  }

  /** The context of one write: its trail, with the write's own headers. */
  static Context context(Trail trail, Context writeHeaders) {
    return writeHeaders.addData(TRAIL, trail);
  }

  /**
   * Checks the operation URL of every answer (that of the write, then those of its polls) and keeps
   * the answer in the call's trail.
   */
  HttpPipelinePolicy policy() {
    return new HttpPipelineSyncPolicy() {
      @Override
      protected HttpResponse afterReceivedResponse(
          HttpPipelineCallContext context, HttpResponse response) {
        String path = URI.create(context.getHttpRequest().getUrl().toString()).getRawPath();
        String operation = response.getHeaders().getValue(ASYNC_OPERATION);
        String location = response.getHeaders().getValue(HttpHeaderName.LOCATION);
        if (operation != null) {
          checkedOperation(path, operation);
        } else if (response.getStatusCode() == 202 && location != null) {
          checkedOperation(path, location);
        }
        context
            .getData(TRAIL)
            .filter(Trail.class::isInstance)
            .ifPresent(t -> ((Trail) t).record(response.getStatusCode(), response.getHeaders()));
        return response;
      }
    };
  }

  /** The operation URL, when it is on the ARM root and of the requested resource's subscription. */
  private void checkedOperation(String requestPath, String url) {
    String checked = rest.checkedSameHost(url);
    Matcher subscription = SUBSCRIPTION.matcher(requestPath);
    String path = URI.create(checked).getRawPath();
    if (!subscription.find()
        || path == null
        || !OPERATION.matcher(path).matches()
        || !path.regionMatches(true, 0, subscription.group(), 0, subscription.group().length())) {
      throw new ApiException(
          rest.service(),
          0,
          "UnexpectedLink",
          "refusing to follow an operation URL outside the resource's subscription's"
              + " Microsoft.Network operations");
    }
  }

  /**
   * Follows the operation the write started to its end: Succeeded returns; Failed or Canceled is an
   * {@link ApiException} with the operation's error.
   */
  <T> void await(SyncPoller<PollResult<T>, T> poller, Trail trail) {
    if (!trail.started()) {
      return;
    }
    Waits waits = Waits.within(options, OPERATION_TIMEOUT);
    while (true) {
      Duration asked = waits.serverWait(trail.headers);
      Duration wait = asked == null ? DEFAULT_POLL_INTERVAL : asked;
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
      PollResponse<PollResult<T>> poll = ResourceManagerSdk.call(rest.service(), poller::poll);
      LongRunningOperationStatus status = poll.getStatus();
      if (status == LongRunningOperationStatus.SUCCESSFULLY_COMPLETED) {
        return;
      }
      if (status == LongRunningOperationStatus.FAILED
          || status == LongRunningOperationStatus.USER_CANCELLED) {
        throw ended(status == LongRunningOperationStatus.FAILED ? "Failed" : "Canceled", poll);
      }
    }
  }

  private ApiException ended(String status, PollResponse<? extends PollResult<?>> poll) {
    PollResult.Error error = poll.getValue() == null ? null : poll.getValue().getError();
    ManagementError cause = error == null ? null : operationError(error.getResponseBody());
    String message = cause != null && cause.getMessage() != null ? cause.getMessage() : null;
    if (message == null && error != null) {
      message = error.getMessage();
    }
    return new ApiException(
        rest.service(),
        200,
        cause == null ? null : cause.getCode(),
        "the operation ended " + status + ": " + message);
  }

  /**
   * The {@code error} of an operation status ({@code {"status": "Failed", "error": {"code": ...,
   * "message": ...}}}, as the ARM async-operations page shows it); null when there is none or the
   * body cannot be read.
   */
  static ManagementError operationError(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try (JsonReader reader = JsonProviders.createReader(body)) {
      return reader.readObject(
          object -> {
            ManagementError found = null;
            while (object.nextToken() != JsonToken.END_OBJECT) {
              String field = object.getFieldName();
              object.nextToken();
              if ("error".equals(field)) {
                found = ManagementError.fromJson(object);
              } else {
                object.skipChildren();
              }
            }
            return found;
          });
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
