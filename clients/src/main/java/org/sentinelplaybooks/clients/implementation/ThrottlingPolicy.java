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
 * Waits out 429 Too Many Requests for as long as each {@code Retry-After} asks (at most {@link
 * ClientOptions#maxServerWait()} each), within a total budget, before the retry policy counts it as
 * a failed try: under ARM's token buckets many calls at once are refused again and again, and
 * throttling must slow a run down, not fail it.
 */
public final class ThrottlingPolicy implements HttpPipelinePolicy {
  private final Duration budget;
  private final ClientOptions options;

  public ThrottlingPolicy(Duration budget, ClientOptions options) {
    this.budget = budget;
    this.options = options;
  }

  @Override
  public HttpResponse processSync(
      HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    Waits waits = Waits.within(options, budget);
    while (true) {
      HttpResponse response = next.clone().processSync();
      Duration wait = waitBeforeAgain(response, waits);
      if (wait == null) {
        return response;
      }
      response.close();
      waits.sleep(wait);
    }
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    return attempt(next, Waits.within(options, budget));
  }

  private Mono<HttpResponse> attempt(HttpPipelineNextPolicy next, Waits waits) {
    return next.clone()
        .process()
        .flatMap(
            response -> {
              Duration wait = waitBeforeAgain(response, waits);
              if (wait == null) {
                return Mono.just(response);
              }
              response.close();
              return Mono.delay(wait).then(Mono.defer(() -> attempt(next, waits)));
            });
  }

  /**
   * How long to wait before sending again, or null to hand the response on: it is no 429, names no
   * wait, or the wait would end past the budget.
   */
  private static Duration waitBeforeAgain(HttpResponse response, Waits waits) {
    if (response.getStatusCode() != 429) {
      return null;
    }
    Duration wait = waits.serverWait(response.getHeaders());
    if (wait == null || wait.isZero() || !waits.fits(wait)) {
      return null;
    }
    return wait;
  }
}
