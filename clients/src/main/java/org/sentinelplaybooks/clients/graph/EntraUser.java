package org.sentinelplaybooks.clients.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.Json;

/**
 * An Entra ID user, with what the identity playbook decides on. The user's own timestamps (last
 * password change, sessions valid from) are not read: an attacker who holds the account moves them,
 * so they never prove that an action was taken.
 */
public record EntraUser(
    String id,
    String userPrincipalName,
    String userType,
    boolean onPremisesSyncEnabled,
    boolean accountEnabled) {

  static final String SELECT = "id,userPrincipalName,userType,onPremisesSyncEnabled,accountEnabled";

  static final Pattern GUID =
      Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** The user Graph answered; an answer without an object id is an error, never a user. */
  static EntraUser fromJson(JsonNode user) {
    String id = Json.text(user, "id");
    if (id == null || !GUID.matcher(id).matches()) {
      throw new ApiException(
          "Microsoft Graph",
          200,
          "MalformedResponse",
          "the user answered has no object id (a GUID); it is not acted on");
    }
    return new EntraUser(
        id,
        Json.text(user, "userPrincipalName"),
        Json.text(user, "userType"),
        user.path("onPremisesSyncEnabled").asBoolean(false),
        user.path("accountEnabled").asBoolean(true));
  }

  public boolean isGuest() {
    return "Guest".equalsIgnoreCase(userType);
  }
}
