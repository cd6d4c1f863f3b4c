package org.sentinelplaybooks.clients.sentinel;

/**
 * An Account entity of a Sentinel incident: the Entra object id when Sentinel has it ({@code
 * aadUserId}), and the account name and UPN suffix ({@code accountName}, {@code upnSuffix}). Any of
 * them may be null.
 */
public record AccountEntity(String aadUserId, String accountName, String upnSuffix) {

  /** {@code accountName@upnSuffix}, trimmed, when the entity has both; else null. */
  public String userPrincipalName() {
    return accountName != null && upnSuffix != null
        ? accountName.trim() + "@" + upnSuffix.trim()
        : null;
  }
}
