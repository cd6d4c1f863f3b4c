package org.sentinelplaybooks.clients.implementation;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * The {@link CallRules} (retry, throttling, pacing) in an azure-core pipeline. A request may carry
 * a pacer in its context under {@link #PACER}, which takes a slot before every try.
 */
public final class CallRulesPolicy implements HttpPipelinePolicy {
  /** The context key of a request's pacer (a {@link Runnable}). */
  public static final String PACER = "sentinel-playbooks-pacer";

  private final CallRules rules;

  public CallRulesPolicy(CallRules rules) {
    this.rules = rules;
  }

  @Override
  public HttpResponse processSync(
      HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    try {
      return rules.send(
          pacer(context),
          context.getHttpRequest().getHttpMethod().name(),
          uri(context),
          new CallRules.Exchange<HttpResponse>() {
            @Override
            public HttpResponse send() {
              return next.clone().processSync();
            }

            @Override
            public CallRules.Answer answer(HttpResponse response) {
              return answerOf(response);
            }

            @Override
            public void discard(HttpResponse response) {
              response.close();
            }
          });
    } catch (IOException e) {
      // The azure-core stack reports a failed send unchecked; this is never reached.
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    return attempt(
        next,
        rules.start(pacer(context), context.getHttpRequest().getHttpMethod().name(), uri(context)));
  }

  private Mono<HttpResponse> attempt(HttpPipelineNextPolicy next, CallRules.Call call) {
    return Mono.fromRunnable(call::beforeTry)
        .then(Mono.defer(() -> next.clone().process()))
        .map(Tried::answered)
        .onErrorResume(e -> Mono.just(Tried.failed(e)))
        .flatMap(
            tried -> {
              Duration delay =
                  tried.error() != null
                      ? call.afterFailure(tried.error())
                      : call.afterAnswer(answerOf(tried.response()));
              if (delay == null) {
                return tried.error() != null
                    ? Mono.error(tried.error())
                    : Mono.just(tried.response());
              }
              if (tried.response() != null) {
                tried.response().close();
              }
              return Mono.delay(delay).then(Mono.defer(() -> attempt(next, call)));
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

  private static URI uri(HttpPipelineCallContext context) {
    return URI.create(context.getHttpRequest().getUrl().toString());
  }

  private static Runnable pacer(HttpPipelineCallContext context) {
    return context
        .getData(PACER)
        .filter(Runnable.class::isInstance)
        .map(Runnable.class::cast)
        .orElse(() -> {});
  }

  private static CallRules.Answer answerOf(HttpResponse response) {
    return new CallRules.Answer(
        response.getStatusCode(),
        name -> response.getHeaders().getValue(HttpHeaderName.fromString(name)));
  }
}
