package org.sentinelplaybooks.clients.network;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Azure Firewall IP Group as read: id, location and tags (both kept on write), etag and
 * addresses. The tags are null when the group has none.
 */
public record IpGroup(
    String id, String location, Map<String, String> tags, String etag, List<String> ipAddresses) {

  public IpGroup {
    tags = tags == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    ipAddresses = List.copyOf(ipAddresses);
  }
}
