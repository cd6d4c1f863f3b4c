package org.sentinelplaybooks.clients.resourcegraph;

import com.azure.core.http.HttpPipeline;
import com.azure.core.util.Context;
import com.azure.resourcemanager.resourcegraph.ResourceGraphManager;
import com.azure.resourcemanager.resourcegraph.fluent.ResourceProvidersClient;
import com.azure.resourcemanager.resourcegraph.fluent.models.QueryResponseInner;
import com.azure.resourcemanager.resourcegraph.models.QueryRequest;
import com.azure.resourcemanager.resourcegraph.models.QueryRequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.implementation.Lazy;
import org.sentinelplaybooks.clients.implementation.ResourceManagerSdk;
import org.sentinelplaybooks.clients.implementation.RestCaller;

/**
 * Defender for Cloud alert states in bulk through Azure Resource Graph (the {@code
 * securityresources} table), paged to the end with {@code $skipToken}: one request per thousand
 * alerts instead of one per alert. An alert whose status comes back empty is {@linkplain
 * AlertState#isUnknown() unknown}; callers read it again from the alerts API.
 *
 * <p>Sent by the GA Resource Manager SDK ({@code azure-resourcemanager-resourcegraph}) on the
 * shared pipeline: Resources, POST {@code /providers/Microsoft.ResourceGraph/resources} at
 * api-version {@value #API_VERSION}, rows as an object array by default
 * (specification/resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/2021-03-01/
 * resourcegraph.json and examples/ResourcesBasicQuery.json).
 */
public final class ResourceGraphClient {
  /** The api-version azure-resourcemanager-resourcegraph 1.1.0 sends. */
  public static final String API_VERSION = "2021-03-01";

  private static final String SERVICE = "Azure Resource Graph";
  static final int PAGE = 1000;
  static final int NAMES_PER_QUERY = 500;
  private static final String ALERTS =
      "securityresources | where type =~ 'microsoft.security/locations/alerts'";

  /*
   * Resource Graph holds an alert's properties in PascalCase (properties.Status, .Severity,
   * .AlertDisplayName, .SystemAlertId: the Learn sample "Display all active Microsoft Defender for
   * Cloud alerts", MicrosoftDocs/azure-docs includes/resource-graph/samples/bycat/
   * microsoft-defender.md), while the alerts REST API writes camelCase. KQL matches a dynamic
   * property's name exactly, so both spellings are read; coalesce takes the first non-empty string
   * (learn.microsoft.com/kusto/query/coalesce-function). What is still empty is an unknown state.
   */
  private static final String STATUS = either("Status", "status");
  private static final String PROJECTION =
      " | project id, name, status = "
          + STATUS
          + ", severity = "
          + either("Severity", "severity")
          + ", displayName = "
          + either("AlertDisplayName", "alertDisplayName")
          + " | order by id asc";

  /** Built on the first query, so that an app that never reconciles never loads the SDK. */
  private final Lazy<ResourceProvidersClient> sdk;

  private ResourceGraphClient(HttpPipeline pipeline, URI endpoint) {
    RestCaller rest = new RestCaller(SERVICE, pipeline, endpoint);
    this.sdk =
        new Lazy<>(
            () ->
                ResourceGraphManager.authenticate(
                        ResourceManagerSdk.pipeline(rest),
                        ResourceManagerSdk.profile(endpoint, null))
                    .serviceClient()
                    .getResourceProviders());
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
        ALERTS + " | where " + STATUS + " in~ ('Active', 'InProgress')" + PROJECTION);
  }

  private static String either(String pascalCase, String camelCase) {
    return "coalesce(tostring(properties."
        + pascalCase
        + "), tostring(properties."
        + camelCase
        + "))";
  }

  /**
   * The open alerts of these severities (all when empty), as the Defender for Cloud portal's "Open
   * query" reads them: Learn, "Azure Resource Graph sample queries for Microsoft Defender for
   * Cloud", Display all active Microsoft Defender for Cloud alerts ({@code where
   * properties.Severity in ('Low', 'Medium', 'High')}, {@code properties.SystemAlertId}).
   */
  public List<AlertSummary> openAlertSummaries(
      Collection<String> subscriptions, Collection<String> severities) {
    StringBuilder query =
        new StringBuilder(ALERTS)
            .append(" | where ")
            .append(STATUS)
            .append(" in~ ('Active', 'InProgress')");
    if (!severities.isEmpty()) {
      StringBuilder in = new StringBuilder();
      for (String severity : severities) {
        in.append(in.length() == 0 ? "" : ", ").append('\'').append(literal(severity)).append('\'');
      }
      query
          .append(" | where ")
          .append(either("Severity", "severity"))
          .append(" in~ (")
          .append(in)
          .append(')');
    }
    query
        .append(" | project id, name, status = ")
        .append(STATUS)
        .append(", severity = ")
        .append(either("Severity", "severity"))
        .append(", displayName = ")
        .append(either("AlertDisplayName", "alertDisplayName"))
        .append(", timeGenerated = ")
        .append(either("TimeGeneratedUtc", "timeGeneratedUtc"))
        .append(", productName = ")
        .append(either("ProductName", "productName"))
        .append(", systemAlertId = ")
        .append(either("SystemAlertId", "systemAlertId"))
        .append(" | order by id asc");
    return query(subscriptions, query.toString(), AlertSummary::fromRow);
  }

  private List<AlertState> query(Collection<String> subscriptions, String query) {
    return query(subscriptions, query, AlertState::fromRow);
  }

  private <T> List<T> query(
      Collection<String> subscriptions, String query, Function<Map<String, Object>, T> row) {
    List<T> rows = new ArrayList<>();
    String skipToken = null;
    do {
      QueryRequest request =
          new QueryRequest()
              .withSubscriptions(List.copyOf(subscriptions))
              .withQuery(query)
              .withOptions(new QueryRequestOptions().withTop(PAGE).withSkipToken(skipToken));
      QueryResponseInner page =
          ResourceManagerSdk.call(
              SERVICE, () -> sdk.get().resourcesWithResponse(request, Context.NONE).getValue());
      for (Object item : page.data() instanceof List<?> items ? items : List.of()) {
        rows.add(row.apply(columns(item)));
      }
      skipToken = page.skipToken();
    } while (skipToken != null && !skipToken.isBlank());
    return rows;
  }

  /** A row of the object-array result: its columns by name. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> columns(Object item) {
    if (!(item instanceof Map<?, ?> columns)) {
      throw new ApiException(SERVICE, 0, "MalformedResponse", "a row of the answer is no object");
    }
    return (Map<String, Object>) columns;
  }

  /** A column's value as text, or null when absent, null or not a plain value. */
  static String text(Map<String, Object> row, String column) {
    Object value = row.get(column);
    return value instanceof String || value instanceof Number || value instanceof Boolean
        ? value.toString()
        : null;
  }

  /** A KQL string literal's content: quotes and backslashes escaped. */
  private static String literal(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }
}
