package org.sentinelplaybooks.emulator.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Microsoft Defender for Cloud security alerts (Microsoft.Security, 2022-01-01). */
public final class SecurityApi {
  public static final Set<String> API_VERSIONS = Set.of("2022-01-01");
  public static final Pattern ALERT =
      Pattern.compile(
          "^/subscriptions/([^/]+)(?:/resourceGroups/([^/]+))?/providers/Microsoft\\.Security"
              + "/locations/([^/]+)/alerts/([^/]+)(?:/(dismiss|resolve|activate|inProgress))?/?$",
          Pattern.CASE_INSENSITIVE);
  public static final Pattern LIST =
      Pattern.compile(
          "^/subscriptions/([^/]+)(?:/resourceGroups/([^/]+))?/providers/Microsoft\\.Security(?:/locations/([^/]+))?/alerts/?$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern ALERT_ID =
      Pattern.compile(
          "^/subscriptions/([^/]+)(?:/resourceGroups/([^/]+))?/providers/Microsoft\\.Security/locations/([^/]+)/alerts/([^/]+)$",
          Pattern.CASE_INSENSITIVE);
  private static final Map<String, String> STATES =
      Map.of(
          "dismiss",
          "Dismissed",
          "resolve",
          "Resolved",
          "activate",
          "Active",
          "inprogress",
          "InProgress");

  private final Store store;

  public SecurityApi(Store store) {
    this.store = store;
  }

  public Answer alert(Call call, Matcher path) {
    String action = path.group(5);
    synchronized (store) {
      ObjectNode alert = find(path.group(1), path.group(2), path.group(3), path.group(4));
      if (action == null) {
        if (!call.method().equals("GET")) {
          throw new ApiError(
              405, "MethodNotAllowed", "The method " + call.method() + " is not allowed here.");
        }
        return Answer.json(200, alert.deepCopy());
      }
      if (!call.method().equals("POST")) {
        throw new ApiError(
            405, "MethodNotAllowed", "The method " + call.method() + " is not allowed here.");
      }
      alert
          .withObjectProperty("properties")
          .put("status", STATES.get(action.toLowerCase(Locale.ROOT)));
      return Answer.noContent();
    }
  }

  public Answer list(Call call, Matcher path) {
    if (!call.method().equals("GET")) {
      throw new ApiError(
          405, "MethodNotAllowed", "The method " + call.method() + " is not allowed here.");
    }
    String subscription = path.group(1);
    String resourceGroup = path.group(2);
    String location = path.group(3);
    int skip = SentinelApi.integer(call.query().get("$skipToken"), 0, "$skipToken");
    synchronized (store) {
      List<ObjectNode> matching =
          store.mdcAlerts.values().stream()
              .filter(
                  alert -> {
                    Matcher id = ALERT_ID.matcher(alert.path("id").asText());
                    return id.matches()
                        && id.group(1).equalsIgnoreCase(subscription)
                        && (resourceGroup == null || resourceGroup.equalsIgnoreCase(id.group(2)))
                        && (location == null || location.equalsIgnoreCase(id.group(3)));
                  })
              .toList();
      ObjectNode page = Store.MAPPER.createObjectNode();
      ArrayNode value = page.putArray("value");
      matching.stream()
          .skip(skip)
          .limit(store.mdcPageSize)
          .forEach(alert -> value.add(alert.deepCopy()));
      if (skip + store.mdcPageSize < matching.size()) {
        Map<String, String> next = new LinkedHashMap<>(call.query());
        next.put("$skipToken", Integer.toString(skip + store.mdcPageSize));
        page.put("nextLink", call.baseUrl() + call.path() + "?" + SentinelApi.encode(next));
      }
      return Answer.json(200, page);
    }
  }

  /**
   * At resource-group level the alert must be in that group; at subscription level any alert of the
   * subscription, location and name is found, as in the service's own example.
   */
  private ObjectNode find(String subscription, String resourceGroup, String location, String name) {
    if (resourceGroup != null) {
      ObjectNode alert =
          store.mdcAlerts.get(
              Store.key(
                  "/subscriptions/"
                      + subscription
                      + "/resourceGroups/"
                      + resourceGroup
                      + "/providers/Microsoft.Security/locations/"
                      + location
                      + "/alerts/"
                      + name));
      if (alert == null) {
        throw ApiError.notFound("Alert " + name);
      }
      return alert;
    }
    for (ObjectNode alert : store.mdcAlerts.values()) {
      Matcher id = ALERT_ID.matcher(alert.path("id").asText());
      if (id.matches()
          && id.group(1).equalsIgnoreCase(subscription)
          && id.group(3).equalsIgnoreCase(location)
          && id.group(4).equalsIgnoreCase(name)) {
        return alert;
      }
    }
    throw ApiError.notFound("Alert " + name);
  }
}
