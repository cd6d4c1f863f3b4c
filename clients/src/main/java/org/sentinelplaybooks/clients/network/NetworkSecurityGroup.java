package org.sentinelplaybooks.clients.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.clients.Json;

/** An NSG as read: its id, location, etag and security rules (default rules left out). */
public record NetworkSecurityGroup(
    String id, String location, String etag, List<SecurityRule> rules) {

  public NetworkSecurityGroup {
    rules = List.copyOf(rules);
  }

  static NetworkSecurityGroup fromJson(JsonNode nsg) {
    List<SecurityRule> rules = new ArrayList<>();
    nsg.path("properties").path("securityRules").forEach(r -> rules.add(SecurityRule.fromJson(r)));
    return new NetworkSecurityGroup(
        Json.text(nsg, "id"), Json.text(nsg, "location"), Json.text(nsg, "etag"), rules);
  }
}
