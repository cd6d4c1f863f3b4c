package org.sentinelplaybooks.clients.implementation;

import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.requests.options.GraphClientOption;
import com.microsoft.kiota.RequestAdapter;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.authentication.AuthenticationProvider;
import com.microsoft.kiota.http.middleware.RedirectHandler;
import com.microsoft.kiota.http.middleware.RetryHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * The Microsoft Graph SDK's request adapter, its OkHttp stack configured to behave as every other
 * client's: the shared {@link CallRules} (retry, throttling, pacing) in place of the SDK's
 * RetryHandler, and no redirect followed. The SDK's default stack follows them twice over: Kiota's
 * {@link RedirectHandler} (which resends a 307's body, a new password included, to the host the
 * answer names) and OkHttp's own {@code followRedirects}. Both are removed, so a 3xx reaches the
 * client, which refuses it.
 */
public final class GraphTransport {
  private GraphTransport() {}

  /** A request's pacer, carried to the rules as a Kiota request option (an OkHttp tag). */
  public record Pacing(Runnable pacer) implements RequestOption {
    @Override
    @SuppressWarnings("unchecked")
    public <T extends RequestOption> Class<T> getType() {
      return (Class<T>) Pacing.class;
    }
  }

  public static RequestAdapter requestAdapter(
      AuthenticationProvider authentication, String root, CallRules rules) {
    return new BaseGraphRequestAdapter(authentication, root, httpClient(rules));
  }

  /**
   * The SDK's default middleware with the shared rules where its retry handler was and without its
   * redirect handler; redirects off in OkHttp; the timeouts of the JDK client the others use. The
   * answer's size and its two minutes are bounded where it is read ({@link RestCaller#readBody}).
   */
  static OkHttpClient httpClient(CallRules rules) {
    GraphClientOption option = new GraphClientOption();
    List<Interceptor> interceptors = new ArrayList<>();
    int rulesAt = 0;
    for (Interceptor interceptor : GraphClientFactory.createDefaultGraphInterceptors(option)) {
      if (interceptor instanceof RetryHandler) {
        rulesAt = interceptors.size();
      } else if (!(interceptor instanceof RedirectHandler)) {
        interceptors.add(interceptor);
      }
    }
    interceptors.add(rulesAt, new RulesInterceptor(rules));
    return GraphClientFactory.create(option, interceptors.toArray(new Interceptor[0]))
        .followRedirects(false)
        .followSslRedirects(false)
        .connectTimeout(Pipelines.CONNECT_TIMEOUT)
        .readTimeout(rules.options().responseTimeout())
        // A backstop for an answer whose headers drip in: the call's tries and waits, and its
        // answer's two minutes.
        .callTimeout(rules.options().waitBudget().plus(RestCaller.CALL_TIMEOUT))
        .build();
  }

  /** Sends each request by the rules: every try a call of the rest of the OkHttp chain. */
  private static final class RulesInterceptor implements Interceptor {
    private final CallRules rules;

    RulesInterceptor(CallRules rules) {
      this.rules = rules;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
      Pacing pacing = chain.request().tag(Pacing.class);
      return rules.send(
          pacing == null ? () -> {} : pacing.pacer(),
          chain.request().method(),
          chain.request().url().uri(),
          new CallRules.Exchange<Response>() {
            @Override
            public Response send() throws IOException {
              return chain.proceed(chain.request());
            }

            @Override
            public CallRules.Answer answer(Response response) {
              return new CallRules.Answer(response.code(), response::header);
            }

            @Override
            public void discard(Response response) {
              response.close();
            }
          });
    }
  }
}
