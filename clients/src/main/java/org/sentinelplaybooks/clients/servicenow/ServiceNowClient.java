package org.sentinelplaybooks.clients.servicenow;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.ServiceNowSettings;
import org.sentinelplaybooks.clients.Waiter;
import org.sentinelplaybooks.clients.implementation.BoundedRetryStrategy;
import org.sentinelplaybooks.clients.implementation.RestCaller;

/**
 * The ServiceNow Table API for incidents, with basic or OAuth client-credentials authentication.
 */
public final class ServiceNowClient {
  static final String TABLE = "/api/now/table/incident";

  /**
   * Group membership: one record per user and group, each a reference by sys_id. Read through the
   * Table API as any table (GET /api/now/table/{tableName} with sysparm_query and sysparm_fields;
   * /work/shared/contracts/servicenow/table_incident_query.json). The table and its user and group
   * fields are unverified against ServiceNow's own docs: corroborated only by third-party sources
   * (ServiceNow Community, "Association between user & group API"; Steampipe's
   * servicenow_sys_user_grmember table).
   */
  static final String GROUP_MEMBERS = "/api/now/table/sys_user_grmember";

  /** Groups asked about at once, at most: one membership query names them all. */
  public static final int MOST_GROUPS = 100;

  /**
   * When a create whose outcome is unknown is looked for, from the failure on: ServiceNow can store
   * a record it was still working on when the client gave up.
   */
  static final List<Duration> LOOKS_AFTER_UNKNOWN_CREATE =
      List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2));

  private final RestCaller rest;
  private final RestCaller creates;
  private final int maxRetries;
  private final Waiter waiter;
  private final URI instance;

  ServiceNowClient(
      HttpPipeline pipeline, HttpPipeline createPipeline, ClientOptions options, URI instance) {
    this.rest = new RestCaller("ServiceNow", pipeline, instance);
    this.creates = new RestCaller("ServiceNow", createPipeline, instance);
    this.maxRetries = options.maxRetries();
    this.waiter = options.waiter();
    this.instance = instance;
  }

  /**
   * A client for the instance in the settings, signing with its basic or OAuth credentials. Creates
   * go through a pipeline of their own that never re-sends a request whose outcome is unknown
   * ({@link BoundedRetryStrategy#refusalsOnly}); {@link #create} looks for the record instead.
   */
  public static ClientBuilder<ServiceNowClient> builder(ServiceNowSettings settings) {
    return ClientBuilder.withConnection(
            connection ->
                new ServiceNowClient(
                    connection.pipeline(),
                    connection.pipeline(BoundedRetryStrategy.refusalsOnly(connection.options())),
                    connection.options(),
                    connection.endpoint()))
        .endpoint(settings.instance())
        .authentication(
            (httpClient, options) ->
                new ServiceNowAuthenticationPolicy(settings, httpClient, options.waiter().clock()));
  }

  /**
   * Creates an incident record, retried as any call is but never sent again while it may have
   * worked: after a try whose outcome is unknown (no answer, 500, 502, 504), {@code existing} is
   * asked for the record first, at each of {@link #LOOKS_AFTER_UNKNOWN_CREATE}, and what it finds
   * is returned. A record that lands after the last look still makes a second one.
   */
  public ServiceNowIncident create(
      TicketRequest ticket, Supplier<Optional<ServiceNowIncident>> existing) {
    for (int retries = 0; ; retries++) {
      try {
        return ServiceNowIncident.fromJson(
            creates
                .send(HttpMethod.POST, url(TABLE, Map.of()), body(ticket.fields()))
                .body()
                .path("result"));
      } catch (ApiException e) {
        if (!e.outcomeUnknown() || retries >= maxRetries) {
          throw e;
        }
      }
      Instant failed = waiter.clock().instant();
      for (Duration look : LOOKS_AFTER_UNKNOWN_CREATE) {
        waiter.sleep(Duration.between(waiter.clock().instant(), failed.plus(look)));
        Optional<ServiceNowIncident> found = existing.get();
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
  }

  public Optional<ServiceNowIncident> get(String sysId) {
    try {
      return Optional.of(
          ServiceNowIncident.fromJson(
              rest.send(HttpMethod.GET, url(TABLE + "/" + checkedSysId(sysId), Map.of()), null)
                  .body()
                  .path("result")));
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The incidents whose {@code correlation_id} is this one, at most {@code limit}. Anyone who can
   * file an incident can give it any correlation id: what this finds is a claim, not a proof.
   */
  public List<ServiceNowIncident> findByCorrelationId(String correlationId, int limit) {
    return query(EncodedQuery.where("correlation_id", correlationId), limit);
  }

  /** The incidents that match, at most {@code limit}. */
  List<ServiceNowIncident> query(EncodedQuery query, int limit) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("sysparm_query", query.toString());
    parameters.put("sysparm_limit", Integer.toString(limit));
    List<ServiceNowIncident> incidents = new ArrayList<>();
    for (JsonNode record :
        rest.send(HttpMethod.GET, url(TABLE, parameters), null).body().path("result")) {
      incidents.add(ServiceNowIncident.fromJson(record));
    }
    return incidents;
  }

  /**
   * Which of {@code groups} (sys_user_group sys_ids) the user (a sys_user sys_id) is a member of,
   * read from sys_user_grmember by {@code user=<sys_id>^groupIN<ids>}.
   */
  public java.util.Set<String> groupsOf(String userSysId, java.util.Set<String> groups) {
    if (groups.isEmpty()) {
      return java.util.Set.of();
    }
    if (groups.size() > MOST_GROUPS) {
      throw new IllegalArgumentException("at most " + MOST_GROUPS + " groups may be asked about");
    }
    List<String> ids = groups.stream().map(ServiceNowClient::checkedSysId).sorted().toList();
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put(
        "sysparm_query", "user=" + checkedSysId(userSysId) + "^groupIN" + String.join(",", ids));
    parameters.put("sysparm_fields", "group");
    parameters.put("sysparm_limit", Integer.toString(ids.size()));
    java.util.Set<String> member = new java.util.TreeSet<>();
    for (JsonNode record :
        rest.send(HttpMethod.GET, url(GROUP_MEMBERS, parameters), null).body().path("result")) {
      JsonNode group = record.path("group");
      String sysId = group.isObject() ? Json.text(group, "value") : Json.text(record, "group");
      if (sysId != null && ids.contains(sysId)) {
        member.add(sysId);
      }
    }
    return member;
  }

  /**
   * Resolves the incident (state 6) with this resolution code and notes, which ServiceNow's data
   * policy asks of a resolved incident.
   */
  public ServiceNowIncident resolve(String sysId, String closeCode, String closeNotes) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("state", ServiceNowIncident.RESOLVED);
    fields.put("close_code", closeCode);
    fields.put("close_notes", closeNotes);
    return update(sysId, fields);
  }

  /** Makes the incident follow another correlation id (another Sentinel incident). */
  public ServiceNowIncident setCorrelationId(String sysId, String correlationId) {
    return update(sysId, Map.of("correlation_id", correlationId));
  }

  private ServiceNowIncident update(String sysId, Map<String, String> fields) {
    return ServiceNowIncident.fromJson(
        rest.send(HttpMethod.PATCH, url(TABLE + "/" + checkedSysId(sysId), Map.of()), body(fields))
            .body()
            .path("result"));
  }

  /** The incident's page in the ServiceNow UI. */
  public String link(String sysId) {
    return instance + "/nav_to.do?uri=incident.do%3Fsys_id%3D" + checkedSysId(sysId);
  }

  private String url(String path, Map<String, String> query) {
    Map<String, String> parameters = new LinkedHashMap<>(query);
    parameters.put("sysparm_exclude_reference_link", "true");
    return rest.url(path, parameters);
  }

  private static ObjectNode body(Map<String, String> fields) {
    ObjectNode body = Json.object();
    fields.forEach(body::put);
    return body;
  }

  private static String checkedSysId(String sysId) {
    if (sysId == null || !sysId.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("'" + sysId + "' is not a ServiceNow sys_id");
    }
    return sysId;
  }
}
