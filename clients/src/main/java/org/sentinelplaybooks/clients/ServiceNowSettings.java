package org.sentinelplaybooks.clients;

import java.net.URI;

/**
 * How to reach ServiceNow and what to put on the tickets. Basic authentication with a user and
 * password, or OAuth client credentials when a client id is set.
 */
public record ServiceNowSettings(
    URI instance,
    String username,
    Secret password,
    String clientId,
    Secret clientSecret,
    String callerId,
    String assignmentGroup,
    String category,
    String closeCode) {

  public static final String DEFAULT_CLOSE_CODE = "Solved (Permanently)";

  public boolean usesOAuth() {
    return clientId != null;
  }
}
