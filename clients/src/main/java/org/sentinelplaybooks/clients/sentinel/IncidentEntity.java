package org.sentinelplaybooks.clients.sentinel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.sentinelplaybooks.clients.Json;

/**
 * An entity of a Sentinel incident: its kind (Ip, Account, Host, ...), its name, and typed views of
 * the kinds the playbooks act on ({@link #asAccount()}, {@link #asIp()}). Entity values come from
 * logs an attacker can write to: they are given as read, for the caller to check.
 */
public final class IncidentEntity {
  /** The properties that name an entity for a reader, the first one present winning. */
  private static final List<String> DISPLAY_FIELDS =
      List.of("friendlyName", "address", "hostName", "accountName", "resourceId");

  private final String kind;
  private final String name;
  private final ObjectNode properties;

  private IncidentEntity(String kind, String name, ObjectNode properties) {
    this.kind = kind;
    this.name = name;
    this.properties = properties;
  }

  static IncidentEntity fromJson(JsonNode entity) {
    JsonNode properties = entity.path("properties");
    return new IncidentEntity(
        Json.text(entity, "kind"),
        Json.text(entity, "name"),
        properties.isObject() ? (ObjectNode) properties.deepCopy() : Json.object());
  }

  public String kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  /** An Account entity's Entra object id and user name parts; empty for any other kind. */
  public Optional<AccountEntity> asAccount() {
    if (!"Account".equalsIgnoreCase(kind)) {
      return Optional.empty();
    }
    return Optional.of(
        new AccountEntity(
            Json.text(properties, "aadUserId"),
            Json.text(properties, "accountName"),
            Json.text(properties, "upnSuffix")));
  }

  /** An Ip entity's address; empty for any other kind, or an Ip entity without an address. */
  public Optional<IpEntity> asIp() {
    String address = Json.text(properties, "address");
    return "Ip".equalsIgnoreCase(kind) && address != null
        ? Optional.of(new IpEntity(address))
        : Optional.empty();
  }

  /**
   * What names the entity for a reader: its friendly name, address, host name, account name or
   * resource id, the first it has, else its name, else empty.
   */
  public String displayName() {
    for (String field : DISPLAY_FIELDS) {
      String value = Json.text(properties, field);
      if (value != null) {
        return value;
      }
    }
    return name == null ? "" : name;
  }

  @Override
  public String toString() {
    return "IncidentEntity[kind=" + kind + ", name=" + name + "]";
  }
}
