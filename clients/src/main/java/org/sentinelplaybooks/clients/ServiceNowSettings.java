package org.sentinelplaybooks.clients;

import java.net.URI;

/**
 * How to reach ServiceNow: basic authentication with a user and password, or OAuth client
 * credentials when a client id is set. What goes on the tickets is the playbooks' business.
 */
public record ServiceNowSettings(
    URI instance, String username, Secret password, String clientId, Secret clientSecret) {

  public boolean usesOAuth() {
    return clientId != null;
  }
}
