package org.sentinelplaybooks.clients.network;

import java.util.List;

/**
 * An inbound rule that denies every protocol, port and destination from these source addresses and
 * ranges, at this priority; the description says who keeps it.
 */
public record DenyRule(String name, int priority, List<String> sourcePrefixes, String description) {

  public DenyRule {
    sourcePrefixes = List.copyOf(sourcePrefixes);
  }
}
