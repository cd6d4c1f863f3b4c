package org.sentinelplaybooks.clients.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.clients.Json;

/** A Conditional Access IP named location: id, name and its CIDR ranges as Graph lists them. */
public record NamedLocation(
    String id, String displayName, String odataType, List<String> ipRanges) {
  public static final String IP_NAMED_LOCATION = "#microsoft.graph.ipNamedLocation";

  public NamedLocation {
    ipRanges = List.copyOf(ipRanges);
  }

  static NamedLocation fromJson(JsonNode location) {
    List<String> ranges = new ArrayList<>();
    location.path("ipRanges").forEach(r -> ranges.add(Json.text(r, "cidrAddress")));
    return new NamedLocation(
        Json.text(location, "id"),
        Json.text(location, "displayName"),
        Json.text(location, "@odata.type"),
        ranges);
  }

  public boolean isIpNamedLocation() {
    return IP_NAMED_LOCATION.equals(odataType);
  }
}
