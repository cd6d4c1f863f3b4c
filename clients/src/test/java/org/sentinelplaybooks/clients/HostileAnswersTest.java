package org.sentinelplaybooks.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.DefenderForEndpointClient;
import org.sentinelplaybooks.clients.defender.MdcAlert;
import org.sentinelplaybooks.clients.defender.MdcAlertRef;
import org.sentinelplaybooks.clients.graph.IdentityClient;
import org.sentinelplaybooks.clients.implementation.Pipelines;
import org.sentinelplaybooks.clients.implementation.RestCaller;
import org.sentinelplaybooks.clients.network.DenyRule;
import org.sentinelplaybooks.clients.network.NetworkClient;
import org.sentinelplaybooks.clients.network.SecurityRule;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;

/**
 * Every client against answers that try to steer it: redirects to another host, links and operation
 * URLs that point elsewhere, and waits of an hour. A second emulator on another port stands for the
 * other host; it must receive nothing.
 */
class HostileAnswersTest {
  static final WorkspaceId WORKSPACE =
      WorkspaceId.parse(
          "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-sentinel"
              + "/providers/Microsoft.OperationalInsights/workspaces/law-sentinel-prod");
  static final IncidentId INCIDENT =
      new IncidentId(WORKSPACE, "63883bf7-5be1-42f4-809a-0417943b837b");
  static final String NSG =
      "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-network"
          + "/providers/Microsoft.Network/networkSecurityGroups/nsg-web";
  static final String PASSWORD = "Xy7!generated-password-9";

  Emulator emulator;
  Emulator elsewhere;
  FakeWaiter waiter;
  ClientOptions options;

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.builtIn("attack"));
    elsewhere = Emulator.start(Scenario.builtIn("attack"));
    waiter = new FakeWaiter();
    options =
        new ClientOptions(3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5))
            .withWaiter(waiter);
  }

  @AfterEach
  void stop() {
    emulator.close();
    elsewhere.close();
  }

  /** A 3xx for the next matching request, to the same path on the other host. */
  void redirect(String method, String pathRegex, int status, String path) {
    emulator
        .faults()
        .inject(
            new FaultRule(
                method, pathRegex, Fault.redirect(status, elsewhere.baseUrl() + path), 1));
  }

  static void assertRefusedRedirect(ApiException e, int status) {
    assertEquals(status, e.status(), e.getMessage());
    assertEquals("RedirectRefused", e.code());
    assertTrue(
        e.getMessage().contains("refusing to follow a redirect to 127.0.0.1"), e.getMessage());
  }

  void assertNothingReachedTheOtherHost() {
    assertEquals(List.of(), elsewhere.requests());
  }

  SentinelClient sentinel() {
    return SentinelClient.builder().endpoint(emulator.baseUrl()).options(options).buildClient();
  }

  NetworkClient network() {
    return NetworkClient.builder().endpoint(emulator.baseUrl()).options(options).buildClient();
  }

  IdentityClient identity() {
    return IdentityClient.builder(Duration.ZERO)
        .endpoint(emulator.baseUrl())
        .options(options)
        .buildClient();
  }

  // ---- redirects

  @Test
  void theArmClientRefusesARedirectAndReportsItsStatus() {
    redirect("GET", "/incidents/63883bf7", 307, "/stolen");
    ApiException e = assertThrows(ApiException.class, () -> sentinel().getIncident(INCIDENT));
    assertRefusedRedirect(e, 307);
    assertEquals(1, emulator.requests().size(), "a redirect is not retried");
    assertNothingReachedTheOtherHost();
  }

  @Test
  void anArmWriteAnswered301IsAFailureNotDone() {
    redirect("PUT", "/comments/", 301, "/stolen");
    ApiException e =
        assertThrows(ApiException.class, () -> sentinel().putComment(INCIDENT, "c-1", "written?"));
    assertRefusedRedirect(e, 301);
    assertNothingReachedTheOtherHost();
  }

  @Test
  void theGraphClientRefusesA307OnThePasswordPatchAndTheNewPasswordGoesNowhereElse() {
    String user = "0b6f5c3e-8f7d-4a1e-9c2b-5d4e3f2a1b0c";
    redirect("PATCH", "/v1\\.0/users/", 307, "/v1.0/users/" + user);
    ApiException e =
        assertThrows(
            ApiException.class, () -> identity().resetPassword(user, PASSWORD.toCharArray()));
    assertRefusedRedirect(e, 307);
    assertFalse(e.getMessage().contains(PASSWORD));
    List<RecordedRequest> sent = emulator.requests();
    assertEquals(1, sent.size(), "neither Kiota's redirect handler nor OkHttp followed it");
    assertEquals("PATCH", sent.get(0).method());
    assertNothingReachedTheOtherHost();
  }

  @Test
  void theGraphClientRefusesA308OnARead() {
    redirect("GET", "/v1\\.0/users/", 308, "/v1.0/users/someone");
    ApiException e =
        assertThrows(ApiException.class, () -> identity().getUser("someone@contoso.com"));
    assertRefusedRedirect(e, 308);
    assertNothingReachedTheOtherHost();
  }

  @Test
  void theServiceNowClientRefusesARedirectOnCreate() {
    ServiceNowSettings settings =
        new ServiceNowSettings(
            URI.create(emulator.baseUrl()),
            "svc-sentinel",
            new Secret("servicenow-secret"),
            null,
            null);
    ServiceNowClient serviceNow =
        ServiceNowClient.builder(settings)
            .httpClient(Pipelines.httpClient(options))
            .options(options)
            .buildClient();
    redirect("POST", "/api/now/table/incident", 302, "/api/now/table/incident");
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> serviceNow.create(Map.of("short_description", "x"), Optional::empty));
    assertRefusedRedirect(e, 302);
    assertNothingReachedTheOtherHost();
  }

  @Test
  void theDefenderForEndpointClientRefusesARedirect() {
    DefenderForEndpointClient mde =
        DefenderForEndpointClient.builder()
            .endpoint(emulator.baseUrl())
            .options(options)
            .buildClient();
    redirect("POST", "/api/indicators", 307, "/api/indicators");
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                mde.blockIpAddress(
                    "198.51.100.7", OffsetDateTime.now().plusDays(1), "title", "description"));
    assertRefusedRedirect(e, 307);
    assertNothingReachedTheOtherHost();
  }

  @Test
  void aListedAlertOfAnotherSubscriptionIsNotTakenForTheOneLookedFor() {
    String subscription = "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6";
    String name = "2517538088322968242_7f0ac6b4-1b41-4b9e-9f7c-5d2c6b0e1a11";
    emulator
        .faults()
        .inject(
            new FaultRule(
                "GET",
                "/resourceGroups/rg-prod-web/providers/Microsoft\\.Security/alerts$",
                Fault.tamperField(
                    "/value/0/id",
                    "/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-prod-db"
                        + "/providers/Microsoft.Security/locations/northeurope/alerts/"
                        + name),
                1));
    DefenderForCloudClient mdc =
        DefenderForCloudClient.builder()
            .endpoint(emulator.baseUrl())
            .options(options)
            .buildClient();

    MdcAlert found =
        mdc.findAlert(new MdcAlertRef(subscription, "rg-prod-web", null, name)).orElseThrow();

    assertEquals(subscription, found.id().subscriptionId());
    assertEquals("rg-prod-web", found.id().resourceGroup());
  }

  @Test
  void anAnswerLargerThanTheCapIsRefused() {
    answerTooLarge("GET", "/incidents/63883bf7", "/properties/description");
    ApiException e = assertThrows(ApiException.class, () -> sentinel().getIncident(INCIDENT));
    assertEquals("ResponseTooLarge", e.code());
    assertEquals(1, emulator.requests().size(), "a refused answer is not asked for again");
  }

  /** Graph's answers are read as every other client's: within the same cap. */
  @Test
  void aGraphAnswerLargerThanTheCapIsRefused() {
    answerTooLarge("GET", "/v1\\.0/users/", "displayName");
    ApiException e =
        assertThrows(
            ApiException.class, () -> identity().getUser("1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"));
    assertEquals("ResponseTooLarge", e.code());
    assertEquals(1, emulator.requests().size(), "a refused answer is not asked for again");
  }

  /** ServiceNow's OAuth token answer is read as every answer is: within the same cap. */
  @Test
  void aServiceNowTokenAnswerLargerThanTheCapIsRefusedAndNothingIsSentWithoutIt() {
    emulator
        .state()
        .setServiceNowAccount("svc-sentinel", "unused", "sentinel-client", "servicenow-secret");
    answerTooLarge("POST", "/oauth_token\\.do", "scope");
    ServiceNowClient serviceNow =
        ServiceNowClient.builder(serviceNowOAuth("sentinel-client", "servicenow-secret"))
            .httpClient(Pipelines.httpClient(options))
            .options(options)
            .buildClient();
    ApiException e =
        assertThrows(ApiException.class, () -> serviceNow.get("0123456789abcdef0123456789abcdef"));
    assertEquals("ResponseTooLarge", e.code());
    assertEquals(1, emulator.requests().size(), "the refused token answer is not asked for again");
    assertEquals("/oauth_token.do", emulator.requests().get(0).path());
  }

  /** The next matching answer, with a field grown past the answer cap. */
  void answerTooLarge(String method, String pathRegex, String field) {
    emulator
        .faults()
        .inject(
            new FaultRule(
                method,
                pathRegex,
                Fault.tamperField(field, "x".repeat(RestCaller.MAX_BODY_BYTES + 1)),
                1));
  }

  /** ServiceNow on the emulator, with OAuth client credentials. */
  ServiceNowSettings serviceNowOAuth(String clientId, String clientSecret) {
    return new ServiceNowSettings(
        URI.create(emulator.baseUrl()), null, null, clientId, new Secret(clientSecret));
  }

  // ---- links and operation URLs from answers

  @Test
  void aNextLinkToAnotherHostIsRefusedBeforeAnythingIsSentThere() {
    emulator
        .faults()
        .inject(
            new FaultRule(
                "GET",
                "/incidents$",
                Fault.tamperField(
                    "nextLink",
                    elsewhere.baseUrl()
                        + WORKSPACE.armId()
                        + "/providers/Microsoft.SecurityInsights/incidents?api-version=2025-06-01"),
                1));
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> sentinel().listIncidents(WORKSPACE, null, null, 1).stream().count());
    assertEquals("UnexpectedLink", e.code());
    assertNothingReachedTheOtherHost();
  }

  @Test
  void aNextLinkWithUserInfoIsRefused() {
    emulator
        .faults()
        .inject(
            new FaultRule(
                "GET",
                "/incidents$",
                Fault.tamperField(
                    "nextLink",
                    emulator.baseUrl().replace("://", "://someone@")
                        + WORKSPACE.armId()
                        + "/providers/Microsoft.SecurityInsights/incidents?api-version=2025-06-01"),
                1));
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> sentinel().listIncidents(WORKSPACE, null, null, 1).stream().count());
    assertEquals("UnexpectedLink", e.code());
    assertEquals(1, emulator.requests().size());
  }

  @Test
  void aNextLinkToAnotherPathOnTheSameHostIsRefused() {
    emulator
        .faults()
        .inject(
            new FaultRule(
                "GET",
                "/incidents$",
                Fault.tamperField(
                    "nextLink",
                    emulator.baseUrl()
                        + WORKSPACE.armId().replace("rg-sentinel", "rg-other")
                        + "/providers/Microsoft.SecurityInsights/incidents?api-version=2025-06-01"),
                1));
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> sentinel().listIncidents(WORKSPACE, null, null, 1).stream().count());
    assertEquals("UnexpectedLink", e.code());
    assertEquals(1, emulator.requests().size());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/subscriptions/00000000-0000-4000-8000-000000000000/providers/Microsoft.Network"
            + "/locations/westeurope/operations/op-1",
        "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-network"
            + "/providers/Microsoft.Network/networkSecurityGroups/nsg-web",
        "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/providers/Microsoft.Compute"
            + "/locations/westeurope/operations/op-1"
      })
  void anOperationUrlOutsideTheResourcesNetworkOperationsIsRefused(String path) {
    emulator
        .faults()
        .inject(
            new FaultRule(
                "PUT",
                "/securityRules/",
                Fault.tamperHeader(
                    "Azure-AsyncOperation", emulator.baseUrl() + path + "?api-version=2024-05-01"),
                1));
    ApiException e =
        assertThrows(ApiException.class, () -> network().putDenyRule(NSG, denyRule(), null));
    assertEquals("UnexpectedLink", e.code());
    assertEquals(1, emulator.requests().size(), "only the write itself was sent");
  }

  @Test
  void anAsyncOperationOnAnotherHostIsRefused() {
    emulator
        .faults()
        .inject(
            new FaultRule(
                "PUT",
                "/securityRules/",
                Fault.tamperHeader(
                    "Azure-AsyncOperation", elsewhere.baseUrl() + "/subscriptions/x/operations/y"),
                1));
    ApiException e =
        assertThrows(ApiException.class, () -> network().putDenyRule(NSG, denyRule(), null));
    assertEquals("UnexpectedLink", e.code());
    assertNothingReachedTheOtherHost();
  }

  @Test
  void aDeleteLocationOnAnotherHostIsRefused() {
    SecurityRule rule = rule("allow-https");
    emulator
        .faults()
        .inject(
            new FaultRule(
                "DELETE",
                "/securityRules/",
                Fault.tamperHeader("Location", elsewhere.baseUrl() + "/subscriptions/x/results/y"),
                1));
    ApiException e =
        assertThrows(
            ApiException.class, () -> network().deleteSecurityRule(NSG, rule.name(), rule.etag()));
    assertEquals("UnexpectedLink", e.code());
    assertNothingReachedTheOtherHost();
  }

  @Test
  void anAnswerAboutAnotherResourceIsRefusedSoNoWriteFollowsIt() {
    String other =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-other"
            + "/providers/Microsoft.OperationalInsights/workspaces/law-other"
            + "/providers/Microsoft.SecurityInsights/incidents/63883bf7-5be1-42f4-809a-0417943b837b";
    emulator
        .faults()
        .inject(new FaultRule("GET", "/incidents/63883bf7", Fault.tamperField("id", other), 1));
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> sentinel().updateIncident(INCIDENT, incident -> Optional.empty()));
    assertEquals("UnexpectedResource", e.code());
    assertTrue(emulator.requests().stream().noneMatch(r -> r.method().equals("PUT")));
  }

  @Test
  void anIpGroupReadThatNamesAnotherGroupIsRefused() {
    String group =
        "/subscriptions/8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b/resourceGroups/rg-network"
            + "/providers/Microsoft.Network/ipGroups/ipg-blocked-attackers";
    emulator
        .faults()
        .inject(
            new FaultRule(
                "GET",
                "/ipGroups/",
                Fault.tamperField("id", group.replace("ipg-", "ipg-other-")),
                1));
    ApiException e = assertThrows(ApiException.class, () -> network().getIpGroup(group));
    assertEquals("UnexpectedResource", e.code());
  }

  // ---- long-running operations

  /**
   * A rule delete that answers 202 with only {@code Location} is polled there until it ends (204),
   * as the ARM async-operations page says (learn.microsoft.com/azure/azure-resource-manager/
   * management/async-operations) and SecurityRules_Delete's "final-state-via: location"
   * (../shared/contracts/network/securityRules_delete.json).
   */
  @Test
  void aDeleteAnsweredWithOnlyALocationIsFollowedToItsEnd() {
    SecurityRule rule = rule("allow-https");
    emulator.clearRequests();
    network().deleteSecurityRule(NSG, rule.name(), rule.etag());
    List<RecordedRequest> sent = emulator.requests();
    assertEquals("DELETE", sent.get(0).method());
    assertEquals(202, sent.get(0).status());
    List<RecordedRequest> polls = sent.subList(1, sent.size());
    assertEquals(List.of(202, 204), polls.stream().map(RecordedRequest::status).toList());
    assertTrue(
        polls.stream()
            .allMatch(p -> p.method().equals("GET") && p.path().contains("/operationResults/")),
        polls.toString());
  }

  // ---- waits the server chooses

  @Test
  void aThrottlingRetryAfterOfAnHourIsCutToTheCap() {
    emulator
        .faults()
        .inject(new FaultRule("GET", "/incidents/63883bf7", Fault.status(429, 3600), 1));
    assertEquals(INCIDENT, sentinel().getIncident(INCIDENT).id());
    assertEquals(List.of(ClientOptions.DEFAULT_MAX_SERVER_WAIT), waiter.waits());
    assertEquals(2, emulator.requests().size());
  }

  @Test
  void aServerErrorsRetryAfterOfAnHourIsCutToTheCap() {
    emulator
        .faults()
        .inject(new FaultRule("GET", "/incidents/63883bf7", Fault.status(503, 3600), 1));
    assertEquals(INCIDENT, sentinel().getIncident(INCIDENT).id());
    assertEquals(List.of(ClientOptions.DEFAULT_MAX_SERVER_WAIT), waiter.waits());
  }

  @Test
  void retriesStopRatherThanWaitPastTheCallsBudget() {
    options =
        new ClientOptions(
            5,
            Duration.ofMillis(10),
            Duration.ofMillis(100),
            Duration.ofSeconds(5),
            Duration.ofSeconds(60),
            Duration.ofSeconds(100),
            waiter);
    emulator
        .faults()
        .inject(new FaultRule("GET", "/incidents/63883bf7", Fault.status(503, 3600), 5));
    ApiException e = assertThrows(ApiException.class, () -> sentinel().getIncident(INCIDENT));
    assertEquals(503, e.status());
    assertEquals(
        List.of(Duration.ofSeconds(60)), waiter.waits(), "a second minute would pass 100 s");
    assertEquals(2, emulator.requests().size());
  }

  @Test
  void noWaitIsMadePastTheRunsDeadline() {
    emulator.faults().inject(new FaultRule("GET", "/incidents/63883bf7", Fault.status(429, 30), 1));
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                RunDeadline.within(
                    waiter.now().plusSeconds(20), () -> sentinel().getIncident(INCIDENT)));
    assertEquals(429, e.status());
    assertEquals(List.of(), waiter.waits(), "a 30 s wait would end past the run's deadline");
    assertEquals(1, emulator.requests().size());
  }

  @Test
  void anOperationsPollingIntervalOfAnHourIsCutToTheCap() {
    emulator
        .faults()
        .inject(
            new FaultRule("PUT", "/securityRules/", Fault.tamperHeader("Retry-After", "3600"), 1));
    network().putDenyRule(NSG, denyRule(), null);
    assertTrue(!waiter.waits().isEmpty());
    assertEquals(ClientOptions.DEFAULT_MAX_SERVER_WAIT, waiter.waits().get(0));
    assertTrue(
        waiter.waits().stream()
            .allMatch(w -> w.compareTo(ClientOptions.DEFAULT_MAX_SERVER_WAIT) <= 0));
  }

  @Test
  void graphsRetryAfterOfAnHourIsCutToTheCap() {
    emulator.faults().inject(new FaultRule("GET", "/v1\\.0/users/", Fault.status(429, 3600), 1));
    identity().getUser("someone@contoso.com");
    assertEquals(List.of(ClientOptions.DEFAULT_MAX_SERVER_WAIT), waiter.waits());
    assertEquals(2, emulator.requests().size());
  }

  /**
   * Graph's 429s that name a wait are waited out before they count as failed tries, as ARM's are:
   * with one retry allowed, three throttled answers still end in the user.
   */
  @Test
  void graphWaitsOutThrottlingBeforeItCountsAsAFailedTry() {
    options =
        new ClientOptions(1, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5))
            .withWaiter(waiter);
    emulator.faults().inject(new FaultRule("GET", "/v1\\.0/users/", Fault.status(429, 5), 3));
    assertTrue(identity().getUser("1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9").isPresent());
    assertEquals(
        List.of(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5)),
        waiter.waits());
    assertEquals(4, emulator.requests().size());
  }

  SecurityRule rule(String name) {
    return network().getNetworkSecurityGroup(NSG).rules().stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  static DenyRule denyRule() {
    return new DenyRule("block-attackers", 100, List.of("203.0.113.45"), null);
  }
}
