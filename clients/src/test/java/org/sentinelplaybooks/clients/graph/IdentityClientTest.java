package org.sentinelplaybooks.clients.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.FakeWaiter;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.Scenario;

/** The identity operations against the emulator, over HTTP. */
class IdentityClientTest {
  static final String ASMITH = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9";
  static final String JDOE = "6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89";
  static final ClientOptions FAST =
      new ClientOptions(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5));

  Emulator emulator;
  IdentityClient identity;

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.builtIn("attack"));
    identity =
        IdentityClient.builder(Duration.ofMillis(1100))
            .endpoint(emulator.baseUrl())
            .options(FAST)
            .buildClient();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  /**
   * Identity Protection allows one request a second and answers 429 without Retry-After; the pacing
   * waits through the options' waiter, so the emulator's clock and the client's are one.
   */
  @Test
  void identityProtectionCallsArePacedByTheWaiterAndNeverThrottled() {
    FakeWaiter waiter = new FakeWaiter();
    emulator.state().setRateLimitClock(waiter.clock());
    IdentityClient paced =
        IdentityClient.builder(Duration.ofMillis(1100))
            .endpoint(emulator.baseUrl())
            .options(FAST.withWaiter(waiter))
            .buildClient();

    paced.confirmCompromised(List.of(JDOE));
    paced.confirmCompromised(List.of(JDOE));

    assertEquals(List.of(Duration.ofMillis(1100)), waiter.waits());
    assertEquals(0, emulator.state().identityProtectionThrottled());
    assertEquals(
        List.of(204, 204),
        emulator.requests().stream()
            .filter(r -> r.path().endsWith("/confirmCompromised"))
            .map(r -> r.status())
            .toList());
  }

  /** The shared rules re-send a write through the SDK's stack with its body, not an empty one. */
  @Test
  void aRetriedPasswordResetSendsItsBodyAgain() {
    emulator.faults().inject(new FaultRule("PATCH", "/v1\\.0/users/", Fault.status(503, 0), 1));
    identity.resetPassword(JDOE, "Xy7!generated-password-9".toCharArray());
    List<String> bodies =
        emulator.requests().stream()
            .filter(r -> r.method().equals("PATCH"))
            .map(r -> r.body())
            .toList();
    assertEquals(2, bodies.size());
    assertTrue(bodies.get(1).contains("\"forceChangePasswordNextSignIn\":true"), bodies.get(1));
    assertEquals(bodies.get(0), bodies.get(1));
  }

  @Test
  void aConfirmationCarriesOneToSixtyUsersAndNothingIsSentOtherwise() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 61; i++) {
      ids.add(String.format("5a5a5a5a-0000-4000-8000-%012d", i));
    }
    assertThrows(IllegalArgumentException.class, () -> identity.confirmCompromised(ids));
    assertThrows(IllegalArgumentException.class, () -> identity.confirmCompromised(List.of()));
    assertEquals(List.of(), emulator.requests());
  }

  @Test
  void aNextLinkThatClimbsOutOfTheRootIsNotFollowed() {
    for (String template :
        List.of("62e90394-69f5-4237-9190-012177145e10", "f2ef992c-3afb-46b9-b7cf-a126ee74c451")) {
      ObjectNode role = Json.object().put("roleTemplateId", template).put("displayName", template);
      role.putArray("members").add(ASMITH);
      emulator.state().putDirectoryRole(role);
    }
    emulator.state().setGraphPageSize(1);
    assertEquals(2, identity.directoryRoles(ASMITH).size(), "both pages are read");

    emulator
        .faults()
        .inject(
            new FaultRule(
                "GET",
                Pattern.quote("/transitiveMemberOf"),
                Fault.tamperField(
                    "@odata.nextLink",
                    emulator.baseUrl() + "/v1.0/../beta/users/" + ASMITH + "/transitiveMemberOf"),
                1));
    ApiException e = assertThrows(ApiException.class, () -> identity.directoryRoles(ASMITH));
    assertTrue(e.getMessage().contains("not followed"), e.getMessage());
    assertEquals(
        3,
        emulator.requests().stream().filter(r -> r.path().contains("/transitiveMemberOf")).count(),
        "the climbing link was never sent");
  }

  @Test
  void aUserAnsweredWithoutAnObjectIdIsAnError() {
    emulator.state().putEntraUser(Json.object().put("userPrincipalName", "noid@contoso.com"));
    ApiException e = assertThrows(ApiException.class, () -> identity.getUser("noid@contoso.com"));
    assertEquals("MalformedResponse", e.code());
  }
}
