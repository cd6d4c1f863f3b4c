package org.sentinelplaybooks.clients.network;

import java.util.List;

/** An NSG as read: its id, location, etag and security rules (default rules left out). */
public record NetworkSecurityGroup(
    String id, String location, String etag, List<SecurityRule> rules) {

  public NetworkSecurityGroup {
    rules = List.copyOf(rules);
  }
}
