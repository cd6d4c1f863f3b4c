package org.sentinelplaybooks.clients.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.kiota.HttpMethod;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.implementation.RestCaller;
import org.sentinelplaybooks.clients.implementation.SlidingWindowLimiter;
import org.sentinelplaybooks.clients.network.Cidr;

/**
 * Entra ID users and Identity Protection through the Microsoft Graph SDK's core library (v1.0):
 * read users, their group membership and directory roles, confirm users compromised, revoke
 * sessions, reset passwords. Identity Protection allows about one request a second per tenant and
 * answers 429 without {@code Retry-After}, so each try of its calls takes a slot of a pacer that
 * spaces them by the interval the client is built with.
 *
 * <p>Calls are retried by the rules every client follows ({@link GraphCaller}): every call made
 * here may be sent again, a write sending the same content to the same user or location.
 */
public final class IdentityClient {
  private final GraphCaller graph;
  private final String root;

  /** One Identity Protection call at a time in each interval, on the options' waiter's clock. */
  private final Runnable identityProtectionPacer;

  private IdentityClient(GraphCaller graph, Duration interval) {
    this.graph = graph;
    this.root = graph.root();
    this.identityProtectionPacer =
        graph.pacer(new SlidingWindowLimiter(1, interval, graph.options().waiter()));
  }

  /**
   * A client on its own Graph connection ({@link GraphCaller#builder()}).
   *
   * @param identityProtectionInterval the least time between two Identity Protection calls
   */
  public static ClientBuilder<IdentityClient> builder(Duration identityProtectionInterval) {
    return ClientBuilder.withConnection(
        connection -> create(GraphCaller.create(connection), identityProtectionInterval));
  }

  /** On a Graph connection shared with the other Graph clients. */
  public static IdentityClient create(GraphCaller graph, Duration identityProtectionInterval) {
    return new IdentityClient(graph, identityProtectionInterval);
  }

  /**
   * checkMemberGroups takes at most 20 group ids a call
   * (contracts/graph/users_checkMemberGroups.json).
   */
  static final int GROUPS_PER_CHECK = 20;

  /**
   * The most users one confirmCompromised call carries. The v1.0 reference
   * (learn.microsoft.com/graph/api/riskyuser-confirmcompromised;
   * microsoftgraph/microsoft-graph-docs-contrib
   * api-reference/v1.0/api/riskyuser-confirmcompromised.md) states no maximum for userIds, so the
   * calls are kept small.
   */
  public static final int USERS_PER_CONFIRM = 60;

  /** The most pages of one list followed; a longer list is an error, never a partial answer. */
  static final int MAX_PAGES = 20;

  /**
   * The user by object id or user principal name; empty when Entra ID has none. An answer without
   * an object id is an error.
   */
  public Optional<EntraUser> getUser(String idOrUpn) {
    try {
      return Optional.of(
          EntraUser.fromJson(
              send(
                  HttpMethod.GET,
                  "/users/" + RestCaller.encode(idOrUpn) + "?$select=" + EntraUser.SELECT,
                  null)));
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Which of the groups the user is a member of, directly or through other groups, asked 20 at a
   * time. An answer without its list of ids is an error, never "not a member".
   */
  public Set<String> memberOf(String userId, Collection<String> groupIds) {
    List<String> all = List.copyOf(groupIds);
    Set<String> member = new HashSet<>();
    for (int start = 0; start < all.size(); start += GROUPS_PER_CHECK) {
      ObjectNode body = Json.object();
      all.subList(start, Math.min(all.size(), start + GROUPS_PER_CHECK))
          .forEach(body.putArray("groupIds")::add);
      JsonNode answer =
          send(
              HttpMethod.POST,
              "/users/" + RestCaller.encode(userId) + "/checkMemberGroups",
              bytes(body));
      for (JsonNode id : values(answer, "checkMemberGroups")) {
        if (!id.isTextual()) {
          throw malformed("checkMemberGroups answered a group id that is not a string");
        }
        member.add(id.asText().toLowerCase(Locale.ROOT));
      }
    }
    return member;
  }

  /**
   * The directory roles the user holds, directly or through a role-assignable group: {@code GET
   * /users/{id}/transitiveMemberOf/microsoft.graph.directoryRole} with {@code $count=true} and
   * {@code ConsistencyLevel: eventual}, which an OData cast requires
   * (contracts/graph/users_memberOf_directoryRoles.json, option A; microsoft-graph-docs-contrib
   * api-reference/v1.0/api/user-list-transitivememberof.md). Without the right to read directory
   * roles Graph still lists them, with only {@code @odata.type} and {@code id} ("limited
   * information returned for inaccessible member objects", group-list-memberof on Learn): a role
   * without its template id is an error here, so the app needs RoleManagement.Read.Directory.
   */
  public List<DirectoryRole> directoryRoles(String userId) {
    List<DirectoryRole> roles = new ArrayList<>();
    String next =
        root
            + "/users/"
            + RestCaller.encode(userId)
            + "/transitiveMemberOf/microsoft.graph.directoryRole?$count=true&$select="
            + RestCaller.encode("id,displayName,roleTemplateId");
    for (int page = 0; next != null; page++) {
      if (page >= MAX_PAGES) {
        throw malformed("the directory roles ran past " + MAX_PAGES + " pages");
      }
      JsonNode answer =
          send(
              HttpMethod.GET,
              pathUnderRoot(next),
              null,
              false,
              Map.of("ConsistencyLevel", "eventual"));
      for (JsonNode role : values(answer, "transitiveMemberOf")) {
        String templateId = Json.text(role, "roleTemplateId");
        if (templateId == null || !EntraUser.GUID.matcher(templateId).matches()) {
          throw malformed(
              "a directory role came without its roleTemplateId: can the app read directory roles"
                  + " (RoleManagement.Read.Directory)?");
        }
        roles.add(
            new DirectoryRole(templateId.toLowerCase(Locale.ROOT), Json.text(role, "displayName")));
      }
      next = Json.text(answer, "@odata.nextLink");
    }
    return roles;
  }

  /** Confirms the users compromised in one call of at most {@value #USERS_PER_CONFIRM} users. */
  public void confirmCompromised(List<String> userIds) {
    if (userIds.isEmpty() || userIds.size() > USERS_PER_CONFIRM) {
      throw new IllegalArgumentException(
          "confirm 1 to " + USERS_PER_CONFIRM + " users a call, not " + userIds.size());
    }
    ObjectNode body = Json.object();
    userIds.forEach(body.putArray("userIds")::add);
    send(HttpMethod.POST, "/identityProtection/riskyUsers/confirmCompromised", bytes(body), true);
  }

  /** The answer's {@code value} list; a 2xx without it cannot be read, and is an error. */
  private static JsonNode values(JsonNode answer, String operation) {
    JsonNode value = answer.path("value");
    if (!value.isArray()) {
      throw malformed(operation + " answered without its list of values");
    }
    return value;
  }

  private String pathUnderRoot(String link) {
    return graph.pathUnderRoot(link);
  }

  private static ApiException malformed(String message) {
    return GraphCaller.malformed(message);
  }

  public void revokeSignInSessions(String userId) {
    send(HttpMethod.POST, "/users/" + RestCaller.encode(userId) + "/revokeSignInSessions", null);
  }

  /**
   * Sets a new password that must be changed at the next sign-in. The password's bytes are wiped
   * once sent; the caller wipes its own copy.
   */
  public void resetPassword(String userId, char[] password) {
    byte[] body = null;
    try {
      body = passwordBody(password);
      send(HttpMethod.PATCH, "/users/" + RestCaller.encode(userId), body);
    } finally {
      if (body != null) {
        Arrays.fill(body, (byte) 0);
      }
    }
  }

  private static byte[] passwordBody(char[] password) {
    String prefix = "{\"passwordProfile\":{\"forceChangePasswordNextSignIn\":true,\"password\":\"";
    String suffix = "\"}}";
    java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + encoded.remaining() + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    encoded.get(body, head.length, encoded.remaining());
    System.arraycopy(tail, 0, body, body.length - tail.length, tail.length);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return body;
  }

  /** A Conditional Access named location. */
  public NamedLocation getNamedLocation(String id) {
    return NamedLocation.fromJson(
        send(
            HttpMethod.GET,
            "/identity/conditionalAccess/namedLocations/" + RestCaller.encode(id),
            null));
  }

  /**
   * Sets the IP ranges of an IP named location. Graph replaces the whole list with what is sent, so
   * {@code cidrs} must hold the ranges to keep as well as the new ones.
   */
  public void setNamedLocationRanges(String id, List<Cidr> cidrs) {
    ObjectNode body = Json.object();
    body.put("@odata.type", NamedLocation.IP_NAMED_LOCATION);
    ArrayNode ranges = body.putArray("ipRanges");
    for (Cidr cidr : cidrs) {
      ranges
          .addObject()
          .put(
              "@odata.type",
              cidr.isIpv4() ? "#microsoft.graph.iPv4CidrRange" : "#microsoft.graph.iPv6CidrRange")
          .put("cidrAddress", cidr.toCidrString());
    }
    send(
        HttpMethod.PATCH,
        "/identity/conditionalAccess/namedLocations/" + RestCaller.encode(id),
        bytes(body));
  }

  private static byte[] bytes(JsonNode body) {
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private JsonNode send(HttpMethod method, String pathAndQuery, byte[] body) {
    return send(method, pathAndQuery, body, false);
  }

  /** A paced call takes an Identity Protection slot for every try. */
  private JsonNode send(HttpMethod method, String pathAndQuery, byte[] body, boolean paced) {
    return send(method, pathAndQuery, body, paced, Map.of());
  }

  private JsonNode send(
      HttpMethod method,
      String pathAndQuery,
      byte[] body,
      boolean paced,
      Map<String, String> headers) {
    return graph.send(
        method, pathAndQuery, body, paced ? identityProtectionPacer : () -> {}, headers);
  }
}
