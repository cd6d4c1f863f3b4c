package org.sentinelplaybooks.clients.network;

import java.util.List;

/**
 * A security rule of an NSG as read: its name, etag, priority, direction and source prefixes (from
 * {@code sourceAddressPrefixes}, or {@code sourceAddressPrefix} when that is all it names).
 */
public record SecurityRule(
    String name, String etag, int priority, String direction, List<String> sourcePrefixes) {

  public SecurityRule {
    sourcePrefixes = List.copyOf(sourcePrefixes);
  }
}
