package org.sentinelplaybooks.clients.graph;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.authentication.AuthenticationProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.sentinelplaybooks.clients.Loopback;
import org.sentinelplaybooks.clients.implementation.LocalDevelopmentTokenPolicy;

/**
 * Signs Graph requests with a token for the Graph scope from the credential, or with the
 * development token when there is none (Local). Either goes only to the configured Graph host.
 */
final class GraphAuthenticationProvider implements AuthenticationProvider {
  private final URI endpoint;
  private final TokenCredential credential;
  private final String scope;

  GraphAuthenticationProvider(URI endpoint, TokenCredential credential, String scope) {
    this.endpoint = endpoint;
    this.credential = credential;
    this.scope = scope;
  }

  @Override
  public void authenticateRequest(RequestInformation request, Map<String, Object> context) {
    URI target;
    try {
      target = request.getUri();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getInput(), e);
    }
    if (!endpoint.getScheme().equalsIgnoreCase(String.valueOf(target.getScheme()))
        || !endpoint.getHost().equalsIgnoreCase(target.getHost())
        || endpoint.getPort() != target.getPort()
        || target.getRawUserInfo() != null) {
      throw new IllegalStateException("refusing to send a Graph token to " + target.getHost());
    }
    String token;
    if (credential == null) {
      if (!Loopback.isLoopback(target)) {
        throw new IllegalStateException(
            "refusing to send the development token to "
                + target.getHost()
                + ": not a loopback address");
      }
      token = LocalDevelopmentTokenPolicy.DEVELOPMENT_TOKEN;
    } else {
      token = credential.getTokenSync(new TokenRequestContext().addScopes(scope)).getToken();
    }
    request.headers.tryAdd("Authorization", "Bearer " + token);
  }
}
