package org.sentinelplaybooks.clients.implementation;

import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.requests.options.GraphClientOption;
import com.microsoft.kiota.RequestAdapter;
import com.microsoft.kiota.authentication.AuthenticationProvider;
import com.microsoft.kiota.http.middleware.RedirectHandler;
import java.util.Arrays;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * The Microsoft Graph SDK's request adapter on an OkHttp client that follows no redirect. The SDK's
 * default stack follows them twice over: Kiota's {@link RedirectHandler} (which resends a 307's
 * body, a new password included, to the host the answer names) and OkHttp's own {@code
 * followRedirects}. Both are removed, so a 3xx reaches the client, which refuses it.
 */
public final class GraphTransport {
  private GraphTransport() {}

  public static RequestAdapter requestAdapter(AuthenticationProvider authentication, String root) {
    return new BaseGraphRequestAdapter(authentication, root, httpClient());
  }

  /** The SDK's default middleware without the redirect handler, redirects off in OkHttp. */
  static OkHttpClient httpClient() {
    GraphClientOption option = new GraphClientOption();
    Interceptor[] interceptors =
        Arrays.stream(GraphClientFactory.createDefaultGraphInterceptors(option))
            .filter(interceptor -> !(interceptor instanceof RedirectHandler))
            .toArray(Interceptor[]::new);
    return GraphClientFactory.create(option, interceptors)
        .followRedirects(false)
        .followSslRedirects(false)
        // A whole call, headers and body, within the same bound as the other clients' calls.
        .callTimeout(RestCaller.CALL_TIMEOUT)
        .build();
  }
}
