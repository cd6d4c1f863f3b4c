package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Graph v1.0: users, transitive group membership (20 groups a check), directory roles
 * held, sign-in session revocation, password reset, Identity Protection's risky users (paged), with
 * its limit of one request a second per tenant (429 without Retry-After), and Conditional Access IP
 * named locations.
 */
public final class GraphApi {
  public static final Pattern PATH = Pattern.compile("^/v1\\.0(/.*)$");
  private static final Pattern USER =
      Pattern.compile(
          "^/users/([^/]+)(?:/(checkMemberGroups|revokeSignInSessions"
              + "|transitiveMemberOf/microsoft\\.graph\\.directoryRole))?$");
  private static final String RISKY = "/identityProtection/riskyUsers";
  private static final Pattern NAMED_LOCATION =
      Pattern.compile(
          "^/identity/conditionalAccess/namedLocations/([^/]+)$", Pattern.CASE_INSENSITIVE);
  private static final String IP_NAMED_LOCATION = "#microsoft.graph.ipNamedLocation";
  private static final String IPV4_RANGE = "#microsoft.graph.iPv4CidrRange";
  private static final String IPV6_RANGE = "#microsoft.graph.iPv6CidrRange";
  static final int MAX_IP_RANGES = 2000;

  /**
   * "You can check up to a maximum of 20 groups per request" (directoryobject-checkmembergroups).
   */
  static final int MAX_CHECKED_GROUPS = 20;

  /** riskyuser-list: "The maximum page size with $top is 500 objects"; the default is not given. */
  static final int MAX_RISKY_USERS_PAGE = 500;

  /** user-list-transitivememberof: "The default and maximum page sizes are 100 and 999 objects". */
  static final int DEFAULT_MEMBER_OF_PAGE = 100;

  static final int MAX_MEMBER_OF_PAGE = 999;
  private static final long IDENTITY_PROTECTION_INTERVAL_MILLIS = 1000;

  private final Store store;

  public GraphApi(Store store) {
    this.store = store;
  }

  public Answer handle(Call call, String path) {
    synchronized (store) {
      if (path.startsWith("/identityProtection/")) {
        long now = store.entra.rateLimitClock.millis();
        if (now - store.entra.lastIdentityProtectionCall < IDENTITY_PROTECTION_INTERVAL_MILLIS) {
          store.entra.throttled++;
          return error(store, 429, "TooManyRequests", "Too many requests.");
        }
        store.entra.lastIdentityProtectionCall = now;
        return identityProtection(call, path);
      }
      Matcher namedLocation = NAMED_LOCATION.matcher(path);
      if (namedLocation.matches()) {
        return namedLocation(
            call,
            java.net.URLDecoder.decode(
                namedLocation.group(1), java.nio.charset.StandardCharsets.UTF_8));
      }
      Matcher user = USER.matcher(path);
      if (user.matches()) {
        return user(
            call,
            java.net.URLDecoder.decode(user.group(1), java.nio.charset.StandardCharsets.UTF_8),
            user.group(2));
      }
      return error(
          store,
          404,
          "Request_UnsupportedQuery",
          "Unsupported request: " + call.method() + " " + path);
    }
  }

  /** A Graph error: {@code {"error":{"code","message","innerError":{"request-id","date"}}}}. */
  static Answer error(Store store, int status, String code, String message) {
    ObjectNode body = Store.MAPPER.createObjectNode();
    ObjectNode error = body.putObject("error").put("code", code).put("message", message);
    error
        .putObject("innerError")
        .put("request-id", UUID.randomUUID().toString())
        .put("date", store.clock().instant().toString());
    return Answer.json(status, body);
  }

  private ObjectNode find(String idOrUpn) {
    for (ObjectNode user : store.entra.users.values()) {
      if (user.path("id").asText().equalsIgnoreCase(idOrUpn)
          || user.path("userPrincipalName").asText().equalsIgnoreCase(idOrUpn)) {
        return user;
      }
    }
    return null;
  }

  private Answer user(Call call, String idOrUpn, String action) {
    ObjectNode user = find(idOrUpn);
    if (user == null) {
      return error(
          store,
          404,
          "Request_ResourceNotFound",
          "Resource '"
              + idOrUpn
              + "' does not exist or one of its queried reference-property objects are not present.");
    }
    if (action == null && call.method().equals("GET")) {
      return Answer.json(200, select(user, call.query().get("$select")));
    }
    if (action == null && call.method().equals("PATCH")) {
      return patch(call, user);
    }
    if ("checkMemberGroups".equals(action) && call.method().equals("POST")) {
      JsonNode groupIds = call.json().path("groupIds");
      if (!groupIds.isArray() || groupIds.isEmpty()) {
        return error(
            store, 400, "Request_BadRequest", "groupIds must be a non-empty list of group ids.");
      }
      if (groupIds.size() > MAX_CHECKED_GROUPS) {
        return error(
            store,
            400,
            "Request_BadRequest",
            "Up to "
                + MAX_CHECKED_GROUPS
                + " groups may be specified; the request has "
                + groupIds.size()
                + ".");
      }
      Set<String> memberOf = transitiveGroups(user.path("id").asText());
      // microsoft-graph-docs-contrib api-reference/v1.0/api/directoryobject-checkmembergroups.md,
      // Example 1 (contracts: graph/users_checkMemberGroups.json).
      ObjectNode answer = Store.MAPPER.createObjectNode();
      answer.put(
          "@odata.context", "https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)");
      ArrayNode value = answer.putArray("value");
      for (JsonNode group : groupIds) {
        if (memberOf.contains(group.asText().toLowerCase(Locale.ROOT))) {
          value.add(group.asText());
        }
      }
      return Answer.json(200, answer);
    }
    if (action != null && action.startsWith("transitiveMemberOf/") && call.method().equals("GET")) {
      return directoryRoles(call, user);
    }
    if ("revokeSignInSessions".equals(action) && call.method().equals("POST")) {
      user.put("signInSessionsValidFromDateTime", store.clock().instant().toString());
      ObjectNode answer = Store.MAPPER.createObjectNode();
      answer
          .put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean")
          .put("value", true);
      return Answer.json(200, answer);
    }
    return error(store, 405, "Request_BadRequest", "Method not allowed.");
  }

  private Answer patch(Call call, ObjectNode user) {
    JsonNode profile = call.json().path("passwordProfile");
    if (profile.isMissingNode()) {
      return error(
          store, 400, "Request_BadRequest", "Only passwordProfile is supported by this emulator.");
    }
    String password = profile.path("password").asText("");
    if (!complex(password)) {
      return error(
          store,
          400,
          "Request_BadRequest",
          "The specified password does not comply with password complexity requirements. Please provide a different password.");
    }
    user.put("lastPasswordChangeDateTime", store.clock().instant().toString());
    user.put(
        "forceChangePasswordNextSignIn",
        profile.path("forceChangePasswordNextSignIn").asBoolean(false));
    user.put("passwordResets", user.path("passwordResets").asInt(0) + 1);
    return new Answer(204, java.util.Map.of(), null);
  }

  /** Entra ID's rule: 8 to 256 characters, three of lower case, upper case, digits and symbols. */
  private static boolean complex(String password) {
    if (password.length() < 8 || password.length() > 256) {
      return false;
    }
    int classes = 0;
    classes += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
    classes += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
    classes += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
    classes += password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0;
    return classes >= 3;
  }

  private Set<String> transitiveGroups(String principalId) {
    Set<String> groups = new HashSet<>();
    Deque<String> members = new ArrayDeque<>();
    members.add(principalId.toLowerCase(Locale.ROOT));
    while (!members.isEmpty()) {
      String member = members.poll();
      for (ObjectNode group : store.entra.groups.values()) {
        String groupId = group.path("id").asText().toLowerCase(Locale.ROOT);
        for (JsonNode m : group.path("members")) {
          if (m.asText().equalsIgnoreCase(member) && groups.add(groupId)) {
            members.add(groupId);
          }
        }
      }
    }
    return groups;
  }

  /**
   * The directory roles the user holds directly or through a group. An OData cast needs {@code
   * ConsistencyLevel: eventual} and {@code $count=true} (user-list-transitivememberof; the contract
   * users_memberOf_directoryRoles.json).
   */
  private Answer directoryRoles(Call call, ObjectNode user) {
    if (!"eventual".equalsIgnoreCase(call.header("ConsistencyLevel"))
        || !"true".equalsIgnoreCase(call.query().get("$count"))) {
      return error(
          store,
          400,
          "Request_UnsupportedQuery",
          "Unsupported Query: an OData cast needs the ConsistencyLevel: eventual header and"
              + " $count=true.");
    }
    Set<String> principals = transitiveGroups(user.path("id").asText());
    principals.add(user.path("id").asText().toLowerCase(Locale.ROOT));
    List<ObjectNode> held = new ArrayList<>();
    for (ObjectNode role : store.entra.directoryRoles.values()) {
      for (JsonNode member : role.path("members")) {
        if (principals.contains(member.asText().toLowerCase(Locale.ROOT))) {
          ObjectNode copy = Store.MAPPER.createObjectNode();
          copy.put("@odata.type", "#microsoft.graph.directoryRole");
          for (String field : List.of("id", "displayName", "description", "roleTemplateId")) {
            copy.set(field, role.path(field).isMissingNode() ? null : role.get(field));
          }
          held.add(copy);
          break;
        }
      }
    }
    return page(
        call,
        "/users/" + user.path("id").asText() + "/transitiveMemberOf/microsoft.graph.directoryRole",
        "https://graph.microsoft.com/v1.0/$metadata#directoryRoles",
        held,
        DEFAULT_MEMBER_OF_PAGE,
        MAX_MEMBER_OF_PAGE);
  }

  /**
   * One page of a list: {@code $top} (up to {@code maxPage}) or the default page size, and an
   * {@code @odata.nextLink} that carries the query on with a {@code $skiptoken}.
   */
  private Answer page(
      Call call,
      String path,
      String context,
      List<ObjectNode> items,
      int defaultPage,
      int maxPage) {
    int size = store.entra.pageSize > 0 ? store.entra.pageSize : defaultPage;
    String top = call.query().get("$top");
    if (top != null) {
      if (!top.matches("\\d{1,4}")
          || Integer.parseInt(top) < 1
          || Integer.parseInt(top) > maxPage) {
        return error(
            store, 400, "Request_BadRequest", "$top must be a number from 1 to " + maxPage + ".");
      }
      size = Integer.parseInt(top);
    }
    String token = call.query().get("$skiptoken");
    int offset = token == null ? 0 : -1;
    if (token != null && token.matches("\\d{1,9}")) {
      offset = Integer.parseInt(token);
    }
    if (offset < 0) {
      return error(store, 400, "Request_BadRequest", "The $skiptoken is not valid.");
    }
    ObjectNode answer = Store.MAPPER.createObjectNode();
    answer.put("@odata.context", context);
    if (call.query().containsKey("$count")) {
      answer.put("@odata.count", items.size());
    }
    ArrayNode value = answer.putArray("value");
    items.stream().skip(offset).limit(size).forEach(value::add);
    if (offset + size < items.size()) {
      StringBuilder link = new StringBuilder(call.baseUrl() + "/v1.0");
      link.append(path).append('?');
      call.query().entrySet().stream()
          .filter(e -> !e.getKey().equals("$skiptoken"))
          .forEach(
              e ->
                  link.append(encode(e.getKey()))
                      .append('=')
                      .append(encode(e.getValue()))
                      .append('&'));
      link.append("$skiptoken=").append(offset + size);
      answer.put("@odata.nextLink", link.toString());
    }
    return Answer.json(200, answer);
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("%24", "$");
  }

  private static JsonNode select(ObjectNode user, String select) {
    ObjectNode copy = Store.MAPPER.createObjectNode();
    copy.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users/$entity");
    if (select == null) {
      copy.setAll(user.deepCopy());
      copy.remove("passwordResets");
      return copy;
    }
    copy.set("id", user.get("id"));
    for (String field : select.split(",")) {
      copy.set(
          field.trim(), user.has(field.trim()) ? user.get(field.trim()) : Store.MAPPER.nullNode());
    }
    return copy;
  }

  private Answer identityProtection(Call call, String path) {
    if (path.equals("/identityProtection/riskyUsers/confirmCompromised")
        && call.method().equals("POST")) {
      for (JsonNode id : call.json().path("userIds")) {
        ObjectNode risky =
            store.entra.riskyUsers.computeIfAbsent(
                id.asText().toLowerCase(Locale.ROOT),
                k -> Store.MAPPER.createObjectNode().put("id", id.asText()));
        ObjectNode user = find(id.asText());
        if (user != null) {
          risky.put("userPrincipalName", user.path("userPrincipalName").asText());
        }
        risky
            .put("riskState", "confirmedCompromised")
            .put("riskLevel", "high")
            .put("riskDetail", "adminConfirmedUserCompromised");
        risky.put("riskLastUpdatedDateTime", store.clock().instant().toString());
      }
      return new Answer(204, java.util.Map.of(), null);
    }
    String riskyId = path.startsWith(RISKY + "/") ? path.substring(RISKY.length() + 1) : null;
    if ((path.equals(RISKY) || (riskyId != null && !riskyId.contains("/")))
        && call.method().equals("GET")) {
      if (riskyId != null) {
        ObjectNode user = store.entra.riskyUsers.get(riskyId.toLowerCase(Locale.ROOT));
        return user == null
            ? error(store, 404, "ResourceNotFound", "Risky user not found.")
            : Answer.json(200, user.deepCopy());
      }
      String filter = call.query().getOrDefault("$filter", "");
      Matcher state = Pattern.compile("^riskState eq '([A-Za-z]+)'$").matcher(filter.trim());
      if (!filter.isBlank() && !state.matches()) {
        return error(store, 400, "BadRequest", "Unsupported $filter.");
      }
      List<ObjectNode> matching =
          store.entra.riskyUsers.values().stream()
              .filter(u -> filter.isBlank() || u.path("riskState").asText().equals(state.group(1)))
              .map(ObjectNode::deepCopy)
              .toList();
      return page(
          call,
          RISKY,
          "https://graph.microsoft.com/v1.0/$metadata#identityProtection/riskyUsers",
          matching,
          MAX_RISKY_USERS_PAGE,
          MAX_RISKY_USERS_PAGE);
    }
    return error(
        store,
        404,
        "Request_UnsupportedQuery",
        "Unsupported request: " + call.method() + " " + path);
  }

  private Answer namedLocation(Call call, String id) {
    ObjectNode location = store.entra.namedLocations.get(id.toLowerCase(Locale.ROOT));
    if (location == null) {
      return error(
          store,
          404,
          "ResourceNotFound",
          "NamedLocation with id " + id + " does not exist in the directory.");
    }
    if (call.method().equals("GET")) {
      ObjectNode answer = Store.MAPPER.createObjectNode();
      answer.put(
          "@odata.context",
          call.baseUrl() + "/v1.0/$metadata#identity/conditionalAccess/namedLocations/$entity");
      answer.setAll(location.deepCopy());
      return Answer.json(200, answer);
    }
    if (!call.method().equals("PATCH")) {
      return error(store, 405, "Request_BadRequest", "Method not allowed.");
    }
    try {
      patchNamedLocation(call.json(), location);
    } catch (ApiError e) {
      return error(store, e.status(), e.code(), e.getMessage());
    }
    return new Answer(204, java.util.Map.of(), null);
  }

  /** Checks the whole request first, then applies it; ipRanges replaces the list. */
  private void patchNamedLocation(JsonNode body, ObjectNode location) {
    if (!IP_NAMED_LOCATION.equals(body.path("@odata.type").asText(null))) {
      throw ApiError.badRequest(
          "The request must carry \"@odata.type\": \""
              + IP_NAMED_LOCATION
              + "\" to update an IP named location.");
    }
    JsonNode displayName = body.path("displayName");
    if (!displayName.isMissingNode()
        && (!displayName.isTextual() || displayName.asText().isBlank())) {
      throw ApiError.badRequest("displayName must be a non-empty string.");
    }
    JsonNode trusted = body.path("isTrusted");
    if (!trusted.isMissingNode() && !trusted.isBoolean()) {
      throw ApiError.badRequest("isTrusted must be true or false.");
    }
    ArrayNode ranges = body.has("ipRanges") ? ipRanges(body.path("ipRanges")) : null;
    if (displayName.isTextual()) {
      location.put("displayName", displayName.asText());
    }
    if (trusted.isBoolean()) {
      location.put("isTrusted", trusted.asBoolean());
    }
    if (ranges != null) {
      location.set("ipRanges", ranges);
    }
    location.put("modifiedDateTime", store.clock().instant().toString());
  }

  private static ArrayNode ipRanges(JsonNode ranges) {
    if (!ranges.isArray()) {
      throw ApiError.badRequest("ipRanges must be a list of IP ranges.");
    }
    if (ranges.size() > MAX_IP_RANGES) {
      throw ApiError.badRequest(
          "An IP named location can hold at most "
              + MAX_IP_RANGES
              + " IP ranges; the request has "
              + ranges.size()
              + ".");
    }
    ArrayNode valid = Store.MAPPER.createArrayNode();
    for (JsonNode range : ranges) {
      String type = range.path("@odata.type").asText("");
      String cidr = range.path("cidrAddress").asText("");
      boolean ok =
          (type.equals(IPV4_RANGE) && IpAddresses.isIpv4Cidr(cidr))
              || (type.equals(IPV6_RANGE) && IpAddresses.isIpv6Cidr(cidr));
      if (!ok) {
        throw ApiError.badRequest(
            "The IP range '"
                + cidr
                + "' of type '"
                + type
                + "' is invalid: an IPv4 range needs \""
                + IPV4_RANGE
                + "\" and an IPv4 CIDR, an IPv6 range \""
                + IPV6_RANGE
                + "\" and an IPv6 CIDR.");
      }
      valid.addObject().put("@odata.type", type).put("cidrAddress", cidr);
    }
    return valid;
  }
}
