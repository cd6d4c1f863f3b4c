package org.sentinelplaybooks.clients.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import org.sentinelplaybooks.clients.Json;

/** An Entra ID user, with what the identity playbook decides on. */
public record EntraUser(
    String id,
    String userPrincipalName,
    String userType,
    boolean onPremisesSyncEnabled,
    boolean accountEnabled,
    OffsetDateTime signInSessionsValidFrom,
    OffsetDateTime lastPasswordChange) {

  static final String SELECT =
      "id,userPrincipalName,userType,onPremisesSyncEnabled,accountEnabled,signInSessionsValidFromDateTime,lastPasswordChangeDateTime";

  static EntraUser fromJson(JsonNode user) {
    return new EntraUser(
        Json.text(user, "id"),
        Json.text(user, "userPrincipalName"),
        Json.text(user, "userType"),
        user.path("onPremisesSyncEnabled").asBoolean(false),
        user.path("accountEnabled").asBoolean(true),
        time(Json.text(user, "signInSessionsValidFromDateTime")),
        time(Json.text(user, "lastPasswordChangeDateTime")));
  }

  private static OffsetDateTime time(String text) {
    return text == null ? null : OffsetDateTime.parse(text);
  }

  public boolean isGuest() {
    return "Guest".equalsIgnoreCase(userType);
  }
}
