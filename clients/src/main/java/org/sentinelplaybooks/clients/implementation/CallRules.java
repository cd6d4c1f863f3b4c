package org.sentinelplaybooks.clients.implementation;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.sentinelplaybooks.clients.ClientOptions;

/**
 * The rules every call follows, whichever HTTP stack sends it (the azure-core pipeline through
 * {@link CallRulesPolicy}, the Microsoft Graph SDK's OkHttp through {@link GraphTransport}):
 *
 * <ul>
 *   <li>a paced call takes its pacer's slot before every try, a re-sent one included;
 *   <li>a 429 that names a wait is waited out, each wait cut to {@link
 *       ClientOptions#maxServerWait()}, within {@link #THROTTLING_BUDGET} a try, before it counts
 *       as a failed try: throttling must slow a run down, not fail it. ARM and Graph both name the
 *       wait in {@code Retry-After} ("A suggested wait time is returned in the response header",
 *       microsoftgraph/microsoft-graph-docs-contrib concepts/throttling.md);
 *   <li>a failed try (408, 429, 5xx that pass, no answer) is tried again as the strategy says,
 *       after the service's {@code Retry-After} (cut to the same cap) or the back-off;
 *   <li>no wait ends past the call's wait budget or the run's deadline: the call fails instead;
 *   <li>a redirect is never retried nor followed: it reaches the client, which refuses it.
 * </ul>
 *
 * <p>In place of azure-core's RetryPolicy, which waits whatever {@code Retry-After} says (an hour,
 * if a service or a tampered answer asks) and cannot be given a clock, and of the Graph SDK's
 * RetryHandler, which leaves out 500, 502 and failures without an answer.
 */
public final class CallRules {
  /** The most one try waits out 429s before they count as a failed try. */
  static final Duration THROTTLING_BUDGET = Duration.ofSeconds(60);

  /** An answer as the rules see it, from any HTTP stack: its status, and its headers by name. */
  public record Answer(int status, UnaryOperator<String> header) {}

  /** Sending one request once on some HTTP stack, and reading and discarding its answer. */
  public interface Exchange<R> {
    R send() throws IOException;

    Answer answer(R response);

    /** Releases an answer that is not handed on (it is retried). */
    void discard(R response);
  }

  private final BoundedRetryStrategy strategy;
  private final ClientOptions options;
  private final ThrottleGate gate = new ThrottleGate();

  public CallRules(BoundedRetryStrategy strategy, ClientOptions options) {
    this.strategy = Objects.requireNonNull(strategy);
    this.options = Objects.requireNonNull(options);
  }

  /** The retries and back-off of the options. */
  public static CallRules of(ClientOptions options) {
    return new CallRules(BoundedRetryStrategy.of(options), options);
  }

  public ClientOptions options() {
    return options;
  }

  /**
   * One call under these rules, its pacer run before every try, held back while the bucket its
   * request draws on ({@code method} on {@code url}) is throttled.
   */
  public Call start(Runnable pacer, String method, URI url) {
    return new Call(pacer, ThrottleGate.bucketOf(method, url));
  }

  /** Sends until the answer is final, by the rules: the loop every synchronous stack uses. */
  public <R> R send(Runnable pacer, String method, URI url, Exchange<R> exchange)
      throws IOException {
    Call call = start(pacer, method, url);
    while (true) {
      call.beforeTry();
      R response;
      try {
        response = exchange.send();
      } catch (IOException | RuntimeException e) {
        Duration delay = call.afterFailure(e);
        if (delay == null) {
          throw e;
        }
        call.sleep(delay);
        continue;
      }
      Duration delay = call.afterAnswer(exchange.answer(response));
      if (delay == null) {
        return response;
      }
      exchange.discard(response);
      call.sleep(delay);
    }
  }

  /** One call's progress: its tries so far and what it may still wait. */
  public final class Call {
    private final Runnable pacer;
    private final String bucket;
    private final Waits waits = Waits.forCall(options);
    private int retries;

    /** The throttling budget of the current try; null until the try is made. */
    private Waits throttling;

    private Call(Runnable pacer, String bucket) {
      this.pacer = Objects.requireNonNull(pacer);
      this.bucket = bucket;
    }

    /**
     * Before each try, a re-sent one included: waits while the bucket is throttled (as long as the
     * throttling budget allows: past it, the try goes and the service answers), then takes the
     * pacer's slot.
     */
    public void beforeTry() {
      if (throttling == null) {
        throttling = Waits.within(options, THROTTLING_BUDGET);
      }
      Duration held = gate.heldFor(bucket, now());
      if (!held.isZero() && throttling.fits(held)) {
        throttling.sleep(held);
      }
      pacer.run();
    }

    private Instant now() {
      return options.waiter().clock().instant();
    }

    /** The wait before sending again after this answer, or null to hand the answer on. */
    public Duration afterAnswer(Answer answer) {
      if (answer.status() == 429) {
        Duration wait = throttling.serverWait(answer.header());
        if (wait != null && !wait.isZero()) {
          gate.close(bucket, now().plus(wait));
        }
        if (wait != null && !wait.isZero() && throttling.fits(wait)) {
          return wait;
        }
      }
      if (retries >= strategy.getMaxRetries() || !strategy.shouldRetryStatus(answer.status())) {
        return null;
      }
      Duration asked = waits.serverWait(answer.header());
      return nextTry(asked != null ? asked : strategy.calculateRetryDelay(retries));
    }

    /** The wait before sending again after this failure, or null to throw it. */
    public Duration afterFailure(Throwable error) {
      if (retries >= strategy.getMaxRetries() || !strategy.shouldRetryException(error)) {
        return null;
      }
      return nextTry(strategy.calculateRetryDelay(retries));
    }

    private Duration nextTry(Duration delay) {
      if (!waits.fits(delay)) {
        return null;
      }
      retries++;
      throttling = null;
      return delay;
    }

    public void sleep(Duration wait) {
      waits.sleep(wait);
    }
  }
}
