package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft.Network: network security groups and their security rules, IP Groups, and the
 * long-running operations their writes start. A write answers at once (201/200 with the resource in
 * provisioningState Updating, 202 for a delete) and points at an operation that reports InProgress
 * for the configured number of polls, then Succeeded. The change itself is visible to GETs at once;
 * the resource reads as Updating until its operation has reported Succeeded.
 */
public final class NetworkApi {
  public static final Set<String> API_VERSIONS = Set.of("2024-05-01", "2024-07-01");
  public static final Pattern PATH =
      Pattern.compile(
          "^/subscriptions/[^/]+/(?:resourceGroups/[^/]+/)?providers/Microsoft\\.Network/.*$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern SECURITY_GROUP =
      Pattern.compile(
          "^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network"
              + "/networkSecurityGroups/([^/]+)(?:/securityRules/([^/]+))?/?$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern IP_GROUP =
      Pattern.compile(
          "^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/ipGroups/([^/]+)/?$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern OPERATION =
      Pattern.compile(
          "^/subscriptions/([^/]+)/providers/Microsoft\\.Network/locations/([^/]+)/(operations|operationResults)/([^/]+)/?$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern PORT_RANGE = Pattern.compile("^(\\d{1,5})(?:-(\\d{1,5}))?$");

  static final int MAX_RULES = 1000;
  static final int MAX_RULE_PREFIXES = 4000;

  /**
   * "IP addresses and ranges specified for source or destination in a security group (The limit
   * applies separately to source and destination)": 4,000 per NSG (MicrosoftDocs/azure-docs
   * includes/azure-virtual-network-limits.md, the Learn page "Azure subscription and service
   * limits", networking section).
   */
  static final int MAX_NSG_PREFIXES = 4000;

  static final int MAX_IP_GROUP_ADDRESSES = 5000;
  static final int MIN_PRIORITY = 100;
  static final int MAX_PRIORITY = 4096;
  static final int MAX_DESCRIPTION = 140;
  private static final List<String> PROTOCOLS = List.of("*", "Tcp", "Udp", "Icmp", "Esp", "Ah");
  private static final List<String> ACCESSES = List.of("Allow", "Deny");
  private static final List<String> DIRECTIONS = List.of("Inbound", "Outbound");
  private static final String RULE_TYPE = "Microsoft.Network/networkSecurityGroups/securityRules";

  private final Store store;

  public NetworkApi(Store store) {
    this.store = store;
  }

  public Answer handle(Call call) {
    synchronized (store) {
      Matcher m = SECURITY_GROUP.matcher(call.path());
      if (m.matches()) {
        return m.group(4) == null ? securityGroup(call, m) : securityRule(call, m);
      }
      m = IP_GROUP.matcher(call.path());
      if (m.matches()) {
        return ipGroup(call, m);
      }
      m = OPERATION.matcher(call.path());
      if (m.matches()) {
        requireMethod(call, "GET");
        return m.group(3).equalsIgnoreCase("operations")
            ? poll(call, m.group(4))
            : pollResult(call, m.group(4));
      }
      throw new ApiError(
          404, "NotFound", "No route for " + call.method() + " " + call.path() + ".");
    }
  }

  private static void requireMethod(Call call, String expected) {
    if (!call.method().equals(expected)) {
      throw new ApiError(
          405, "MethodNotAllowed", "The method " + call.method() + " is not allowed here.");
    }
  }

  // ---- network security groups and security rules

  private static String securityGroupId(Matcher path) {
    return "/subscriptions/"
        + path.group(1)
        + "/resourceGroups/"
        + path.group(2)
        + "/providers/Microsoft.Network/networkSecurityGroups/"
        + path.group(3);
  }

  private ObjectNode findSecurityGroup(Matcher path) {
    ObjectNode group = store.network.securityGroups.get(Store.key(securityGroupId(path)));
    if (group == null) {
      throw resourceNotFound("networkSecurityGroups", path.group(3), path.group(2));
    }
    return group;
  }

  private static ApiError resourceNotFound(String type, String name, String resourceGroup) {
    return new ApiError(
        404,
        "ResourceNotFound",
        "The Resource 'Microsoft.Network/"
            + type
            + "/"
            + name
            + "' under resource group '"
            + resourceGroup
            + "' was not found.");
  }

  private Answer securityGroup(Call call, Matcher path) {
    requireMethod(call, "GET");
    return Answer.json(200, findSecurityGroup(path).deepCopy());
  }

  private static ArrayNode rules(ObjectNode group) {
    return (ArrayNode) group.withObjectProperty("properties").withArrayProperty("securityRules");
  }

  private static int ruleIndex(ObjectNode group, String name) {
    ArrayNode rules = rules(group);
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).path("name").asText().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  private Answer securityRule(Call call, Matcher path) {
    ObjectNode group = findSecurityGroup(path);
    String name = path.group(4);
    int index = ruleIndex(group, name);
    ObjectNode existing = index < 0 ? null : (ObjectNode) rules(group).get(index);
    String ruleId = group.path("id").asText() + "/securityRules/" + name;
    switch (call.method()) {
      case "GET":
        if (existing == null) {
          throw new ApiError(404, "NotFound", "Resource " + ruleId + " not found.");
        }
        return Answer.json(200, existing.deepCopy());
      case "PUT":
        return putRule(call, path, group, existing, index, name);
      case "DELETE":
        preconditions(call, existing);
        if (existing == null) {
          return Answer.noContent();
        }
        rules(group).remove(index);
        group.put("etag", Store.newWeakEtag());
        // The delete's final state comes via Location (SecurityRules_Delete,
        // NW/2024-05-01/networkSecurityGroup.json): the 202 names only that URL.
        return new Answer(
            202,
            startOperation(call, path.group(1), location(group), Store.key(ruleId), null, true),
            null);
      default:
        throw new ApiError(
            405, "MethodNotAllowed", "The method " + call.method() + " is not allowed here.");
    }
  }

  private Answer putRule(
      Call call, Matcher path, ObjectNode group, ObjectNode existing, int index, String name) {
    preconditions(call, existing);
    String ruleName = existing == null ? name : existing.path("name").asText();
    String ruleId = group.path("id").asText() + "/securityRules/" + ruleName;
    JsonNode body = call.json();
    ObjectNode properties = validateRule(ruleId, body.path("properties"));
    for (JsonNode other : rules(group)) {
      if (other != existing
          && other.path("properties").path("priority").asInt()
              == properties.path("priority").asInt()
          && other
              .path("properties")
              .path("direction")
              .asText()
              .equalsIgnoreCase(properties.path("direction").asText())) {
        throw new ApiError(
            400,
            "SecurityRuleConflict",
            "Security rule "
                + other.path("name").asText()
                + " conflicts with rule "
                + ruleName
                + ". Rules cannot have the same Priority and Direction.");
      }
    }
    for (String side : List.of("Source", "Destination")) {
      int total = addressCount(properties, side);
      for (JsonNode other : rules(group)) {
        if (other != existing) {
          total += addressCount(other.path("properties"), side);
        }
      }
      if (total > MAX_NSG_PREFIXES) {
        throw new ApiError(
            400,
            "SecurityRuleAddressesOrPortsPerSecurityGroupLimitReached",
            "Network security group "
                + group.path("id").asText()
                + " has "
                + total
                + " "
                + side
                + "AddressPrefixes. A security group cannot have more than "
                + MAX_NSG_PREFIXES
                + " "
                + side
                + "AddressPrefixes as per the limit MaxSecurityRuleAddressesOrPortsPerSecurityGroup.");
      }
    }
    if (existing == null && rules(group).size() >= MAX_RULES) {
      throw new ApiError(
          400,
          "SecurityRuleCountLimitReached",
          "A security group cannot have more than " + MAX_RULES + " security rules.");
    }
    ObjectNode rule = Store.MAPPER.createObjectNode();
    rule.put("name", ruleName)
        .put("id", ruleId)
        .put("etag", Store.newWeakEtag())
        .put("type", RULE_TYPE);
    ObjectNode stored = rule.putObject("properties").put("provisioningState", "Updating");
    stored.setAll(properties);
    if (existing == null) {
      rules(group).add(rule);
    } else {
      rules(group).set(index, rule);
    }
    group.put("etag", Store.newWeakEtag());
    ObjectNode answer = rule.deepCopy();
    Map<String, String> headers =
        startOperation(call, path.group(1), location(group), Store.key(ruleId), rule);
    return new Answer(existing == null ? 201 : 200, headers, answer);
  }

  /**
   * The IP addresses and ranges one side of a rule names ({@code *} and service tags are not
   * addresses): what the per-NSG limit counts.
   */
  private static int addressCount(JsonNode properties, String side) {
    String prefix = side.toLowerCase(Locale.ROOT);
    int count = 0;
    JsonNode many = properties.path(prefix + "AddressPrefixes");
    List<JsonNode> entries = new java.util.ArrayList<>();
    many.forEach(entries::add);
    if (entries.isEmpty() && properties.path(prefix + "AddressPrefix").isTextual()) {
      entries.add(properties.path(prefix + "AddressPrefix"));
    }
    for (JsonNode entry : entries) {
      String text = entry.asText();
      if (IpAddresses.isIpv4(text)
          || IpAddresses.isIpv4Cidr(text)
          || IpAddresses.isIpv6(text)
          || IpAddresses.isIpv6Cidr(text)) {
        count++;
      }
    }
    return count;
  }

  /**
   * If-Match (an etag, or * for "exists") and If-None-Match (* for "does not exist yet"), as ARM
   * applies them to a write.
   */
  private static void preconditions(Call call, ObjectNode existing) {
    String current = existing == null ? null : existing.path("etag").asText();
    String ifMatch = call.header("If-Match");
    if (ifMatch != null) {
      if (current == null) {
        throw new ApiError(
            412,
            "PreconditionFailed",
            "The resource does not exist, so the If-Match condition '" + ifMatch + "' fails.");
      }
      if (!ifMatch.trim().equals("*") && !ifMatch.trim().equals(current)) {
        throw new ApiError(
            412,
            "PreconditionFailed",
            "The If-Match condition '"
                + ifMatch
                + "' does not match the current etag "
                + current
                + ".");
      }
    }
    String ifNoneMatch = call.header("If-None-Match");
    if (ifNoneMatch != null
        && current != null
        && (ifNoneMatch.trim().equals("*") || ifNoneMatch.trim().equals(current))) {
      throw new ApiError(
          412,
          "PreconditionFailed",
          "The resource already exists, so the If-None-Match condition '"
              + ifNoneMatch
              + "' fails.");
    }
  }

  /** The writable properties of a rule, checked as the service checks them. */
  private static ObjectNode validateRule(String ruleId, JsonNode properties) {
    if (!properties.isObject()) {
      throw new ApiError(
          400, "InvalidRequestFormat", "The security rule " + ruleId + " has no properties.");
    }
    ObjectNode valid = Store.MAPPER.createObjectNode();
    JsonNode description = properties.path("description");
    if (description.isTextual()) {
      if (description.asText().length() > MAX_DESCRIPTION) {
        throw new ApiError(
            400,
            "SecurityRuleDescriptionTooLong",
            "Security rule "
                + ruleId
                + " has a description of "
                + description.asText().length()
                + " characters; at most "
                + MAX_DESCRIPTION
                + " are allowed.");
      }
      valid.put("description", description.asText());
    }
    valid.put(
        "protocol",
        choice(
            properties.path("protocol"),
            PROTOCOLS,
            "SecurityRuleInvalidProtocol",
            ruleId,
            "Protocol"));
    ports(valid, properties, "source", ruleId);
    ports(valid, properties, "destination", ruleId);
    addresses(valid, properties, "source", ruleId);
    addresses(valid, properties, "destination", ruleId);
    valid.put(
        "access",
        choice(properties.path("access"), ACCESSES, "SecurityRuleInvalidAccess", ruleId, "Access"));
    JsonNode priority = properties.path("priority");
    if (!priority.isIntegralNumber()
        || !priority.canConvertToInt()
        || priority.asInt() < MIN_PRIORITY
        || priority.asInt() > MAX_PRIORITY) {
      throw new ApiError(
          400,
          "SecurityRuleInvalidPriority",
          "Security rule "
              + ruleId
              + " has invalid Priority. Value provided: "
              + (priority.isMissingNode() ? "null" : priority.toString())
              + ". Allowed range "
              + MIN_PRIORITY
              + "-"
              + MAX_PRIORITY
              + ".");
    }
    valid.put("priority", priority.asInt());
    valid.put(
        "direction",
        choice(
            properties.path("direction"),
            DIRECTIONS,
            "SecurityRuleInvalidDirection",
            ruleId,
            "Direction"));
    return valid;
  }

  /** One of the allowed values, matched without regard to case and given in the service's case. */
  private static String choice(
      JsonNode value, List<String> allowed, String code, String ruleId, String parameter) {
    if (value.isTextual()) {
      for (String candidate : allowed) {
        if (candidate.equalsIgnoreCase(value.asText())) {
          return candidate;
        }
      }
    }
    throw new ApiError(
        400,
        code,
        "Security rule "
            + ruleId
            + " has invalid "
            + parameter
            + ". Value provided: "
            + (value.isMissingNode() ? "null" : value.asText())
            + ". Allowed values: "
            + String.join(", ", allowed)
            + ".");
  }

  /**
   * A single value or a list of them, exactly one of the two: an empty list counts as absent, as
   * the service itself returns an empty list next to a single value.
   */
  private static JsonNode singleOrList(
      JsonNode properties, String single, String list, String code, String ruleId) {
    JsonNode one = properties.path(single);
    JsonNode many = properties.path(list);
    boolean hasOne = one.isTextual() && !one.asText().isEmpty();
    boolean hasMany = many.isArray() && !many.isEmpty();
    if (hasOne == hasMany) {
      throw new ApiError(
          400,
          code,
          "Security rule "
              + ruleId
              + (hasOne ? " sets both " : " sets neither ")
              + single
              + (hasOne ? " and " : " nor ")
              + list
              + "; exactly one of them is required.");
    }
    if (!many.isMissingNode() && !many.isNull() && !many.isArray()) {
      throw new ApiError(400, code, "Security rule " + ruleId + ": " + list + " is not a list.");
    }
    return hasOne ? one : many;
  }

  private static void ports(ObjectNode valid, JsonNode properties, String side, String ruleId) {
    String single = side + "PortRange";
    String list = side + "PortRanges";
    JsonNode value = singleOrList(properties, single, list, "SecurityRuleInvalidPortRange", ruleId);
    for (JsonNode range : value.isArray() ? value : List.of(value)) {
      if (!validPortRange(range)) {
        throw new ApiError(
            400,
            "SecurityRuleInvalidPortRange",
            "Security rule "
                + ruleId
                + " has invalid Port range. Value provided: "
                + range.asText()
                + ". Value should be an integer OR integer range with '-' delimiter."
                + " Valid range 0-65535.");
      }
    }
    valid.set(value.isArray() ? list : single, value.deepCopy());
  }

  private static boolean validPortRange(JsonNode range) {
    if (!range.isTextual()) {
      return false;
    }
    if (range.asText().equals("*")) {
      return true;
    }
    Matcher m = PORT_RANGE.matcher(range.asText());
    if (!m.matches()) {
      return false;
    }
    int from = Integer.parseInt(m.group(1));
    int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
    return from <= to && to <= 65535;
  }

  private static void addresses(ObjectNode valid, JsonNode properties, String side, String ruleId) {
    String single = side + "AddressPrefix";
    String list = side + "AddressPrefixes";
    JsonNode value =
        singleOrList(properties, single, list, "SecurityRuleInvalidAddressPrefix", ruleId);
    if (value.size() > MAX_RULE_PREFIXES) {
      throw new ApiError(
          400,
          "SecurityRuleParameterContainsTooManyItems",
          "Security rule "
              + ruleId
              + " parameter "
              + list
              + " has "
              + value.size()
              + " items; a security rule can hold at most "
              + MAX_RULE_PREFIXES
              + " address prefixes.");
    }
    for (JsonNode prefix : value.isArray() ? value : List.of(value)) {
      String text = prefix.asText();
      if (!prefix.isTextual()
          || !(text.equals("*")
              || IpAddresses.isIpv4(text)
              || IpAddresses.isIpv4Cidr(text)
              || IpAddresses.isIpv6(text)
              || IpAddresses.isIpv6Cidr(text))) {
        throw new ApiError(
            400,
            "SecurityRuleInvalidAddressPrefix",
            "Security rule "
                + ruleId
                + " has invalid Address prefix. Value provided: "
                + text
                + ".");
      }
    }
    valid.set(value.isArray() ? list : single, value.deepCopy());
  }

  // ---- IP Groups

  private Answer ipGroup(Call call, Matcher path) {
    String id =
        "/subscriptions/"
            + path.group(1)
            + "/resourceGroups/"
            + path.group(2)
            + "/providers/Microsoft.Network/ipGroups/"
            + path.group(3);
    ObjectNode existing = store.network.ipGroups.get(Store.key(id));
    if (call.method().equals("GET")) {
      if (existing == null) {
        throw resourceNotFound("ipGroups", path.group(3), path.group(2));
      }
      return Answer.json(200, existing.deepCopy());
    }
    requireMethod(call, "PUT");
    preconditions(call, existing);
    JsonNode body = call.json();
    if (!body.path("location").isTextual() || body.path("location").asText().isBlank()) {
      throw new ApiError(
          400, "LocationRequired", "The location property is required for this definition.");
    }
    String location = normalizeLocation(body.path("location").asText());
    if (existing != null && !location.equals(location(existing))) {
      throw new ApiError(
          400,
          "InvalidResourceLocation",
          "The resource '"
              + path.group(3)
              + "' already exists in location '"
              + location(existing)
              + "' in resource group '"
              + path.group(2)
              + "'. A resource with the same name cannot be created in location '"
              + location
              + "'.");
    }
    JsonNode tags = body.path("tags");
    if (!tags.isMissingNode() && !tags.isNull() && !tags.isObject()) {
      throw new ApiError(400, "InvalidRequestFormat", "tags must be an object of strings.");
    }
    ArrayNode addresses = ipGroupAddresses(body.path("properties").path("ipAddresses"));
    ObjectNode group = Store.MAPPER.createObjectNode();
    group
        .put("name", existing == null ? path.group(3) : existing.path("name").asText())
        .put("id", existing == null ? id : existing.path("id").asText())
        .put("type", "Microsoft.Network/ipGroups")
        .put("location", location);
    if (tags.isObject()) {
      group.set("tags", tags.deepCopy());
    }
    group.put("etag", Store.newWeakEtag());
    ObjectNode properties = group.putObject("properties");
    properties.put("provisioningState", "Updating");
    properties.set("ipAddresses", addresses);
    JsonNode previous = existing == null ? null : existing.path("properties");
    for (String readOnly : List.of("firewalls", "firewallPolicies")) {
      properties.set(
          readOnly,
          previous != null && previous.path(readOnly).isArray()
              ? previous.path(readOnly).deepCopy()
              : Store.MAPPER.createArrayNode());
    }
    store.network.ipGroups.put(Store.key(id), group);
    ObjectNode answer = group.deepCopy();
    Map<String, String> headers =
        startOperation(call, path.group(1), location, Store.key(id), group);
    return new Answer(existing == null ? 201 : 200, headers, answer);
  }

  /** IP Groups take IPv4 addresses, CIDR blocks and a-b ranges only. */
  private static ArrayNode ipGroupAddresses(JsonNode addresses) {
    ArrayNode valid = Store.MAPPER.createArrayNode();
    if (addresses.isMissingNode() || addresses.isNull()) {
      return valid;
    }
    if (!addresses.isArray()) {
      throw new ApiError(400, "InvalidRequestFormat", "ipAddresses must be a list of strings.");
    }
    if (addresses.size() > MAX_IP_GROUP_ADDRESSES) {
      throw new ApiError(
          400,
          "IPGroupsIPAddressCountExceeded",
          "An IP Group can hold at most "
              + MAX_IP_GROUP_ADDRESSES
              + " IP addresses, prefixes or ranges; the request has "
              + addresses.size()
              + ".");
    }
    for (JsonNode address : addresses) {
      String text = address.asText();
      if (address.isTextual() && IpAddresses.looksIpv6(text)) {
        throw new ApiError(
            400,
            "IPGroupsInvalidIPAddress",
            "IP Groups support IPv4 addresses only: '" + text + "' is an IPv6 address.");
      }
      if (!address.isTextual()
          || !(IpAddresses.isIpv4(text)
              || IpAddresses.isIpv4Cidr(text)
              || IpAddresses.isIpv4Range(text))) {
        throw new ApiError(
            400,
            "IPGroupsInvalidIPAddress",
            "'" + text + "' is not a valid IPv4 address, CIDR prefix or address range.");
      }
      valid.add(text);
    }
    return valid;
  }

  private static String location(ObjectNode resource) {
    String location = normalizeLocation(resource.path("location").asText());
    return location.isEmpty() ? "global" : location;
  }

  /** "West Europe" and "westeurope" are the same region. */
  private static String normalizeLocation(String location) {
    return location.replace(" ", "").toLowerCase(Locale.ROOT);
  }

  // ---- long-running operations

  private Map<String, String> startOperation(
      Call call, String subscription, String location, String resourceKey, ObjectNode resource) {
    return startOperation(call, subscription, location, resourceKey, resource, false);
  }

  /**
   * Starts an operation and returns the headers that name it: {@code Azure-AsyncOperation} (a
   * status to poll), or with {@code viaLocation} only {@code Location} (an operation result that
   * answers 202 until the operation ends).
   */
  private Map<String, String> startOperation(
      Call call,
      String subscription,
      String location,
      String resourceKey,
      ObjectNode resource,
      boolean viaLocation) {
    String path =
        "/subscriptions/"
            + subscription
            + "/providers/Microsoft.Network/locations/"
            + location
            + (viaLocation ? "/operationResults/" : "/operations/")
            + UUID.randomUUID();
    Store.AsyncOperation operation =
        new Store.AsyncOperation(resourceKey, resource, store.network.inProgressPolls);
    store.network.operations.put(Store.key(path), operation);
    store.network.latestOperation.put(resourceKey, operation);
    if (operation.inProgressPollsLeft == 0) {
      finish(operation);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(
        viaLocation ? "Location" : "Azure-AsyncOperation",
        call.baseUrl() + path + "?api-version=" + call.query().get("api-version"));
    headers.put("Retry-After", Integer.toString(store.network.retryAfterSeconds));
    return headers;
  }

  /**
   * An operation result (a {@code Location} URL): 202 with the same {@code Location} while the
   * operation runs, then 204 (a delete has no resource to return).
   */
  private Answer pollResult(Call call, String id) {
    Store.AsyncOperation operation = store.network.operations.get(Store.key(call.path()));
    if (operation == null) {
      throw new ApiError(404, "NotFound", "The operation " + id + " was not found.");
    }
    if (operation.inProgressPollsLeft > 0) {
      operation.inProgressPollsLeft--;
      return new Answer(
          202,
          Map.of(
              "Location",
              call.baseUrl() + call.path() + "?api-version=" + call.query().get("api-version"),
              "Retry-After",
              Integer.toString(store.network.retryAfterSeconds)),
          null);
    }
    finish(operation);
    return Answer.noContent();
  }

  private Answer poll(Call call, String id) {
    Store.AsyncOperation operation = store.network.operations.get(Store.key(call.path()));
    if (operation == null) {
      throw new ApiError(404, "NotFound", "The operation " + id + " was not found.");
    }
    ObjectNode status = Store.MAPPER.createObjectNode();
    if (operation.inProgressPollsLeft > 0) {
      operation.inProgressPollsLeft--;
      status.put("status", "InProgress");
      return new Answer(
          200, Map.of("Retry-After", Integer.toString(store.network.retryAfterSeconds)), status);
    }
    finish(operation);
    status.put("status", "Succeeded");
    return Answer.json(200, status);
  }

  /** A finished write leaves its resource Succeeded, unless a later write has taken over. */
  private void finish(Store.AsyncOperation operation) {
    if (operation.resource != null
        && store.network.latestOperation.get(operation.resourceKey) == operation) {
      operation.resource.withObjectProperty("properties").put("provisioningState", "Succeeded");
    }
  }
}
