package org.sentinelplaybooks.playbooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.sentinelplaybooks.clients.IdentitySettings;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.graph.EntraUser;
import org.sentinelplaybooks.clients.graph.IdentityClient;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentEntity;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;

/**
 * For the incident's Entra ID accounts: confirm them compromised in Identity Protection (one call
 * for all), revoke their sign-in sessions and reset their passwords, never touching an account the
 * organisation protects. The new passwords are never logged, returned or kept.
 */
public final class ConfirmRiskyUserPlaybook implements Playbook {
  public static final String NAME = "confirm-risky-user";
  static final int USER_CONCURRENCY = 8;
  private static final Pattern GUID =
      Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern UPN = Pattern.compile("[^@\\s\"<>]+@[^@\\s\"<>]+\\.[^@\\s\"<>]+");

  private final Settings settings;
  private final SentinelClient sentinel;
  private final IdentityClient identity;
  private final PasswordGenerator passwords = new PasswordGenerator();

  public ConfirmRiskyUserPlaybook(
      Settings settings, SentinelClient sentinel, IdentityClient identity) {
    this.settings = settings;
    this.sentinel = sentinel;
    this.identity = identity;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** A requested account, resolved in Entra ID (or not), and why it may not be touched. */
  record Account(String requested, EntraUser user, String protectedBecause, String error) {
    String target() {
      return "entra-user:"
          + (user == null ? requested : user.userPrincipalName() + " (" + user.id() + ")");
    }
  }

  @Override
  public PlaybookResult run(PlaybookRequest request, RunContext context) {
    IncidentId id = request.incidentId();
    List<String> explicit = users(request);
    List<String> actions = actions(request);
    Optional<PlaybookResult> refused = WorkspaceGuard.check(settings, NAME, id, "confirm", context);
    if (refused.isPresent()) {
      return refused.get();
    }
    CompletableFuture<List<IncidentEntity>> entities =
        IncidentReader.entitiesUnlessGiven(sentinel, id, explicit);
    Incident incident = IncidentReader.read(sentinel, id, request, context);
    List<String> requested = explicit.isEmpty() ? accountsOf(entities.join()) : explicit;

    List<ActionResult> results = new ArrayList<>();
    if (requested.isEmpty()) {
      results.add(
          ActionResult.of(
              "incident:" + id.armId(),
              "resolve-users",
              Outcome.SKIPPED,
              "the incident names no Entra ID account"));
    }
    // Identity Protection takes one call a second: its read starts now, so the pause before the
    // confirming call overlaps resolving the users.
    CompletableFuture<Set<String>> alreadyConfirmed =
        actions.contains("confirm") && !requested.isEmpty()
            ? Parallel.start(identity::confirmedCompromised)
            : CompletableFuture.completedFuture(Set.of());
    List<Account> accounts = Parallel.map(requested, USER_CONCURRENCY, this::resolve);
    List<Account> actable = new ArrayList<>();
    for (Account account : accounts) {
      if (account.error() != null) {
        results.add(
            ActionResult.of(account.target(), "resolve-user", Outcome.FAILED, account.error()));
      } else if (account.user() == null) {
        results.add(
            ActionResult.of(
                account.target(), "resolve-user", Outcome.SKIPPED, "no such user in Entra ID"));
      } else if (account.protectedBecause() != null) {
        for (String action : actions) {
          results.add(
              ActionResult.of(
                  account.target(), action, Outcome.REFUSED, account.protectedBecause()));
        }
      } else {
        actable.add(account);
      }
    }
    OffsetDateTime since = incident.createdTime();
    CompletableFuture<List<List<ActionResult>>> perUser =
        Parallel.start(
            () ->
                Parallel.map(
                    actable,
                    USER_CONCURRENCY,
                    account -> perUserActions(account, actions, since, context)));
    if (actions.contains("confirm") && !actable.isEmpty()) {
      results.addAll(confirm(actable, alreadyConfirmed, context));
    }
    perUser.join().forEach(results::addAll);
    results.addAll(AuditComment.write(sentinel, id, incident.etag(), NAME, results, null, context));
    PlaybookResult result = PlaybookResult.of(NAME, id.armId(), context.dryRun(), results);
    Actions.log(context, result);
    return result;
  }

  private List<String> users(PlaybookRequest request) {
    JsonNode users = request.node("users");
    List<String> list = new ArrayList<>();
    if (users == null) {
      return list;
    }
    if (!users.isArray()) {
      throw new BadInputException(
          "users", "must be a list of user object ids or user principal names");
    }
    for (JsonNode user : users) {
      String value = user.isTextual() ? user.asText().trim() : "";
      if (!GUID.matcher(value).matches() && !UPN.matcher(value).matches()) {
        throw new BadInputException(
            "users",
            "'"
                + (user.isTextual() ? user.asText() : user.toString())
                + "' is neither a user object id nor a user principal name");
      }
      list.add(value);
    }
    return list;
  }

  private List<String> actions(PlaybookRequest request) {
    JsonNode node = request.node("actions");
    if (node == null) {
      return settings.identity().defaultActions();
    }
    List<String> actions = new ArrayList<>();
    List<String> given = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(a -> given.add(a.asText()));
    } else if (node.isTextual()) {
      given.addAll(Arrays.asList(node.asText().split(",")));
    } else {
      throw new BadInputException(
          "actions", "must be a list such as [\"confirm\", \"revoke\", \"reset\"]");
    }
    for (String action : given) {
      String name = action.trim().toLowerCase(Locale.ROOT);
      if (!IdentitySettings.ACTIONS.contains(name)) {
        throw new BadInputException(
            "actions",
            "'"
                + action.trim()
                + "' is not an action; expected "
                + String.join(", ", IdentitySettings.ACTIONS));
      }
      if (!actions.contains(name)) {
        actions.add(name);
      }
    }
    return actions;
  }

  /** The incident's accounts: the Entra object id when Sentinel has it, else name@suffix. */
  private static List<String> accountsOf(List<IncidentEntity> entities) {
    Set<String> accounts = new LinkedHashSet<>();
    for (IncidentEntity entity : entities) {
      if (!"Account".equalsIgnoreCase(entity.kind())) {
        continue;
      }
      String objectId = entity.property("aadUserId");
      String name = entity.property("accountName");
      String suffix = entity.property("upnSuffix");
      if (objectId != null && !objectId.isBlank()) {
        accounts.add(objectId);
      } else if (name != null && suffix != null) {
        accounts.add(name + "@" + suffix);
      }
    }
    return new ArrayList<>(accounts);
  }

  private Account resolve(String requested) {
    try {
      Optional<EntraUser> user = identity.getUser(requested);
      if (user.isEmpty()) {
        return new Account(requested, null, null, null);
      }
      return new Account(requested, user.get(), protectedBecause(user.get()), null);
    } catch (RuntimeException e) {
      return new Account(requested, null, null, Actions.describe(e));
    }
  }

  private String protectedBecause(EntraUser user) {
    IdentitySettings guard = settings.identity();
    for (String entry : guard.protectedUsers()) {
      if (entry.equalsIgnoreCase(user.id()) || entry.equalsIgnoreCase(user.userPrincipalName())) {
        return "protected: listed in " + Settings.PROTECTED_USERS;
      }
    }
    Set<String> groups = identity.memberOf(user.id(), guard.protectedGroups());
    return groups.isEmpty()
        ? null
        : "protected: member of protected group " + String.join(", ", groups);
  }

  private List<ActionResult> confirm(
      List<Account> accounts, CompletableFuture<Set<String>> alreadyConfirmed, RunContext context) {
    List<ActionResult> results = new ArrayList<>();
    try {
      Set<String> already = Parallel.result(alreadyConfirmed);
      List<Account> toConfirm =
          accounts.stream().filter(a -> !already.contains(a.user().id())).toList();
      for (Account account : accounts) {
        if (already.contains(account.user().id())) {
          results.add(
              ActionResult.of(
                  account.target(), "confirm", Outcome.ALREADY, "already confirmed compromised"));
        }
      }
      if (toConfirm.isEmpty()) {
        return results;
      }
      if (!context.dryRun()) {
        identity.confirmCompromised(toConfirm.stream().map(a -> a.user().id()).toList());
      }
      for (Account account : toConfirm) {
        results.add(
            context.dryRun()
                ? ActionResult.of(
                    account.target(), "confirm", Outcome.PLANNED, "would confirm compromised")
                : ActionResult.of(
                    account.target(), "confirm", Outcome.DONE, "confirmed compromised"));
      }
    } catch (RuntimeException e) {
      for (Account account : accounts) {
        results.add(
            ActionResult.of(account.target(), "confirm", Outcome.FAILED, Actions.describe(e)));
      }
    }
    return results;
  }

  private List<ActionResult> perUserActions(
      Account account, List<String> actions, OffsetDateTime since, RunContext context) {
    List<ActionResult> results = new ArrayList<>();
    if (actions.contains("revoke")) {
      results.add(revoke(account, since, context));
    }
    if (actions.contains("reset")) {
      results.add(reset(account, since, context));
    }
    return results;
  }

  private ActionResult revoke(Account account, OffsetDateTime since, RunContext context) {
    EntraUser user = account.user();
    if (since != null
        && user.signInSessionsValidFrom() != null
        && user.signInSessionsValidFrom().isAfter(since)) {
      return ActionResult.of(
          account.target(),
          "revoke",
          Outcome.ALREADY,
          "sessions already revoked at " + user.signInSessionsValidFrom());
    }
    if (context.dryRun()) {
      return ActionResult.of(
          account.target(), "revoke", Outcome.PLANNED, "would revoke sign-in sessions");
    }
    try {
      identity.revokeSignInSessions(user.id());
      return ActionResult.of(account.target(), "revoke", Outcome.DONE, "sign-in sessions revoked");
    } catch (RuntimeException e) {
      return ActionResult.of(account.target(), "revoke", Outcome.FAILED, Actions.describe(e));
    }
  }

  private ActionResult reset(Account account, OffsetDateTime since, RunContext context) {
    EntraUser user = account.user();
    if (user.isGuest()) {
      return ActionResult.of(
          account.target(),
          "reset",
          Outcome.SKIPPED,
          "guest accounts are never reset: their password belongs to their home tenant");
    }
    if (user.onPremisesSyncEnabled() && !settings.identity().passwordWriteback()) {
      return ActionResult.of(
          account.target(),
          "reset",
          Outcome.SKIPPED,
          "synced from on-premises and "
              + Settings.PASSWORD_WRITEBACK
              + " is off: reset it in Active Directory");
    }
    if (since != null
        && user.lastPasswordChange() != null
        && user.lastPasswordChange().isAfter(since)) {
      return ActionResult.of(
          account.target(),
          "reset",
          Outcome.ALREADY,
          "password already changed at " + user.lastPasswordChange());
    }
    if (context.dryRun()) {
      return ActionResult.of(
          account.target(), "reset", Outcome.PLANNED, "would reset the password");
    }
    char[] password = passwords.next();
    try {
      identity.resetPassword(user.id(), password);
      return ActionResult.of(
          account.target(), "reset", Outcome.DONE, "password reset; to be changed at next sign-in");
    } catch (RuntimeException e) {
      return ActionResult.of(account.target(), "reset", Outcome.FAILED, Actions.describe(e));
    } finally {
      Arrays.fill(password, '\0');
    }
  }
}
