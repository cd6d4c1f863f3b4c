package org.sentinelplaybooks.clients.implementation;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import java.net.URI;
import org.sentinelplaybooks.clients.Loopback;

/**
 * For {@code AZURE_CLOUD=Local}: sets the fixed development token, and refuses to send it (or
 * anything) to a host that is not a loopback address.
 */
public final class LocalDevelopmentTokenPolicy extends HttpPipelineSyncPolicy {
  /** The bearer token every Local request carries; it grants nothing anywhere else. */
  public static final String DEVELOPMENT_TOKEN = "local-development-token";

  @Override
  protected void beforeSendingRequest(HttpPipelineCallContext context) {
    URI uri = URI.create(context.getHttpRequest().getUrl().toString());
    if (!Loopback.isLoopback(uri)) {
      throw new IllegalStateException(
          "refusing to send the development token to "
              + uri.getHost()
              + ": not a loopback address");
    }
    context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + DEVELOPMENT_TOKEN);
  }
}
