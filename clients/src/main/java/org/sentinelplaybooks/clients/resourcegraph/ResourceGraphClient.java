package org.sentinelplaybooks.clients.resourcegraph;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.implementation.RestCaller;

/**
 * Defender for Cloud alert states in bulk through Azure Resource Graph (the {@code
 * securityresources} table), paged to the end with {@code $skipToken}: one request per thousand
 * alerts instead of one per alert.
 */
public final class ResourceGraphClient {
  public static final String API_VERSION = "2022-10-01";
  static final int PAGE = 1000;
  static final int NAMES_PER_QUERY = 500;
  private static final String ALERTS =
      "securityresources | where type =~ 'microsoft.security/locations/alerts'";
  private static final String PROJECTION =
      " | project id, name, status = tostring(properties.status),"
          + " severity = tostring(properties.severity),"
          + " displayName = tostring(properties.alertDisplayName) | order by id asc";

  private final RestCaller rest;

  private ResourceGraphClient(HttpPipeline pipeline, URI endpoint) {
    this.rest = new RestCaller("Azure Resource Graph", pipeline, endpoint);
  }

  public static ClientBuilder<ResourceGraphClient> builder() {
    return new ClientBuilder<>(ResourceGraphClient::new);
  }

  /** The alerts with these names (Defender for Cloud's alert names) in these subscriptions. */
  public List<AlertState> alertStates(Collection<String> subscriptions, Collection<String> names) {
    List<String> all = new ArrayList<>(names);
    List<AlertState> states = new ArrayList<>();
    for (int start = 0; start < all.size(); start += NAMES_PER_QUERY) {
      List<String> batch = all.subList(start, Math.min(all.size(), start + NAMES_PER_QUERY));
      StringBuilder in = new StringBuilder();
      for (String name : batch) {
        in.append(in.length() == 0 ? "" : ", ").append('\'').append(literal(name)).append('\'');
      }
      states.addAll(query(subscriptions, ALERTS + " | where name in~ (" + in + ")" + PROJECTION));
    }
    return states;
  }

  /** The alerts still Active or InProgress in these subscriptions. */
  public List<AlertState> openAlerts(Collection<String> subscriptions) {
    return query(
        subscriptions,
        ALERTS + " | where tostring(properties.status) in~ ('Active', 'InProgress')" + PROJECTION);
  }

  private List<AlertState> query(Collection<String> subscriptions, String query) {
    List<AlertState> rows = new ArrayList<>();
    String skipToken = null;
    do {
      ObjectNode body = Json.object();
      subscriptions.forEach(body.putArray("subscriptions")::add);
      body.put("query", query);
      ObjectNode options = body.putObject("options").put("$top", PAGE);
      if (skipToken != null) {
        options.put("$skipToken", skipToken);
      }
      JsonNode page =
          rest.send(
                  HttpMethod.POST,
                  rest.url(
                      "/providers/Microsoft.ResourceGraph/resources",
                      Map.of("api-version", API_VERSION)),
                  body)
              .body();
      page.path("data").forEach(row -> rows.add(AlertState.fromRow(row)));
      skipToken = Json.text(page, "$skipToken");
    } while (skipToken != null && !skipToken.isBlank());
    return rows;
  }

  /** A KQL string literal's content: quotes and backslashes escaped. */
  private static String literal(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }
}
