package org.sentinelplaybooks.playbooks.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.ManualClock;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.PlaybookTest;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.TestJson;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.state.ActionRecord;
import org.sentinelplaybooks.playbooks.state.TableActionStore;

class ConfirmRiskyUserPlaybookTest extends PlaybookTest {
  static final String CONFIRM = ConfirmRiskyUserPlaybook.NAME;
  static final String JDOE = "6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89";
  static final String ASMITH = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9";
  static final String BOB_ADMIN = "2c3d4e5f-6071-4829-93a4-b5c6d7e8f9a0";
  static final String GUEST = "3d4e5f60-7182-4930-a4b5-c6d7e8f9a0b1";
  static final String SYNCED = "4e5f6071-8293-4a41-b5c6-d7e8f9a0b1c2";
  static final String BODY = "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\"}";

  static ObjectNode account(String aadUserId, String name, String suffix) {
    ObjectNode entity =
        TestJson.object()
            .put("kind", "Account")
            .put("name", java.util.UUID.randomUUID().toString());
    ObjectNode properties =
        entity.putObject("properties").put("accountName", name).put("upnSuffix", suffix);
    if (aadUserId != null) {
      properties.put("aadUserId", aadUserId);
    }
    return entity;
  }

  List<RecordedRequest> graph(String method, String pathPart) {
    return azure.emulator.requests().stream()
        .filter(
            r ->
                r.path().startsWith("/v1.0/")
                    && r.method().equals(method)
                    && r.path().contains(pathPart))
        .toList();
  }

  /** Applies the fault to the next {@code times} requests whose path holds {@code pathPart}. */
  void inject(String method, String pathPart, Fault fault, int times) {
    azure.emulator.faults().inject(new FaultRule(method, Pattern.quote(pathPart), fault, times));
  }

  /** A request naming these users, with the default actions. */
  static String users(String... users) {
    ObjectNode body = TestJson.object().put("incidentId", EmulatedAzure.INCIDENT);
    java.util.Arrays.stream(users).forEach(body.putArray("users")::add);
    return body.toString();
  }

  /** The user's actions as "action outcome", sorted. */
  List<String> outcomes(PlaybookResult result, String userId) {
    return actions(result, userId).stream()
        .map(a -> a.action() + " " + a.outcome().wireName())
        .sorted()
        .toList();
  }

  List<ActionResult> actions(PlaybookResult result, String userId) {
    return result.actions().stream().filter(a -> a.target().contains(userId)).toList();
  }

  @Test
  void threeAccountsOneProtectedByGroupTwoActedOn() {
    azure
        .emulator
        .state()
        .setIncidentEntities(
            EmulatedAzure.INCIDENT,
            List.of(
                account(JDOE, "jdoe", "contoso.com"),
                account(null, "asmith", "contoso.com"),
                account(BOB_ADMIN, "bob.admin", "contoso.com")));

    PlaybookResult result = azure.run(CONFIRM, BODY);

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    for (String user : List.of(JDOE, ASMITH)) {
      assertEquals(
          List.of("confirm done", "revoke done", "reset done"),
          actions(result, user).stream()
              .map(a -> a.action() + " " + a.outcome().wireName())
              .toList(),
          user);
    }
    List<ActionResult> bob = actions(result, BOB_ADMIN);
    assertEquals(3, bob.size());
    assertTrue(
        bob.stream()
            .allMatch(
                a ->
                    a.outcome() == Outcome.REFUSED
                        && a.detail()
                            .equals(
                                "protected: member of protected group "
                                    + EmulatedAzure.TIER0_GROUP)),
        bob.toString());

    List<RecordedRequest> confirms =
        graph("POST", "/identityProtection/riskyUsers/confirmCompromised");
    assertEquals(1, confirms.size(), "one call for the batch");
    assertEquals(List.of(JDOE, ASMITH), toList(json(confirms.get(0).body()).path("userIds")));
    assertEquals(2, graph("POST", "/revokeSignInSessions").size());
    List<RecordedRequest> resets = graph("PATCH", "/v1.0/users/");
    assertEquals(2, resets.size());
    for (RecordedRequest reset : resets) {
      JsonNode profile = json(reset.body()).path("passwordProfile");
      assertTrue(profile.path("forceChangePasswordNextSignIn").asBoolean());
      String password = profile.path("password").asText();
      assertEquals(PasswordGenerator.LENGTH, password.length());
      assertTrue(
          Pattern.compile("[a-z]").matcher(password).find()
              && Pattern.compile("[A-Z]").matcher(password).find()
              && Pattern.compile("[0-9]").matcher(password).find()
              && Pattern.compile("[^A-Za-z0-9]").matcher(password).find(),
          "all four classes");
    }
    assertTrue(
        graph("PATCH", BOB_ADMIN).isEmpty()
            && graph("POST", BOB_ADMIN + "/revokeSignInSessions").isEmpty(),
        "Bob is never touched");
    assertEquals(
        "confirmedCompromised",
        azure.emulator.state().riskyUser(JDOE).orElseThrow().path("riskState").asText());
    assertEquals(
        1, azure.emulator.state().entraUser(ASMITH).orElseThrow().path("passwordResets").asInt());
    String comment =
        azure
            .emulator
            .state()
            .comments(EmulatedAzure.INCIDENT)
            .get(0)
            .path("properties")
            .path("message")
            .asText();
    assertTrue(comment.contains("confirm refused: protected: member of protected group"), comment);
  }

  static List<String> toList(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  @Test
  void sixtyOneUsersAreConfirmedSixtyACallWithinTheRateLimit() {
    azure.close();
    azure = EmulatedAzure.start(java.util.Map.of(IdentitySettings.IDENTITY_MAX_USERS, "61"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 61; i++) {
      String id = String.format("5a5a5a5a-0000-4000-8000-%012d", i);
      ids.add(id);
      azure
          .emulator
          .state()
          .putEntraUser(
              TestJson.object()
                  .put("id", id)
                  .put("userPrincipalName", "user" + i + "@contoso.com")
                  .put("userType", "Member")
                  .put("accountEnabled", true));
    }
    ObjectNode body = TestJson.object().put("incidentId", EmulatedAzure.INCIDENT);
    ids.forEach(body.putArray("users")::add);
    body.putArray("actions").add("confirm");

    // One clock for the emulator's one-a-second limit and the client's pacing, moved by its waits.
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));
    azure.emulator.state().setRateLimitClock(clock);
    Playbooks paced =
        Playbooks.create(
            azure.settings,
            ServiceClients.create(
                azure.settings.clients(),
                EmulatedAzure.FAST_RETRIES.withWaiter(EmulatedAzure.waiterOn(clock))));

    PlaybookResult result = paced.run(CONFIRM, body.toString(), false, azure.log);

    assertEquals(
        61,
        result.actions().stream()
            .filter(a -> a.action().equals("confirm") && a.outcome() == Outcome.DONE)
            .count(),
        result.toString());
    // The v1.0 reference (riskyuser-confirmcompromised) states no maximum; calls stay at 60.
    List<RecordedRequest> confirms = graph("POST", "/confirmCompromised");
    assertEquals(2, confirms.size());
    assertEquals(ids.subList(0, 60), toList(json(confirms.get(0).body()).path("userIds")));
    assertEquals(ids.subList(60, 61), toList(json(confirms.get(1).body()).path("userIds")));
    assertEquals(
        0,
        azure.emulator.state().identityProtectionThrottled(),
        "the rate limit was never exceeded");
    assertFalse(
        clock.instant().isBefore(Instant.parse("2026-11-01T08:00:01.100Z")),
        "the second confirmation waited out the interval on the clock: " + clock.instant());
  }

  @Test
  void a429WithoutRetryAfterIsRetriedAfterABackOff() {
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "POST", Pattern.quote("/confirmCompromised"), Fault.status(429, null), 1));

    PlaybookResult result =
        azure.run(
            CONFIRM,
            "{\"incidentId\":\"" + EmulatedAzure.INCIDENT + "\",\"actions\":[\"confirm\"]}");

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(
        List.of(429, 204),
        graph("POST", "/confirmCompromised").stream().map(RecordedRequest::status).toList());
    assertEquals(
        "confirmedCompromised",
        azure.emulator.state().riskyUser(JDOE).orElseThrow().path("riskState").asText());
  }

  @Test
  void guestsAreNotResetAndSyncedAccountsAreRefusedTheResetWhileRevokeAndConfirmRun() {
    ObjectNode body = TestJson.object().put("incidentId", EmulatedAzure.INCIDENT);
    body.putArray("users").add(GUEST).add("carol@contoso.com");
    body.putArray("actions").add("reset");

    PlaybookResult result = azure.run(CONFIRM, body.toString());

    PlaybookResult carol = azure.run(CONFIRM, users("carol@contoso.com"));
    assertEquals(
        List.of("confirm done", "reset refused", "revoke done"),
        outcomes(carol, SYNCED),
        carol.toString());
    assertEquals(1, graph("POST", SYNCED + "/revokeSignInSessions").size());

    assertEquals(Outcome.SKIPPED, actions(result, GUEST).get(0).outcome());
    assertTrue(actions(result, GUEST).get(0).detail().startsWith("guest accounts are never reset"));
    assertEquals(Outcome.REFUSED, actions(result, SYNCED).get(0).outcome());
    assertTrue(
        actions(result, SYNCED).get(0).detail().endsWith("reset it in Active Directory"),
        actions(result, SYNCED).toString());
    assertEquals(List.of(), graph("PATCH", "/v1.0/users/"));
  }

  @Test
  void theNewPasswordAppearsOnlyInItsOwnRequest() {
    List<LogRecord> everything = new CopyOnWriteArrayList<>();
    Logger root = Logger.getLogger("");
    Level level = root.getLevel();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            everything.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    capture.setLevel(Level.ALL);
    root.addHandler(capture);
    root.setLevel(Level.ALL);
    try {
      PlaybookResult result = azure.run(CONFIRM, BODY);

      RecordedRequest reset = graph("PATCH", JDOE).get(0);
      String password = json(reset.body()).path("passwordProfile").path("password").asText();
      assertEquals(PasswordGenerator.LENGTH, password.length());
      for (LogRecord record : everything) {
        assertFalse(String.valueOf(record.getMessage()).contains(password), record.getLoggerName());
      }
      for (LogRecord record : azure.logs) {
        assertFalse(String.valueOf(record.getMessage()).contains(password));
      }
      assertFalse(result.toString().contains(password));
      for (RecordedRequest request : azure.emulator.requests()) {
        if (request != reset) {
          assertFalse(request.body().contains(password), request.path());
        }
      }
      assertTrue(everything.size() > 0, "the loggers were listened to");
    } finally {
      root.removeHandler(capture);
      root.setLevel(level);
    }
  }

  @Test
  void aSecondRunSaysAlreadyAndWritesNothing() {
    azure.run(CONFIRM, BODY);
    azure.emulator.clearRequests();

    List<ActionRecord> recorded = recorded();

    PlaybookResult again = azure.run(CONFIRM, BODY);

    assertEquals(
        List.of("already", "already", "already"),
        again.actions().stream().map(a -> a.outcome().wireName()).toList(),
        again.toString());
    assertTrue(again.actions().stream().allMatch(a -> a.detail().endsWith("(recorded)")));
    assertEquals(
        List.of(),
        azure.writes().stream().filter(w -> !w.path().contains("checkMemberGroups")).toList());
    assertEquals(
        List.of(
            "6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89:confirm",
            "6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89:reset",
            "6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89:revoke"),
        recorded.stream().map(ActionRecord::key).sorted().toList());
    assertEquals(recorded, recorded(), "the second run recorded nothing new");
  }

  /** The rows of the actions table for the scenario's incident. */
  List<ActionRecord> recorded() {
    return new TableActionStore(azure.clients.tables().orElseThrow())
        .completed(IncidentId.parse(EmulatedAzure.INCIDENT)).stream()
            .sorted(java.util.Comparator.comparing(ActionRecord::key))
            .toList();
  }

  @Test
  void anAttackerWhoChangedThePasswordAfterTheIncidentIsStillRevokedAndReset() {
    // Whoever holds the account changes its password and signs in again after the incident was
    // created: its own timestamps move past the incident's creation.
    ObjectNode jdoe = azure.emulator.state().entraUser(JDOE).orElseThrow();
    String later =
        java.time.Instant.parse(incidentProperties().path("createdTimeUtc").asText())
            .plusSeconds(3600)
            .toString();
    jdoe.put("lastPasswordChangeDateTime", later).put("signInSessionsValidFromDateTime", later);
    azure.emulator.state().putEntraUser(jdoe);

    PlaybookResult result = azure.run(CONFIRM, BODY);

    assertEquals(
        List.of("confirm done", "reset done", "revoke done"),
        outcomes(result, JDOE),
        result.toString());
    assertEquals(1, graph("POST", JDOE + "/revokeSignInSessions").size());
    assertEquals(1, graph("PATCH", "/v1.0/users/" + JDOE).size());
    assertFalse(
        graph("GET", "/v1.0/users/" + JDOE).get(0).path().contains("lastPasswordChange")
            || graph("GET", "/v1.0/users/" + JDOE)
                .get(0)
                .query()
                .toString()
                .contains("lastPasswordChange"),
        "the user's own timestamps are not even read");
  }

  static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
  static final String HELPDESK_ADMINISTRATOR = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

  void grantRole(String templateId, String displayName, String... members) {
    ObjectNode role =
        TestJson.object().put("roleTemplateId", templateId).put("displayName", displayName);
    java.util.Arrays.stream(members).forEach(role.putArray("members")::add);
    azure.emulator.state().putDirectoryRole(role);
  }

  @Test
  void aPrivilegedRoleProtectsTheAccountFromEveryActionWhateverTheListsSay() {
    grantRole(GLOBAL_ADMINISTRATOR, "Global Administrator", ASMITH);
    // Helpdesk Administrator through a role-assignable group.
    azure
        .emulator
        .state()
        .putEntraUser(
            TestJson.object()
                .put("id", "5b5b5b5b-0000-4000-8000-000000000001")
                .put("userPrincipalName", "helpdesk@contoso.com")
                .put("userType", "Member"));
    grantRole(HELPDESK_ADMINISTRATOR, "Helpdesk Administrator", EmulatedAzure.TIER0_GROUP);
    PlaybookResult result = azure.run(CONFIRM, users(ASMITH, BOB_ADMIN, JDOE));

    List<ActionResult> asmith = actions(result, ASMITH);
    assertEquals(3, asmith.size(), result.toString());
    assertTrue(
        asmith.stream()
            .allMatch(
                a ->
                    a.outcome() == Outcome.REFUSED
                        && a.detail().contains("Global Administrator (" + GLOBAL_ADMINISTRATOR)),
        asmith.toString());
    // Bob is in Tier 0 through Domain admins, and so holds Helpdesk Administrator.
    assertTrue(
        actions(result, BOB_ADMIN).stream()
            .allMatch(a -> a.detail().contains("Helpdesk Administrator")),
        actions(result, BOB_ADMIN).toString());
    assertEquals(Outcome.DONE, actions(result, JDOE).get(0).outcome());
    for (String protectedUser : List.of(ASMITH, BOB_ADMIN)) {
      assertEquals(List.of(), graph("POST", protectedUser + "/revokeSignInSessions"));
      assertEquals(List.of(), graph("PATCH", "/v1.0/users/" + protectedUser));
    }
    assertEquals(
        List.of(JDOE),
        toList(json(graph("POST", "/confirmCompromised").get(0).body()).path("userIds")));
    RecordedRequest roles = graph("GET", ASMITH + "/transitiveMemberOf").get(0);
    assertEquals("eventual", roles.header("ConsistencyLevel"));
  }

  @Test
  void rolesThatCannotBeReadLeaveTheUserAlone() {
    inject("GET", ASMITH + "/transitiveMemberOf", Fault.status(403, null), 20);

    PlaybookResult result = azure.run(CONFIRM, users(ASMITH, JDOE));

    assertEquals(List.of("resolve-user failed"), outcomes(result, ASMITH), result.toString());
    assertUntouchedWhileJdoeIsConfirmed(ASMITH);
  }

  /** No session revocation or reset went to the user, and only jdoe was confirmed. */
  void assertUntouchedWhileJdoeIsConfirmed(String user) {
    assertEquals(List.of(), graph("POST", user + "/revokeSignInSessions"));
    assertEquals(List.of(), graph("PATCH", "/v1.0/users/" + user));
    assertEquals(
        List.of(JDOE),
        toList(json(graph("POST", "/confirmCompromised").get(0).body()).path("userIds")));
  }

  @Test
  void directoryRolesArePagedAndANextLinkOffTheGraphRootIsNotFollowed() {
    grantRole("11111111-2222-4333-8444-555555555555", "Custom reader", ASMITH, JDOE);
    grantRole(GLOBAL_ADMINISTRATOR, "Global Administrator", ASMITH, JDOE);
    azure.emulator.state().setGraphPageSize(1);
    PlaybookResult paged = azure.run(CONFIRM, users(ASMITH));

    assertTrue(
        actions(paged, ASMITH).stream()
            .allMatch(a -> a.outcome() == Outcome.REFUSED && a.detail().contains("Global")),
        "the role on the second page protects: " + paged);
    assertEquals(2, graph("GET", ASMITH + "/transitiveMemberOf").size());

    azure.emulator.clearRequests();
    inject(
        "GET",
        JDOE + "/transitiveMemberOf",
        Fault.tamperField(
            "@odata.nextLink", "http://127.0.0.2:9/v1.0/users/" + JDOE + "/transitiveMemberOf"),
        1);

    PlaybookResult tampered = azure.run(CONFIRM, users(JDOE));

    assertEquals(Outcome.FAILED, actions(tampered, JDOE).get(0).outcome(), tampered.toString());
    assertTrue(actions(tampered, JDOE).get(0).detail().contains("not followed"));
    assertEquals(1, graph("GET", JDOE + "/transitiveMemberOf").size());
    assertEquals(
        List.of(), azure.writes().stream().filter(w -> w.path().startsWith("/v1.0")).toList());
  }

  @Test
  void aMembershipAnswerWithoutItsListIsAnErrorNeverNotAMember() {
    // A 200 whose "value" is not the list of matching groups (a tampered or unreadable answer).
    inject("POST", BOB_ADMIN + "/checkMemberGroups", Fault.tamperField("value", "none"), 1);

    PlaybookResult result = azure.run(CONFIRM, users(BOB_ADMIN, JDOE));

    assertEquals(List.of("resolve-user failed"), outcomes(result, BOB_ADMIN), result.toString());
    assertTrue(actions(result, BOB_ADMIN).get(0).detail().contains("without its list of values"));
    assertEquals(200, graph("POST", BOB_ADMIN + "/checkMemberGroups").get(0).status());
    assertUntouchedWhileJdoeIsConfirmed(BOB_ADMIN);
  }

  @Test
  void protectedGroupsAreCheckedTwentyAtATime() {
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      groups.add(String.format("9c9c9c9c-0000-4000-8000-%012d", i));
    }
    groups.add(EmulatedAzure.TIER0_GROUP);
    azure.close();
    azure =
        EmulatedAzure.start(
            java.util.Map.of(IdentitySettings.PROTECTED_GROUPS, String.join(",", groups)));
    PlaybookResult result = azure.run(CONFIRM, users(BOB_ADMIN));

    assertTrue(
        actions(result, BOB_ADMIN).stream()
            .allMatch(
                a ->
                    a.outcome() == Outcome.REFUSED
                        && a.detail()
                            .contains("member of protected group " + EmulatedAzure.TIER0_GROUP)),
        result.toString());
    List<RecordedRequest> checks = graph("POST", BOB_ADMIN + "/checkMemberGroups");
    assertEquals(
        List.of(20, 5), checks.stream().map(c -> json(c.body()).path("groupIds").size()).toList());
    assertTrue(checks.stream().allMatch(c -> c.status() == 200));
  }

  @Test
  void moreUsersThanTheCapAreBadInputAndEntitiesPastItAreRefused() {
    ObjectNode body = TestJson.object().put("incidentId", EmulatedAzure.INCIDENT);
    for (int i = 0; i < 11; i++) {
      body.withArray("users").add(String.format("5c5c5c5c-0000-4000-8000-%012d", i));
    }
    BadInputException tooMany =
        assertThrows(BadInputException.class, () -> azure.run(CONFIRM, body.toString()));
    assertEquals("users", tooMany.field());
    assertTrue(tooMany.getMessage().contains("at most 10"), tooMany.getMessage());
    assertEquals(List.of(), azure.emulator.requests());

    List<ObjectNode> entities = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      entities.add(
          account(String.format("5c5c5c5c-0000-4000-8000-%012d", i), "u" + i, "contoso.com"));
    }
    azure.emulator.state().setIncidentEntities(EmulatedAzure.INCIDENT, entities);

    PlaybookResult result = azure.run(CONFIRM, BODY);

    List<ActionResult> refused =
        result.actions().stream().filter(a -> a.outcome() == Outcome.REFUSED).toList();
    assertEquals(2, refused.size(), result.toString());
    assertTrue(refused.get(0).detail().startsWith("past IDENTITY_MAX_USERS (10 users a run)"));
    assertTrue(refused.get(0).target().contains("5c5c5c5c-0000-4000-8000-000000000010"));
    assertEquals(
        10,
        graph("GET", "/v1.0/users/").stream()
            .filter(r -> !r.path().contains("/transitiveMemberOf"))
            .count());
  }

  @Test
  void anEntityIdThatIsNotAGuidAndAUserWithoutAnIdAreNeverActedOn() {
    azure
        .emulator
        .state()
        .setIncidentEntities(
            EmulatedAzure.INCIDENT,
            List.of(account(".", "x y", "contoso.com"), account("..", "y", "contoso com")));

    PlaybookResult result = azure.run(CONFIRM, BODY);

    assertEquals(
        List.of("resolve-user refused", "resolve-user refused"),
        result.actions().stream()
            .filter(a -> !a.action().equals("comment"))
            .map(a -> a.action() + " " + a.outcome().wireName())
            .toList(),
        result.toString());
    assertTrue(result.actions().get(0).detail().contains("not a user object id (a GUID): '.'"));
    assertEquals(List.of(), graph("GET", "/v1.0/users"));

    azure
        .emulator
        .state()
        .putEntraUser(TestJson.object().put("userPrincipalName", "noid@contoso.com"));
    PlaybookResult noId = azure.run(CONFIRM, users("noid@contoso.com"));

    assertEquals(
        Outcome.FAILED, actions(noId, "noid@contoso.com").get(0).outcome(), noId.toString());
    assertTrue(actions(noId, "noid@contoso.com").get(0).detail().contains("no object id"));
    assertEquals(
        List.of(),
        azure.emulator.requests().stream()
            .filter(r -> r.path().contains("null") || r.path().contains("/transitiveMemberOf"))
            .toList());
    assertEquals(
        List.of(), azure.writes().stream().filter(w -> w.path().startsWith("/v1.0")).toList());
  }

  @Test
  void anObjectIdEntityAndAUpnEntityOfOneUserAreActedOnOnce() {
    azure
        .emulator
        .state()
        .setIncidentEntities(
            EmulatedAzure.INCIDENT,
            List.of(account(ASMITH, "a", "contoso.com"), account(null, "asmith", "contoso.com")));

    PlaybookResult result = azure.run(CONFIRM, BODY);

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(1, graph("PATCH", "/v1.0/users/").size(), "one password reset");
    assertEquals(1, graph("POST", "/revokeSignInSessions").size(), "one revocation");
    List<RecordedRequest> confirms =
        graph("POST", "/identityProtection/riskyUsers/confirmCompromised");
    assertEquals(List.of(ASMITH), toList(json(confirms.get(0).body()).path("userIds")));
    assertTrue(
        result.actions().stream()
            .anyMatch(
                a ->
                    a.action().equals("resolve-user")
                        && a.outcome() == Outcome.SKIPPED
                        && a.detail().startsWith("the same user as '" + ASMITH + "'")),
        result.toString());
  }

  @Test
  void anEntityWhoseObjectIdIsNoGuidIsActedOnByItsUpnAndBothAreReported() {
    azure
        .emulator
        .state()
        .setIncidentEntities(
            EmulatedAzure.INCIDENT, List.of(account("S-1-5-21-1004", "asmith", "contoso.com")));

    PlaybookResult result = azure.run(CONFIRM, BODY);

    assertEquals(
        List.of("confirm done", "revoke done", "reset done"),
        actions(result, ASMITH).stream()
            .map(a -> a.action() + " " + a.outcome().wireName())
            .toList(),
        result.toString());
    assertTrue(
        result.actions().stream()
            .anyMatch(
                a ->
                    a.action().equals("resolve-user")
                        && a.outcome() == Outcome.REFUSED
                        && a.detail().contains("'S-1-5-21-1004'")
                        && a.detail().contains("accountName@upnSuffix is used instead")),
        result.toString());
    assertEquals(1, graph("PATCH", "/v1.0/users/").size());
  }

  @Test
  void aDryRunWritesNothing() {
    PlaybookResult result = azure.dryRun(CONFIRM, BODY);
    assertEquals(3, result.count(Outcome.PLANNED), result.toString());
    assertEquals(
        List.of(),
        azure.writes().stream().filter(w -> !w.path().contains("checkMemberGroups")).toList());
    assertEquals(
        "atRisk", azure.emulator.state().riskyUser(JDOE).orElseThrow().path("riskState").asText());
  }

  @Test
  void aMissingUserIsReportedAndTheOthersGoOn() {
    PlaybookResult result =
        azure.run(
            CONFIRM,
            "{\"incidentId\":\""
                + EmulatedAzure.INCIDENT
                + "\",\"users\":[\"ghost@contoso.com\",\""
                + ASMITH
                + "\"],\"actions\":\"revoke\"}");
    assertEquals(Outcome.SKIPPED, actions(result, "ghost@contoso.com").get(0).outcome());
    assertEquals("no such user in Entra ID", actions(result, "ghost@contoso.com").get(0).detail());
    assertEquals(Outcome.DONE, actions(result, ASMITH).get(0).outcome());
  }

  @Test
  void graphServerErrorsAndDroppedConnectionsAreRetriedAsOtherServicesAre() {
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "POST", Pattern.quote("/revokeSignInSessions"), Fault.status(500, null), 1));
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "POST", Pattern.quote("/revokeSignInSessions"), Fault.status(502, null), 1));
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "POST", Pattern.quote("/revokeSignInSessions"), Fault.dropConnection(), 1));
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule("POST", Pattern.quote("/confirmCompromised"), Fault.dropConnection(), 1));

    PlaybookResult result =
        azure.run(
            CONFIRM,
            "{\"incidentId\":\""
                + EmulatedAzure.INCIDENT
                + "\",\"actions\":[\"confirm\",\"revoke\"]}");

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(
        List.of(500, 502, 0, 200),
        graph("POST", "/revokeSignInSessions").stream().map(RecordedRequest::status).toList());
    assertEquals(
        List.of(0, 204),
        graph("POST", "/confirmCompromised").stream().map(RecordedRequest::status).toList());
    assertEquals(
        "confirmedCompromised",
        azure.emulator.state().riskyUser(JDOE).orElseThrow().path("riskState").asText());
    assertEquals(
        0,
        azure.emulator.state().identityProtectionThrottled(),
        "the retried Identity Protection call waited for its paced slot");
  }

  @Test
  void aUserGraphCannotReadFailsAloneAndTheOthersGoOn() {
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "GET", Pattern.quote("/v1.0/users/" + ASMITH), Fault.status(500, null), 20));

    PlaybookResult result =
        azure.run(
            CONFIRM,
            "{\"incidentId\":\""
                + EmulatedAzure.INCIDENT
                + "\",\"users\":[\""
                + ASMITH
                + "\",\""
                + JDOE
                + "\"],\"actions\":[\"revoke\"]}");

    assertEquals(RunStatus.PARTIAL, result.status(), result.toString());
    assertEquals(Outcome.FAILED, actions(result, ASMITH).get(0).outcome());
    assertTrue(
        actions(result, ASMITH).get(0).detail().startsWith("Microsoft Graph answered 500"),
        actions(result, ASMITH).toString());
    assertEquals(Outcome.DONE, actions(result, JDOE).get(0).outcome());
  }

  @Test
  void badUsersAndActionsAreNamedAndNothingIsSent() {
    BadInputException action =
        assertThrows(
            BadInputException.class,
            () ->
                azure.run(
                    CONFIRM,
                    "{\"incidentId\":\""
                        + EmulatedAzure.INCIDENT
                        + "\",\"actions\":[\"confirm\",\"delete\"]}"));
    assertEquals("actions", action.field());
    assertTrue(action.getMessage().contains("'delete' is not an action"));
    BadInputException user =
        assertThrows(
            BadInputException.class,
            () ->
                azure.run(
                    CONFIRM,
                    "{\"incidentId\":\""
                        + EmulatedAzure.INCIDENT
                        + "\",\"users\":[\"not a user\"]}"));
    assertEquals("users", user.field());
    assertEquals(List.of(), azure.emulator.requests());
  }
}
