package org.sentinelplaybooks.clients.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.clients.Json;

/** An Azure Firewall IP Group as read: id, location, tags (kept on write), etag and addresses. */
public record IpGroup(
    String id, String location, JsonNode tags, String etag, List<String> ipAddresses) {

  public IpGroup {
    ipAddresses = List.copyOf(ipAddresses);
  }

  static IpGroup fromJson(JsonNode group) {
    List<String> addresses = new ArrayList<>();
    group.path("properties").path("ipAddresses").forEach(a -> addresses.add(a.asText()));
    JsonNode tags = group.get("tags");
    return new IpGroup(
        Json.text(group, "id"),
        Json.text(group, "location"),
        tags == null || tags.isNull() ? null : tags.deepCopy(),
        Json.text(group, "etag"),
        addresses);
  }
}
