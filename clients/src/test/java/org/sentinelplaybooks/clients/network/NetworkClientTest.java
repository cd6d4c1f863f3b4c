package org.sentinelplaybooks.clients.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.FakeWaiter;
import org.sentinelplaybooks.clients.RunDeadline;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;

/**
 * NSG rules and IP Groups through the Resource Manager SDK's inner clients, against the emulator:
 * the requests as the API reference has them (specification/network/resource-manager/
 * Microsoft.Network/stable/2024-07-01/networkSecurityGroup.json, SecurityRules_CreateOrUpdate and
 * SecurityRules_Delete; .../2024-07-01/ipGroups.json, IpGroups_CreateOrUpdate), the etag conditions
 * on the write alone, and the operation followed by our rules.
 */
class NetworkClientTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SUBSCRIPTION = "8f2c1a77-3b4d-4e5f-9a6b-0c1d2e3f4a5b";
  static final String NSG =
      "/subscriptions/"
          + SUBSCRIPTION
          + "/resourceGroups/rg-network/providers/Microsoft.Network/networkSecurityGroups/nsg-web";
  static final String IP_GROUP =
      "/subscriptions/"
          + SUBSCRIPTION
          + "/resourceGroups/rg-network/providers/Microsoft.Network/ipGroups/ipg-blocked-attackers";
  static final DenyRule BLOCK =
      new DenyRule("block-attackers", 150, List.of("203.0.113.45", "198.51.100.0/24"), "kept");

  Emulator emulator;
  Emulator elsewhere;
  FakeWaiter waiter;
  NetworkClient network;

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.builtIn("attack"));
    elsewhere = Emulator.start(Scenario.builtIn("attack"));
    waiter = new FakeWaiter();
    network =
        NetworkClient.builder()
            .endpoint(emulator.baseUrl())
            .options(
                new ClientOptions(
                        3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5))
                    .withWaiter(waiter))
            .buildClient();
  }

  @AfterEach
  void stop() {
    emulator.close();
    elsewhere.close();
  }

  List<RecordedRequest> sent(String method, String pathPart) {
    return emulator.requests().stream()
        .filter(r -> r.method().equals(method) && r.path().contains(pathPart))
        .toList();
  }

  SecurityRule rule(String name) {
    return network.getNetworkSecurityGroup(NSG).rules().stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aNewDenyRuleIsPutOnlyIfAbsentAndItsPollsCarryNoCondition() throws Exception {
    emulator.state().setAsyncOperations(2, 0);

    network.putDenyRule(NSG, BLOCK, null);

    RecordedRequest put = sent("PUT", "/securityRules/block-attackers").get(0);
    assertEquals(NetworkClient.API_VERSION, put.query().get("api-version"));
    assertEquals("2024-07-01", put.query().get("api-version"));
    assertEquals("*", put.header("If-None-Match"));
    assertNull(put.header("If-Match"));
    JsonNode properties = JSON.readTree(put.body()).path("properties");
    assertEquals("Deny", properties.path("access").asText());
    assertEquals("Inbound", properties.path("direction").asText());
    assertEquals("*", properties.path("protocol").asText());
    assertEquals("*", properties.path("destinationAddressPrefix").asText());
    assertEquals("*", properties.path("destinationPortRange").asText());
    assertEquals(150, properties.path("priority").asInt());
    assertEquals("kept", properties.path("description").asText());
    assertEquals(
        "[\"203.0.113.45\",\"198.51.100.0/24\"]",
        properties.path("sourceAddressPrefixes").toString());

    List<RecordedRequest> polls = sent("GET", "/operations/");
    assertEquals(3, polls.size(), "two polls in progress, then Succeeded");
    for (RecordedRequest poll : polls) {
      assertNull(poll.header("If-None-Match"), "a poll is no write: " + poll);
      assertNull(poll.header("If-Match"), "a poll is no write: " + poll);
    }
    assertEquals(
        List.of("203.0.113.45", "198.51.100.0/24"), rule("block-attackers").sourcePrefixes());
    assertEquals(150, rule("block-attackers").priority());
    assertEquals("Inbound", rule("block-attackers").direction());
  }

  @Test
  void aWriteOnAStaleEtagIsAConflictAndChangesNothing() {
    SecurityRule read = rule("allow-https");
    DenyRule replacing =
        new DenyRule(read.name(), read.priority(), List.of("203.0.113.45"), "kept");

    ApiException e =
        assertThrows(ApiException.class, () -> network.putDenyRule(NSG, replacing, "W/\"stale\""));

    assertEquals(412, e.status(), e.getMessage());
    assertTrue(e.isConflict());
    assertEquals("W/\"stale\"", sent("PUT", "/securityRules/").get(0).header("If-Match"));
    assertEquals(read, rule("allow-https"), "the rule is as it was");
  }

  @Test
  void anOperationThatEndsFailedIsAnApiExceptionSayingSo() {
    emulator
        .faults()
        .inject(new FaultRule("GET", "/operations/", Fault.tamperField("status", "Failed"), 1));

    ApiException e = assertThrows(ApiException.class, () -> network.putDenyRule(NSG, BLOCK, null));

    assertEquals("Azure Network", e.service());
    assertTrue(e.getMessage().contains("the operation ended Failed"), e.getMessage());
    assertEquals(1, sent("GET", "/operations/").size(), "no poll after the operation ended");
  }

  /**
   * The SDK's poller would follow a {@code Location} that a poll's answer moves; it is checked like
   * the first one, so a tampered answer cannot turn the polls (and the token) to another host.
   */
  @Test
  void aPollsLocationMovedToAnotherHostIsRefused() {
    emulator.state().setAsyncOperations(2, 0);
    SecurityRule read = rule("allow-https");
    emulator
        .faults()
        .inject(
            new FaultRule(
                "GET",
                "/operationResults/",
                Fault.tamperHeader(
                    "Location",
                    elsewhere.baseUrl()
                        + "/subscriptions/"
                        + SUBSCRIPTION
                        + "/providers/Microsoft.Network/locations/westeurope/operationResults/x"),
                1));

    ApiException e =
        assertThrows(
            ApiException.class, () -> network.deleteSecurityRule(NSG, read.name(), read.etag()));

    assertEquals("UnexpectedLink", e.code(), e.getMessage());
    assertEquals(List.of(), elsewhere.requests());
    assertEquals(1, sent("GET", "/operationResults/").size());
  }

  @Test
  void anNsgInAnotherSubscriptionIsReadAndWrittenThere() {
    String other = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    ObjectNode nsg = emulator.state().networkSecurityGroup(NSG).orElseThrow();
    String otherId = NSG.replace(SUBSCRIPTION, other);
    nsg.put("id", otherId);
    nsg.path("properties")
        .path("securityRules")
        .forEach(
            r -> ((ObjectNode) r).put("id", otherId + "/securityRules/" + r.path("name").asText()));
    emulator.state().putNetworkSecurityGroup(nsg);

    assertEquals(otherId, network.getNetworkSecurityGroup(otherId).id());
    network.putDenyRule(otherId, BLOCK, null);
    assertEquals(NSG, network.getNetworkSecurityGroup(NSG).id());

    RecordedRequest put = sent("PUT", "/securityRules/block-attackers").get(0);
    assertTrue(put.path().startsWith("/subscriptions/" + other + "/"), put.path());
    assertTrue(
        sent("GET", "/operations/").stream()
            .allMatch(p -> p.path().startsWith("/subscriptions/" + other + "/")));
    assertFalse(
        network.getNetworkSecurityGroup(NSG).rules().stream()
            .anyMatch(r -> r.name().equals("block-attackers")),
        "the NSG of the same name in the first subscription is untouched");
  }

  @Test
  void anIpGroupIsWrittenOnItsEtagWithItsLocationAndTagsKept() throws Exception {
    ObjectNode stored = emulator.state().ipGroup(IP_GROUP).orElseThrow();
    stored.putObject("tags").put("owner", "soc").put("purpose", "blocks");
    emulator.state().putIpGroup(stored);
    IpGroup read = network.getIpGroup(IP_GROUP);
    assertEquals(Map.of("owner", "soc", "purpose", "blocks"), read.tags());

    List<String> addresses = new java.util.ArrayList<>(read.ipAddresses());
    addresses.add("203.0.113.45");
    network.putIpGroupAddresses(read, addresses);

    RecordedRequest put = sent("PUT", "/ipGroups/ipg-blocked-attackers").get(0);
    assertEquals(read.etag(), put.header("If-Match"));
    JsonNode body = JSON.readTree(put.body());
    assertEquals("westeurope", body.path("location").asText());
    assertEquals("{\"owner\":\"soc\",\"purpose\":\"blocks\"}", body.path("tags").toString());
    assertEquals(addresses, network.getIpGroup(IP_GROUP).ipAddresses());
  }

  /**
   * The SDK's requests go through the shared pipeline on the caller's thread: a 429 is waited out
   * for its {@code Retry-After} by the injected clock (no wall-clock sleep), then retried.
   */
  @Test
  void aThrottledReadIsRetriedAfterItsRetryAfterByTheInjectedClock() {
    emulator
        .faults()
        .inject(new FaultRule("GET", "/networkSecurityGroups/nsg-web$", Fault.status(429, 3), 1));

    assertEquals(NSG, network.getNetworkSecurityGroup(NSG).id());

    assertEquals(List.of(Duration.ofSeconds(3)), waiter.waits());
    assertEquals(2, sent("GET", "/networkSecurityGroups/nsg-web").size());
  }

  @Test
  void noWaitIsMadePastTheRunsDeadline() {
    emulator
        .faults()
        .inject(new FaultRule("GET", "/networkSecurityGroups/nsg-web$", Fault.status(429, 30), 1));

    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                RunDeadline.within(
                    waiter.clock().instant().plusSeconds(20),
                    () -> network.getNetworkSecurityGroup(NSG)));

    assertEquals(429, e.status());
    assertEquals(List.of(), waiter.waits(), "a 30 s wait would end past the run's deadline");
  }

  @Test
  void anAnswerTheSdkCannotReadIsAnApiExceptionAndNoWriteFollows() {
    emulator
        .faults()
        .inject(
            new FaultRule(
                "GET",
                "/networkSecurityGroups/nsg-web$",
                Fault.tamperField("properties", "not an object"),
                1));

    ApiException e = assertThrows(ApiException.class, () -> network.getNetworkSecurityGroup(NSG));

    assertEquals("Azure Network", e.service());
    assertEquals("MalformedResponse", e.code(), e.getMessage());
  }

  @Test
  void anErrorAnswerIsAnApiExceptionWithTheServicesCode() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> network.getNetworkSecurityGroup(NSG.replace("nsg-web", "nsg-missing")));

    assertEquals(404, e.status(), e.getMessage());
    assertTrue(e.isNotFound());
    assertFalse(e.code().isBlank(), e.getMessage());
  }
}
