package org.sentinelplaybooks.clients;

import java.util.List;
import java.util.Set;

/**
 * The identity playbook's guardrails and defaults: accounts it never touches (by object id or user
 * principal name, or by transitive membership of a group), the actions it takes when a request
 * names none, and whether on-premises accounts may be reset in the cloud.
 */
public record IdentitySettings(
    Set<String> protectedUsers,
    Set<String> protectedGroups,
    List<String> defaultActions,
    boolean passwordWriteback) {

  public static final List<String> ACTIONS = List.of("confirm", "revoke", "reset");

  public IdentitySettings {
    protectedUsers = Set.copyOf(protectedUsers);
    protectedGroups = Set.copyOf(protectedGroups);
    defaultActions = List.copyOf(defaultActions);
  }
}
