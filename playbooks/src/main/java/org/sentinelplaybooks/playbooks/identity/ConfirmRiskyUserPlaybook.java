package org.sentinelplaybooks.playbooks.identity;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.sentinelplaybooks.clients.graph.DirectoryRole;
import org.sentinelplaybooks.clients.graph.EntraUser;
import org.sentinelplaybooks.clients.graph.IdentityClient;
import org.sentinelplaybooks.clients.sentinel.IncidentEntity;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.ActionStep;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.IncidentPlaybook;
import org.sentinelplaybooks.playbooks.core.IncidentReader;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.state.ActionRecord;
import org.sentinelplaybooks.playbooks.state.ActionStore;

/**
 * For the incident's Entra ID accounts: confirm them compromised in Identity Protection, revoke
 * their sign-in sessions and reset their passwords, never touching an account the organisation
 * protects (a privileged directory role, a protected group, or listed by name). What is {@code
 * already} done is read only from the record of completed actions, never from the user's own
 * timestamps, which whoever holds the account can move. The new passwords are never logged,
 * returned or kept.
 */
public final class ConfirmRiskyUserPlaybook extends IncidentPlaybook<ConfirmRiskyUserOptions> {
  public static final String NAME = "confirm-risky-user";
  static final int USER_CONCURRENCY = 8;
  static final Pattern GUID =
      Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  static final Pattern UPN =
      Pattern.compile("[^@\\s\"<>/\\\\?%]+@[^@\\s\"<>/\\\\?%]+\\.[^@\\s\"<>/\\\\?%]+");

  /**
   * Changing passwordProfile through Graph does not reach an account mastered in on-premises AD:
   * password writeback carries admin resets only from the Entra admin center and the delegated
   * authenticationMethod resetPassword API ("Supported writeback operations",
   * learn.microsoft.com/entra/identity/authentication/concept-sspr-writeback;
   * MicrosoftDocs/entra-docs docs/identity/authentication/concept-sspr-writeback.md), which an app
   * cannot call (contracts/graph/authenticationMethod_resetPassword.json: delegated permissions
   * only).
   */
  static final String SYNCED_RESET =
      "synced from on-premises Active Directory: a password set through Microsoft Graph does not"
          + " change it there; reset it in Active Directory";

  private final PlaybookSettings settings;
  private final SentinelClient sentinel;
  private final IdentityClient identity;
  private final ActionStore record;
  private final Clock clock;
  private final PasswordGenerator passwords = new PasswordGenerator();

  public ConfirmRiskyUserPlaybook(
      PlaybookSettings settings,
      SentinelClient sentinel,
      IdentityClient identity,
      ActionStore record,
      Clock clock) {
    super(NAME, "confirm", ConfirmRiskyUserOptions.class, settings, sentinel);
    this.settings = settings;
    this.sentinel = sentinel;
    this.identity = identity;
    this.record = record;
    this.clock = clock;
  }

  /** A requested account, resolved in Entra ID (or not), and why it may not be touched. */
  record Account(String requested, EntraUser user, String protectedBecause, String error) {
    String target() {
      return "entra-user:"
          + (user == null ? requested : user.userPrincipalName() + " (" + user.id() + ")");
    }
  }

  /** An account named by an entity, or why it cannot be acted on. */
  private record Candidate(String account, String refusedBecause) {}

  @Override
  protected ConfirmRiskyUserOptions options(PlaybookRequest request) {
    return ConfirmRiskyUserOptions.of(request, settings);
  }

  @Override
  protected Act start(IncidentId id, ConfirmRiskyUserOptions options, RunContext context) {
    CompletableFuture<List<IncidentEntity>> entities =
        IncidentReader.entitiesUnlessGiven(sentinel, id, options.users());
    return incident -> act(id, options, entities, context);
  }

  /** Resolves the accounts, sets aside those that may not be touched, and acts on the others. */
  private Acted act(
      IncidentId id,
      ConfirmRiskyUserOptions options,
      CompletableFuture<List<IncidentEntity>> entities,
      RunContext context) {
    List<String> actions = options.actions();
    List<ActionResult> results = new ArrayList<>();
    List<String> requested =
        options.users().isEmpty() ? fromEntities(entities.join(), results) : options.users();
    if (requested.isEmpty() && results.isEmpty()) {
      results.add(
          ActionStep.on("incident:" + id.armId(), "resolve-users")
              .skipped("the incident names no Entra ID account"));
    }
    List<Account> accounts = Parallel.map(requested, USER_CONCURRENCY, this::resolve);
    List<Account> actable = actable(accounts, actions, results);
    if (!actable.isEmpty()) {
      results.addAll(act(id, actable, actions, context));
    }
    return Acted.of(results);
  }

  /**
   * The accounts the incident's entities name, at most {@code IDENTITY_MAX_USERS}; the entities
   * that cannot be acted on, or come past the cap, are refused into {@code results}.
   */
  private List<String> fromEntities(List<IncidentEntity> entities, List<ActionResult> results) {
    List<String> requested = new ArrayList<>();
    int cap = settings.identity().maxUsers();
    for (Candidate candidate : accountsOf(entities)) {
      if (candidate.refusedBecause() != null) {
        results.add(
            ActionResult.of(
                "entra-user:entity", "resolve-user", Outcome.REFUSED, candidate.refusedBecause()));
      } else if (requested.size() >= cap) {
        results.add(
            ActionResult.of(
                "entra-user:" + candidate.account(),
                "resolve-user",
                Outcome.REFUSED,
                "past "
                    + IdentitySettings.IDENTITY_MAX_USERS
                    + " ("
                    + cap
                    + " users a run): not acted on; run again naming it in users"));
      } else {
        requested.add(candidate.account());
      }
    }
    return requested;
  }

  /**
   * The resolved accounts that may be touched; the others (unreadable, missing, protected) are
   * reported into {@code results}.
   */
  private static List<Account> actable(
      List<Account> accounts, List<String> actions, List<ActionResult> results) {
    List<Account> actable = new ArrayList<>();
    // Two names (an object id and a UPN) of one user are one user: acted on once.
    Map<String, String> firstNamedAs = new HashMap<>();
    for (Account account : accounts) {
      String sameAs =
          account.user() == null || account.user().id() == null
              ? null
              : firstNamedAs.putIfAbsent(
                  account.user().id().toLowerCase(Locale.ROOT), account.requested());
      if (sameAs != null) {
        results.add(
            ActionResult.of(
                account.target(),
                "resolve-user",
                Outcome.SKIPPED,
                "the same user as " + quoted(sameAs) + ": acted on once"));
      } else if (account.error() != null) {
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
    return actable;
  }

  /**
   * The actions on the accounts that may be touched: what the record holds is {@code already}; the
   * rest is done (confirmation in calls of many users, the others per user) and recorded.
   */
  private List<ActionResult> act(
      IncidentId id, List<Account> accounts, List<String> actions, RunContext context) {
    Map<String, ActionRecord> done = new HashMap<>();
    try {
      record.completed(id).forEach(r -> done.put(r.key(), r));
    } catch (RuntimeException e) {
      List<ActionResult> failed = new ArrayList<>();
      for (Account account : accounts) {
        for (String action : actions) {
          failed.add(
              ActionResult.of(
                  account.target(),
                  action,
                  Outcome.FAILED,
                  "the record of completed actions ("
                      + record.describe()
                      + ") cannot be read: "
                      + Actions.describe(e)));
        }
      }
      return failed;
    }
    CompletableFuture<List<List<ActionResult>>> perUser =
        Parallel.start(
            () ->
                Parallel.map(
                    accounts,
                    USER_CONCURRENCY,
                    account -> perUserActions(id, account, actions, done, context)));
    List<ActionResult> results = new ArrayList<>();
    if (actions.contains("confirm")) {
      results.addAll(confirm(id, accounts, done, context));
    }
    perUser.join().forEach(results::addAll);
    return results;
  }

  /**
   * The incident's accounts: the Entra object id when Sentinel has it, else name@suffix. Entity
   * text comes from logs an attacker can write to, so an object id that is not a GUID, or a name
   * that is not a user principal name, is refused rather than sent to Graph.
   */
  private static List<Candidate> accountsOf(List<IncidentEntity> entities) {
    Map<String, Candidate> accounts = new LinkedHashMap<>();
    for (IncidentEntity entity : entities) {
      if (!"Account".equalsIgnoreCase(entity.kind())) {
        continue;
      }
      String objectId = entity.property("aadUserId");
      String name = entity.property("accountName");
      String suffix = entity.property("upnSuffix");
      String upn = name != null && suffix != null ? name.trim() + "@" + suffix.trim() : null;
      if (objectId != null && !objectId.isBlank()) {
        boolean fallBack = !GUID.matcher(objectId.trim()).matches() && upn != null;
        if (fallBack && UPN.matcher(upn).matches()) {
          // An object id that is no GUID is refused, and said so; the entity's UPN may still name
          // the account, and is resolved (and checked) as any other.
          put(
              accounts,
              objectId.trim(),
              GUID,
              "aadUserId is not a user object id (a GUID); its accountName@upnSuffix is used"
                  + " instead");
          put(accounts, upn, UPN, "accountName@upnSuffix is not a user principal name");
        } else {
          put(accounts, objectId.trim(), GUID, "aadUserId is not a user object id (a GUID)");
        }
      } else if (upn != null) {
        put(accounts, upn, UPN, "accountName@upnSuffix is not a user principal name");
      }
    }
    return new ArrayList<>(accounts.values());
  }

  /** The account, once, when it has the expected form; else the refusal that says why not. */
  private static void put(
      Map<String, Candidate> accounts, String account, Pattern form, String problem) {
    accounts.putIfAbsent(
        account.toLowerCase(Locale.ROOT),
        form.matcher(account).matches()
            ? new Candidate(account, null)
            : new Candidate(null, "an Account entity's " + problem + ": " + quoted(account)));
  }

  /** Entity text, shortened and with only printable ASCII, for a result or a comment. */
  private static String quoted(String text) {
    String shown = text.length() > 64 ? text.substring(0, 64) + "…" : text;
    return "'" + shown.replaceAll("[^\\x20-\\x7E…]", "?") + "'";
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

  /**
   * Why the user may not be touched, or null. A privileged role protects whatever the lists say; a
   * role or membership that cannot be read throws, and the user is not acted on.
   */
  private String protectedBecause(EntraUser user) {
    IdentitySettings guard = settings.identity();
    List<String> held = new ArrayList<>();
    for (DirectoryRole role : identity.directoryRoles(user.id())) {
      String name = guard.protectedRoles().get(role.roleTemplateId());
      if (name != null) {
        held.add(
            (role.displayName() == null ? name : role.displayName())
                + " ("
                + role.roleTemplateId()
                + ")");
      }
    }
    if (!held.isEmpty()) {
      return "protected: holds the directory role "
          + String.join(", ", held)
          + " ("
          + IdentitySettings.PROTECTED_ROLES
          + ")";
    }
    for (String entry : guard.protectedUsers()) {
      if (entry.equalsIgnoreCase(user.id()) || entry.equalsIgnoreCase(user.userPrincipalName())) {
        return "protected: listed in " + IdentitySettings.PROTECTED_USERS;
      }
    }
    Set<String> groups =
        guard.protectedGroups().isEmpty()
            ? Set.of()
            : identity.memberOf(user.id(), guard.protectedGroups());
    return groups.isEmpty()
        ? null
        : "protected: member of protected group "
            + String.join(", ", groups.stream().sorted().toList());
  }

  private List<ActionResult> confirm(
      IncidentId id, List<Account> accounts, Map<String, ActionRecord> done, RunContext context) {
    List<ActionResult> results = new ArrayList<>();
    List<Account> toConfirm = new ArrayList<>();
    for (Account account : accounts) {
      Optional<ActionResult> already = already(account, "confirm", done, "confirmed compromised");
      if (already.isPresent()) {
        results.add(already.get());
      } else {
        toConfirm.add(account);
      }
    }
    int batch = IdentityClient.USERS_PER_CONFIRM;
    for (int start = 0; start < toConfirm.size(); start += batch) {
      List<Account> users = toConfirm.subList(start, Math.min(toConfirm.size(), start + batch));
      // One call confirms the batch: what it did (planned, done or failed) it did for each user.
      ActionResult batchOutcome =
          ActionStep.on("entra-users", "confirm")
              .perform(
                  context,
                  "would confirm compromised",
                  () -> {
                    identity.confirmCompromised(users.stream().map(a -> a.user().id()).toList());
                    return ActionStep.on("entra-users", "confirm").done("confirmed compromised");
                  });
      for (Account account : users) {
        results.add(
            batchOutcome.outcome() == Outcome.DONE
                ? completed(id, account, "confirm", batchOutcome.detail())
                : ActionStep.on(account.target(), "confirm")
                    .result(batchOutcome.outcome(), batchOutcome.detail()));
      }
    }
    return results;
  }

  /** {@code already} when the record holds the action for this user in this incident. */
  private static Optional<ActionResult> already(
      Account account, String action, Map<String, ActionRecord> done, String what) {
    ActionRecord recorded = done.get(ActionRecord.key(account.user().id(), action));
    return Optional.ofNullable(recorded)
        .map(
            r ->
                ActionResult.of(
                    account.target(),
                    action,
                    Outcome.ALREADY,
                    what + " for this incident at " + r.completedAt() + " (recorded)"));
  }

  /** Records the completed action; a record that fails leaves the action done, and says so. */
  private ActionResult completed(IncidentId id, Account account, String action, String detail) {
    try {
      record.record(id, new ActionRecord(id.armId(), account.user().id(), action, clock.instant()));
      return ActionResult.of(account.target(), action, Outcome.DONE, detail);
    } catch (RuntimeException e) {
      return ActionResult.of(
          account.target(),
          action,
          Outcome.DONE,
          detail + "; not recorded (a later run will do it again): " + Actions.describe(e));
    }
  }

  private List<ActionResult> perUserActions(
      IncidentId id,
      Account account,
      List<String> actions,
      Map<String, ActionRecord> done,
      RunContext context) {
    List<ActionResult> results = new ArrayList<>();
    if (actions.contains("revoke")) {
      results.add(revoke(id, account, done, context));
    }
    if (actions.contains("reset")) {
      results.add(reset(id, account, done, context));
    }
    return results;
  }

  private ActionResult revoke(
      IncidentId id, Account account, Map<String, ActionRecord> done, RunContext context) {
    Optional<ActionResult> already = already(account, "revoke", done, "sign-in sessions revoked");
    if (already.isPresent()) {
      return already.get();
    }
    return ActionStep.on(account.target(), "revoke")
        .perform(
            context,
            "would revoke sign-in sessions",
            () -> {
              identity.revokeSignInSessions(account.user().id());
              return completed(id, account, "revoke", "sign-in sessions revoked");
            });
  }

  private ActionResult reset(
      IncidentId id, Account account, Map<String, ActionRecord> done, RunContext context) {
    EntraUser user = account.user();
    if (user.isGuest()) {
      return ActionResult.of(
          account.target(),
          "reset",
          Outcome.SKIPPED,
          "guest accounts are never reset: their password belongs to their home tenant");
    }
    if (user.onPremisesSyncEnabled()) {
      return ActionResult.of(account.target(), "reset", Outcome.REFUSED, SYNCED_RESET);
    }
    Optional<ActionResult> already = already(account, "reset", done, "password reset");
    if (already.isPresent()) {
      return already.get();
    }
    return ActionStep.on(account.target(), "reset")
        .perform(
            context,
            "would reset the password",
            () -> {
              char[] password = passwords.next();
              try {
                identity.resetPassword(user.id(), password);
                return completed(
                    id, account, "reset", "password reset; to be changed at next sign-in");
              } finally {
                Arrays.fill(password, '\0');
              }
            });
  }
}
