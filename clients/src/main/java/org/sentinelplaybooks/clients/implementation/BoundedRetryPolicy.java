package org.sentinelplaybooks.clients.implementation;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.time.Duration;
import org.sentinelplaybooks.clients.ClientOptions;
import reactor.core.publisher.Mono;

/**
 * Retries as the strategy says, waiting what the service asks ({@code Retry-After}) up to {@link
 * ClientOptions#maxServerWait()} and the back-off otherwise, and gives up rather than wait past the
 * call's budget. In place of azure-core's RetryPolicy, which waits whatever {@code Retry-After}
 * says (an hour, if a service or a tampered answer asks) and cannot be given a clock.
 */
public final class BoundedRetryPolicy implements HttpPipelinePolicy {
  private final BoundedRetryStrategy strategy;
  private final ClientOptions options;

  public BoundedRetryPolicy(BoundedRetryStrategy strategy, ClientOptions options) {
    this.strategy = strategy;
    this.options = options;
  }

  @Override
  public HttpResponse processSync(
      HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    Waits waits = Waits.forCall(options);
    for (int retry = 0; ; retry++) {
      HttpResponse response;
      try {
        response = next.clone().processSync();
      } catch (RuntimeException e) {
        Duration delay = delayAfter(e, retry, waits);
        if (delay == null) {
          throw e;
        }
        waits.sleep(delay);
        continue;
      }
      Duration delay = delayAfter(response, retry, waits);
      if (delay == null) {
        return response;
      }
      response.close();
      waits.sleep(delay);
    }
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    return attempt(next, 0, Waits.forCall(options));
  }

  private Mono<HttpResponse> attempt(HttpPipelineNextPolicy next, int retry, Waits waits) {
    return next.clone()
        .process()
        .map(Tried::answered)
        .onErrorResume(e -> Mono.just(Tried.failed(e)))
        .flatMap(
            tried -> {
              Duration delay =
                  tried.error() != null
                      ? delayAfter(tried.error(), retry, waits)
                      : delayAfter(tried.response(), retry, waits);
              if (delay == null) {
                return tried.error() != null
                    ? Mono.error(tried.error())
                    : Mono.just(tried.response());
              }
              if (tried.response() != null) {
                tried.response().close();
              }
              return Mono.delay(delay).then(Mono.defer(() -> attempt(next, retry + 1, waits)));
            });
  }

  private record Tried(HttpResponse response, Throwable error) {
    static Tried answered(HttpResponse response) {
      return new Tried(response, null);
    }

    static Tried failed(Throwable error) {
      return new Tried(null, error);
    }
  }

  /** The wait before the next try after this answer, or null to hand it on. */
  private Duration delayAfter(HttpResponse response, int retry, Waits waits) {
    if (retry >= strategy.getMaxRetries() || !strategy.shouldRetry(response)) {
      return null;
    }
    Duration asked = waits.serverWait(response.getHeaders());
    Duration delay = asked != null ? asked : strategy.calculateRetryDelay(retry);
    return waits.fits(delay) ? delay : null;
  }

  /** The wait before the next try after this failure, or null to throw it. */
  private Duration delayAfter(Throwable error, int retry, Waits waits) {
    if (retry >= strategy.getMaxRetries() || !strategy.shouldRetryException(error)) {
      return null;
    }
    Duration delay = strategy.calculateRetryDelay(retry);
    return waits.fits(delay) ? delay : null;
  }
}
