package org.sentinelplaybooks.playbooks.identity;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sentinelplaybooks.clients.SettingsReader;

/**
 * The identity playbook's guardrails and defaults: accounts it never touches (by object id or user
 * principal name, by transitive membership of a group, or by an active directory role), the actions
 * it takes when a request names none, and how many accounts one run may act on.
 *
 * @param protectedRoles role template id → display name (the name is for the refusal's reason)
 */
public record IdentitySettings(
    Set<String> protectedUsers,
    Set<String> protectedGroups,
    Map<String, String> protectedRoles,
    List<String> defaultActions,
    int maxUsers) {

  public static final String PROTECTED_USERS = "PROTECTED_USERS";
  public static final String PROTECTED_GROUPS = "PROTECTED_GROUPS";
  public static final String PROTECTED_ROLES = "PROTECTED_ROLES";
  public static final String IDENTITY_ACTIONS = "IDENTITY_ACTIONS";
  public static final String IDENTITY_MAX_USERS = "IDENTITY_MAX_USERS";

  /** The names of the settings read here. */
  public static final List<String> NAMES =
      List.of(
          PROTECTED_USERS, PROTECTED_GROUPS, PROTECTED_ROLES, IDENTITY_ACTIONS, IDENTITY_MAX_USERS);

  public static final List<String> ACTIONS = List.of("confirm", "revoke", "reset");

  public static final int DEFAULT_MAX_USERS = 10;

  /** The most {@code IDENTITY_MAX_USERS} may allow. */
  public static final int MAX_MAX_USERS = 500;

  /** The {@code PROTECTED_ROLES} word for {@link #PRIVILEGED_ROLES}, and its default. */
  public static final String PRIVILEGED = "privileged";

  /**
   * The built-in roles Microsoft labels privileged, by role template id: the roles with the
   * "Privileged" label in "Microsoft Entra built-in roles"
   * (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference;
   * MicrosoftDocs/entra-docs docs/identity/role-based-access-control/permissions-reference.md,
   * commit 00fe95d6, as recorded in contracts/graph/users_memberOf_directoryRoles.json). The label
   * is in preview and the list grows: add newer roles to PROTECTED_ROLES.
   */
  public static final Map<String, String> PRIVILEGED_ROLES = privilegedRoles();

  public IdentitySettings {
    protectedUsers = Set.copyOf(protectedUsers);
    protectedGroups = Set.copyOf(protectedGroups);
    protectedRoles = Map.copyOf(protectedRoles);
    defaultActions = List.copyOf(defaultActions);
  }

  /** The identity settings, each problem recorded on the reader. */
  public static IdentitySettings read(SettingsReader values) {
    Set<String> users = new LinkedHashSet<>(values.list(PROTECTED_USERS));
    Set<String> groups = new LinkedHashSet<>();
    for (String group : values.list(PROTECTED_GROUPS)) {
      if (SettingsReader.isGuid(group)) {
        groups.add(group.toLowerCase(Locale.ROOT));
      } else {
        values.problem(PROTECTED_GROUPS + ": '" + group + "' is not a group object id (a GUID)");
      }
    }
    String actionsValue = values.text(IDENTITY_ACTIONS);
    List<String> actions =
        actionsValue == null
            ? ACTIONS
            : SettingsReader.items(actionsValue.toLowerCase(Locale.ROOT));
    for (String action : actions) {
      if (!ACTIONS.contains(action)) {
        values.problem(
            IDENTITY_ACTIONS + ": '" + action + "' is not one of " + String.join(", ", ACTIONS));
      }
    }
    return new IdentitySettings(users, groups, protectedRoles(values), actions, maxUsers(values));
  }

  /**
   * Role template ids; the word {@code privileged} (the default) stands for the roles Microsoft
   * labels privileged.
   */
  private static Map<String, String> protectedRoles(SettingsReader values) {
    String value = values.text(PROTECTED_ROLES);
    Map<String, String> roles = new LinkedHashMap<>();
    for (String role : SettingsReader.items(value == null ? PRIVILEGED : value)) {
      if (role.equalsIgnoreCase(PRIVILEGED)) {
        roles.putAll(PRIVILEGED_ROLES);
      } else if (SettingsReader.isGuid(role)) {
        String id = role.toLowerCase(Locale.ROOT);
        roles.putIfAbsent(id, PRIVILEGED_ROLES.getOrDefault(id, "role " + id));
      } else {
        values.problem(
            PROTECTED_ROLES
                + ": '"
                + role
                + "' is neither a role template id (a GUID) nor "
                + PRIVILEGED);
      }
    }
    return roles;
  }

  private static int maxUsers(SettingsReader values) {
    String value = values.text(IDENTITY_MAX_USERS);
    if (value == null) {
      return DEFAULT_MAX_USERS;
    }
    if (value.matches("\\d{1,3}")
        && Integer.parseInt(value) >= 1
        && Integer.parseInt(value) <= MAX_MAX_USERS) {
      return Integer.parseInt(value);
    }
    values.problem(
        IDENTITY_MAX_USERS
            + ": '"
            + value
            + "' is not a number of users from 1 to "
            + MAX_MAX_USERS);
    return DEFAULT_MAX_USERS;
  }

  private static Map<String, String> privilegedRoles() {
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("db506228-d27e-4b7d-95e5-295956d6615f", "Agent ID Administrator");
    roles.put("9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator");
    roles.put("cf1c38e5-3621-4004-a7cb-879624dced7c", "Application Developer");
    roles.put("ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe", "Attribute Provisioning Administrator");
    roles.put("422218e4-db15-4ef9-bbe0-8afb41546d79", "Attribute Provisioning Reader");
    roles.put("c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator");
    roles.put("25a516ed-2fa0-40ea-a2d0-12923a21473a", "Authentication Extensibility Administrator");
    roles.put("aaf43236-0c0d-4d5f-883a-6955382ac081", "B2C IEF Keyset Administrator");
    roles.put("158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator");
    roles.put("7698a772-787b-4ac8-901f-60d6b08affd2", "Cloud Device Administrator");
    roles.put("b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator");
    roles.put("9360feb5-f418-4baa-8175-e2a00bac4301", "Directory Writers");
    roles.put("8329153b-31d0-4727-b945-745eb3bc5f31", "Domain Name Administrator");
    roles.put("be2f45a1-457d-42af-a067-6ec1fa63bc45", "External Identity Provider Administrator");
    roles.put("62e90394-69f5-4237-9190-012177145e10", "Global Administrator");
    roles.put("f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader");
    roles.put("729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator");
    roles.put("8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", "Hybrid Identity Administrator");
    roles.put("3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator");
    roles.put("59d46f88-662b-457b-bceb-5c3809e5908f", "Lifecycle Workflows Administrator");
    roles.put("4ba39ca4-527c-499a-b93d-d9b492c50246", "Partner Tier1 Support");
    roles.put("e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8", "Partner Tier2 Support");
    roles.put("966707d0-3269-4727-9be2-8c3a10f19b9d", "Password Administrator");
    roles.put("7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator");
    roles.put("e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator");
    roles.put("194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator");
    roles.put("5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", "Security Operator");
    roles.put("5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader");
    roles.put("fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator");
    return java.util.Collections.unmodifiableMap(roles);
  }
}
