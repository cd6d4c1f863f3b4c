package org.sentinelplaybooks.clients.implementation;

import java.net.URI;
import org.sentinelplaybooks.clients.ApiException;

/**
 * No client follows a redirect: a 3xx is a failure with its status, never a success. Following one
 * would send the request, body and all (a new password, a ticket), to wherever the answer points.
 */
public final class Redirects {
  /** The error code of a refused redirect. */
  public static final String REFUSED = "RedirectRefused";

  private Redirects() {}

  public static boolean isRedirect(int status) {
    return status >= 300 && status < 400;
  }

  /** The failure for a 3xx: its status, and the host it pointed at (never the whole URL). */
  public static ApiException refused(String service, int status, String location) {
    return new ApiException(
        service, status, REFUSED, "refusing to follow a redirect to " + host(location));
  }

  private static String host(String location) {
    if (location == null || location.isBlank()) {
      return "an unnamed location";
    }
    try {
      URI uri = URI.create(location.trim());
      return uri.getHost() == null ? "a relative location" : uri.getHost();
    } catch (IllegalArgumentException e) {
      return "a malformed location";
    }
  }
}
