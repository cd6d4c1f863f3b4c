package org.sentinelplaybooks.playbooks.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.ManualClock;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.PlaybookTest;
import org.sentinelplaybooks.playbooks.TestJson;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.state.TableBlockStore;

class BlockIpPlaybookTest extends PlaybookTest {
  static final String BLOCK = BlockIpPlaybook.NAME;
  static final String NSG_TARGET = "nsg:" + EmulatedAzure.NSG;
  static final String IP_GROUP_TARGET = "ip-group:" + EmulatedAzure.IP_GROUP;
  static final String LOCATION_TARGET = "named-location:" + EmulatedAzure.NAMED_LOCATION;
  static final String RULE_V4 = "sentinel-playbooks-block-ipv4-1";

  static String body(String... ips) {
    ObjectNode body = TestJson.object().put("incidentId", EmulatedAzure.INCIDENT);
    if (ips.length > 0) {
      ArrayNode list = body.putArray("ips");
      for (String ip : ips) {
        list.add(ip);
      }
    }
    return body.toString();
  }

  static ActionResult action(PlaybookResult result, String target) {
    return result.actions().stream()
        .filter(a -> a.target().equals(target) && a.action().equals("block"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no block action on " + target + ": " + result));
  }

  List<String> rulePrefixes(String rule) {
    return rulePrefixes(azure, rule);
  }

  static List<String> rulePrefixes(EmulatedAzure azure, String rule) {
    JsonNode nsg = azure.emulator.state().networkSecurityGroup(EmulatedAzure.NSG).orElseThrow();
    for (JsonNode r : nsg.path("properties").path("securityRules")) {
      if (r.path("name").asText().equals(rule)) {
        List<String> prefixes = new ArrayList<>();
        r.path("properties").path("sourceAddressPrefixes").forEach(p -> prefixes.add(p.asText()));
        return prefixes;
      }
    }
    return List.of();
  }

  List<String> ipGroupAddresses() {
    List<String> addresses = new ArrayList<>();
    azure
        .emulator
        .state()
        .ipGroup(EmulatedAzure.IP_GROUP)
        .orElseThrow()
        .path("properties")
        .path("ipAddresses")
        .forEach(a -> addresses.add(a.asText()));
    return addresses;
  }

  List<String> namedLocationRanges() {
    return azure
        .emulator
        .state()
        .namedLocation(EmulatedAzure.NAMED_LOCATION)
        .orElseThrow()
        .path("ipRanges")
        .findValuesAsText("cidrAddress");
  }

  List<RecordedRequest> writesTo(String method, String pathPart) {
    return azure.writes().stream()
        .filter(r -> r.method().equals(method) && r.path().contains(pathPart))
        .toList();
  }

  @Test
  void theIncidentsAttackerIsBlockedOnAllFourTargetsWithExactRequests() {
    ManualClock clock = onAClock();
    PlaybookResult result = azure.run(BLOCK, body());

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    for (String target : List.of(NSG_TARGET, IP_GROUP_TARGET, LOCATION_TARGET, MdeBlocker.TARGET)) {
      assertEquals(Outcome.DONE, action(result, target).outcome(), result.toString());
    }

    RecordedRequest rule = writesTo("PUT", "/securityRules/" + RULE_V4).get(0);
    assertEquals("*", rule.header("If-None-Match"), "a new rule may not overwrite another's");
    JsonNode properties = json(rule.body()).path("properties");
    assertEquals("Deny", properties.path("access").asText());
    assertEquals("Inbound", properties.path("direction").asText());
    assertEquals(100, properties.path("priority").asInt());
    assertEquals("[\"203.0.113.45\"]", properties.path("sourceAddressPrefixes").toString());
    assertEquals(List.of("203.0.113.45"), rulePrefixes(RULE_V4));
    assertEquals(List.of("allow-https"), otherRules(), "the NSG's own rule is left alone");
    assertTrue(
        azure.emulator.requests().stream()
            .anyMatch(
                r ->
                    r.method().equals("GET")
                        && r.path().contains("/providers/Microsoft.Network/locations/")
                        && r.path().contains("/operations/")),
        "the rule's async operation is followed");

    RecordedRequest group = writesTo("PUT", "/ipGroups/").get(0);
    assertNotNull(group.header("If-Match"), "the IP Group is written on the etag it was read at");
    assertEquals(
        "[\"198.51.100.200\",\"203.0.113.45\"]",
        json(group.body()).path("properties").path("ipAddresses").toString());
    assertEquals("westeurope", json(group.body()).path("location").asText());

    RecordedRequest location = writesTo("PATCH", "/namedLocations/").get(0);
    JsonNode patch = json(location.body());
    assertEquals("#microsoft.graph.ipNamedLocation", patch.path("@odata.type").asText());
    assertEquals(
        List.of("198.51.100.201/32", "203.0.113.45/32"),
        patch.path("ipRanges").findValuesAsText("cidrAddress"),
        "the existing range is kept");
    assertEquals(List.of("198.51.100.201/32", "203.0.113.45/32"), namedLocationRanges());

    RecordedRequest indicator = writesTo("POST", "/api/indicators").get(0);
    JsonNode submitted = json(indicator.body());
    assertEquals("203.0.113.45", submitted.path("indicatorValue").asText());
    assertEquals("IpAddress", submitted.path("indicatorType").asText());
    assertEquals("Block", submitted.path("action").asText());
    Duration ttl =
        Duration.between(
            clock.instant(), OffsetDateTime.parse(submitted.path("expirationTime").asText()));
    assertTrue(
        ttl.compareTo(Duration.ofDays(7).minusMinutes(5)) > 0
            && ttl.compareTo(Duration.ofDays(7)) <= 0,
        "expires after BLOCK_TTL (P7D): " + ttl);
    assertTrue(submitted.path("description").asText().contains("Sentinel incident"));

    List<ObjectNode> comments = azure.emulator.state().comments(EmulatedAzure.INCIDENT);
    assertEquals(1, comments.size());
    String comment = comments.get(0).path("properties").path("message").asText();
    assertTrue(comment.contains("block-ip") && comment.contains("203.0.113.45"), comment);

    TableBlockStore blocks = new TableBlockStore(azure.clients.tables().orElseThrow());
    for (String target : List.of(NSG_TARGET, IP_GROUP_TARGET, LOCATION_TARGET, MdeBlocker.TARGET)) {
      assertTrue(blocks.get(target, "203.0.113.45").isPresent(), "recorded for " + target);
    }
  }

  private List<String> otherRules() {
    JsonNode nsg = azure.emulator.state().networkSecurityGroup(EmulatedAzure.NSG).orElseThrow();
    return nsg.path("properties").path("securityRules").findValuesAsText("name").stream()
        .filter(n -> !n.startsWith(NsgBlocker.RULE_PREFIX))
        .toList();
  }

  @Test
  void aSecondRunWritesNothingAndSaysAlready() {
    azure.run(BLOCK, body());
    azure.emulator.clearRequests();

    PlaybookResult again = azure.run(BLOCK, body());

    assertEquals(RunStatus.SUCCEEDED, again.status());
    assertEquals(List.of(), azure.writes(), "a second run writes nothing");
    for (String target : List.of(NSG_TARGET, IP_GROUP_TARGET, LOCATION_TARGET, MdeBlocker.TARGET)) {
      assertEquals(Outcome.ALREADY, action(again, target).outcome(), again.toString());
    }
    assertEquals(1, azure.emulator.state().comments(EmulatedAzure.INCIDENT).size());
  }

  @Test
  void aRunAfterTheBlockExpiredBlocksForAFreshTtl() {
    ManualClock clock = onAClock();
    azure.run(BLOCK, body());
    // The block has expired and expire-blocks has not lifted it yet.
    Instant past = clock.instant().minus(Duration.ofHours(1));
    com.azure.data.tables.TableClient table =
        azure.clients.tables().orElseThrow().getTableClient(TableBlockStore.TABLE);
    for (com.azure.data.tables.models.TableEntity row : table.listEntities()) {
      table.updateEntity(
          new com.azure.data.tables.models.TableEntity(row.getPartitionKey(), row.getRowKey())
              .addProperty("ExpiresAt", past.atOffset(java.time.ZoneOffset.UTC)));
    }

    azure.run(BLOCK, body());

    TableBlockStore blocks = new TableBlockStore(azure.clients.tables().orElseThrow());
    for (String target : List.of(NSG_TARGET, IP_GROUP_TARGET, LOCATION_TARGET, MdeBlocker.TARGET)) {
      Instant expiresAt = blocks.get(target, "203.0.113.45").orElseThrow().expiresAt();
      assertTrue(
          expiresAt.isAfter(clock.instant().plus(Duration.ofDays(7)).minus(Duration.ofMinutes(5))),
          target + " blocked until " + expiresAt + ", a past expiry kept");
    }
    assertEquals(List.of(), blocks.expired(clock.instant()), "nothing for expire-blocks to lift");
  }

  @Test
  void ipv6IsBlockedWhereItCanBeAndSkippedByTheIpGroup() {
    PlaybookResult result = azure.run(BLOCK, body("2001:db8:abcd::17", "2001:DB8:1::/48"));

    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(
        List.of("2001:db8:abcd::17", "2001:db8:1::/48"),
        rulePrefixes("sentinel-playbooks-block-ipv6-1"));
    assertEquals(List.of(), rulePrefixes(RULE_V4));
    ActionResult group = action(result, IP_GROUP_TARGET);
    assertEquals(Outcome.SKIPPED, group.outcome());
    assertTrue(group.detail().contains("IPv4 only"), group.detail());
    assertEquals(List.of("198.51.100.200"), ipGroupAddresses());
    assertTrue(
        namedLocationRanges().contains("2001:db8:abcd::17/128"), namedLocationRanges().toString());
    JsonNode range =
        json(writesTo("PATCH", "/namedLocations/").get(0).body()).path("ipRanges").get(2);
    assertEquals("#microsoft.graph.iPv6CidrRange", range.path("@odata.type").asText());
    List<String> indicators =
        azure.emulator.state().mdeIndicators().stream()
            .map(i -> i.path("indicatorValue").asText())
            .toList();
    assertEquals(List.of("2001:db8:abcd::17"), indicators, "MDE takes single addresses only");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "fd12:3456::1",
        "127.0.0.1",
        "::1",
        "169.254.169.254",
        "fe80::1",
        "224.0.0.251",
        "ff02::1",
        "0.0.0.0",
        "::",
        "255.255.255.255",
        "100.64.12.1",
        "203.0.0.0/16",
        "2001:db8::/32",
        "not-an-ip",
        "203.0.113.300",
        "203.0.113.7/33"
      })
  void aRefusedOrMalformedAddressIsNamedAndNothingIsSent(String address) {
    BadInputException e =
        assertThrows(BadInputException.class, () -> azure.run(BLOCK, body("203.0.113.9", address)));

    assertEquals("ips", e.field());
    assertTrue(e.getMessage().contains(address), e.getMessage());
    assertEquals(List.of(), azure.writes());
    assertEquals(
        List.of(),
        azure.emulator.requests().stream()
            .filter(r -> r.path().contains("Microsoft.Network") || r.path().contains("indicators"))
            .toList(),
        "nothing is sent to an enforcement point");
  }

  @Test
  void anAddressOnTheNeverBlockListIsRefused() {
    azure.close();
    azure =
        EmulatedAzure.start(Map.of(BlockSettings.BLOCK_NEVER, "198.51.100.0/24, 2001:db8:ff::/48"));

    BadInputException e =
        assertThrows(BadInputException.class, () -> azure.run(BLOCK, body("198.51.100.9")));

    assertTrue(e.getMessage().contains("198.51.100.0/24"), e.getMessage());
    assertTrue(e.getMessage().contains(BlockSettings.BLOCK_NEVER), e.getMessage());
    assertEquals(List.of(), azure.writes());
  }

  @Test
  void theIncidentsPrivateAddressesAreReportedAndNeverSent() {
    ObjectNode privateIp = TestJson.object().put("kind", "Ip");
    privateIp.putObject("properties").put("address", "10.0.0.5");
    ObjectNode publicIp = TestJson.object().put("kind", "Ip");
    publicIp.putObject("properties").put("address", "203.0.113.45");
    azure
        .emulator
        .state()
        .setIncidentEntities(EmulatedAzure.INCIDENT, List.of(privateIp, publicIp));

    PlaybookResult result = azure.run(BLOCK, body());

    ActionResult refused =
        result.actions().stream()
            .filter(a -> a.target().equals("ip:10.0.0.5"))
            .findFirst()
            .orElseThrow();
    assertEquals(Outcome.REFUSED, refused.outcome());
    assertTrue(refused.detail().contains("private"), refused.detail());
    assertEquals(RunStatus.SUCCEEDED, result.status(), result.toString());
    assertEquals(List.of("203.0.113.45"), rulePrefixes(RULE_V4));
    assertFalse(
        azure.emulator.requests().stream()
            .filter(r -> !r.path().contains("Microsoft.SecurityInsights"))
            .anyMatch(r -> r.body().contains("10.0.0.5")),
        "a refused address goes to no enforcement point");
    String comment =
        azure
            .emulator
            .state()
            .comments(EmulatedAzure.INCIDENT)
            .get(0)
            .path("properties")
            .path("message")
            .asText();
    assertTrue(comment.contains("10.0.0.5") && comment.contains("private"), comment);
  }

  @Test
  void aTtlThatIsNotADurationOrTooLongIsBadInput() {
    BadInputException malformed =
        assertThrows(
            BadInputException.class,
            () ->
                azure.run(
                    BLOCK,
                    TestJson.object()
                        .put("incidentId", EmulatedAzure.INCIDENT)
                        .put("ttl", "7 days")
                        .toString()));
    assertEquals("ttl", malformed.field());
    assertTrue(malformed.getMessage().contains("'7 days'"), malformed.getMessage());

    BadInputException tooLong =
        assertThrows(
            BadInputException.class,
            () ->
                azure.run(
                    BLOCK,
                    TestJson.object()
                        .put("incidentId", EmulatedAzure.INCIDENT)
                        .put("ttl", "P365D")
                        .toString()));
    assertTrue(tooLong.getMessage().contains(BlockSettings.BLOCK_MAX_TTL), tooLong.getMessage());
    assertEquals(List.of(), azure.writes());
  }

  /** Puts a rule that is not ours into the NSG, holding {@code count} source prefixes. */
  void addForeignRule(String name, int priority, int count) {
    ObjectNode nsg = azure.emulator.state().networkSecurityGroup(EmulatedAzure.NSG).orElseThrow();
    ObjectNode rule = ((ArrayNode) nsg.path("properties").path("securityRules")).addObject();
    rule.put("name", name).put("id", EmulatedAzure.NSG + "/securityRules/" + name);
    ObjectNode properties = rule.putObject("properties");
    properties
        .put("protocol", "*")
        .put("sourcePortRange", "*")
        .put("destinationPortRange", "*")
        .put("destinationAddressPrefix", "*")
        .put("access", "Deny")
        .put("direction", "Inbound")
        .put("priority", priority);
    ArrayNode prefixes = properties.putArray("sourceAddressPrefixes");
    for (int i = 0; i < count; i++) {
      prefixes.add("198.18." + (i / 250) + "." + (i % 250 + 1));
    }
    azure.emulator.state().putNetworkSecurityGroup(nsg);
  }

  /**
   * Azure allows 4,000 source addresses and ranges per NSG, over all its rules (Learn, "Azure
   * subscription and service limits", networking; ../shared/contracts/network/limits.md): the NSG's
   * own rules count, and a block that would pass the total fails before any write.
   */
  @Test
  void anNsgFullOfOtherRulesPrefixesFailsBeforeWritingAndNamesTheIpGroup() {
    addForeignRule("deny-scanners", 300, NsgBlocker.PREFIXES_PER_NSG - 1);

    PlaybookResult full = azure.run(BLOCK, body("203.0.113.45", "203.0.113.46"));

    ActionResult failed = action(full, NSG_TARGET);
    assertEquals(Outcome.FAILED, failed.outcome(), full.toString());
    assertTrue(failed.detail().contains("the NSG is full"), failed.detail());
    assertTrue(failed.detail().contains("IP Group on Azure Firewall"), failed.detail());
    assertEquals(List.of(), writesTo("PUT", "/securityRules/"), "no write that would pass it");
    assertEquals(Outcome.DONE, action(full, IP_GROUP_TARGET).outcome(), "the others still block");

    PlaybookResult fits = azure.run(BLOCK, body("203.0.113.45"));
    assertEquals(Outcome.DONE, action(fits, NSG_TARGET).outcome(), fits.toString());
    assertEquals(List.of("203.0.113.45"), rulePrefixes(RULE_V4));
  }

  @Test
  void noRuleIsOpenedPastPriority4096() {
    azure.close();
    azure = EmulatedAzure.start(Map.of(BlockSettings.BLOCK_NSG_RULE_PRIORITY, "4096"));
    addForeignRule("deny-last", 4096, 1);

    PlaybookResult result = azure.run(BLOCK, body("203.0.113.45"));

    ActionResult failed = action(result, NSG_TARGET);
    assertEquals(Outcome.FAILED, failed.outcome(), result.toString());
    assertTrue(failed.detail().contains("4096"), failed.detail());
    assertEquals(List.of(), writesTo("PUT", "/securityRules/"));
  }

  @Test
  void anIpGroupAtItsLimitFailsAloneAndTheOthersAreBlocked() {
    ObjectNode group = azure.emulator.state().ipGroup(EmulatedAzure.IP_GROUP).orElseThrow();
    ArrayNode addresses = ((ObjectNode) group.path("properties")).putArray("ipAddresses");
    for (int i = 0; i < IpGroupBlocker.ADDRESSES_PER_GROUP; i++) {
      addresses.add("198.18." + (i / 250) + "." + (i % 250 + 1));
    }
    azure.emulator.state().putIpGroup(group);

    PlaybookResult result = azure.run(BLOCK, body("203.0.113.45"));

    assertEquals(RunStatus.PARTIAL, result.status());
    ActionResult failed = action(result, IP_GROUP_TARGET);
    assertEquals(Outcome.FAILED, failed.outcome());
    assertTrue(failed.detail().contains("5000"), failed.detail());
    assertEquals(List.of(), writesTo("PUT", "/ipGroups/"));
    assertEquals(Outcome.DONE, action(result, NSG_TARGET).outcome());
    assertEquals(Outcome.DONE, action(result, LOCATION_TARGET).outcome());
    assertEquals(Outcome.DONE, action(result, MdeBlocker.TARGET).outcome());
    TableBlockStore blocks = new TableBlockStore(azure.clients.tables().orElseThrow());
    assertTrue(
        blocks.get(IP_GROUP_TARGET, "203.0.113.45").isPresent(),
        "recorded before it was tried, so that whatever lands is lifted");
  }

  @Test
  void twoConcurrentRunsKeepEachOthersAddresses() {
    azure.emulator.faults().setLatency(Duration.ofMillis(30));

    CompletableFuture<PlaybookResult> first =
        CompletableFuture.supplyAsync(() -> azure.run(BLOCK, body("203.0.113.10")));
    CompletableFuture<PlaybookResult> second =
        CompletableFuture.supplyAsync(() -> azure.run(BLOCK, body("198.51.100.20")));

    assertEquals(RunStatus.SUCCEEDED, first.join().status(), first.join().toString());
    assertEquals(RunStatus.SUCCEEDED, second.join().status(), second.join().toString());
    List<String> rule = rulePrefixes(RULE_V4);
    assertTrue(rule.containsAll(List.of("203.0.113.10", "198.51.100.20")), rule.toString());
    assertTrue(
        ipGroupAddresses().containsAll(List.of("198.51.100.200", "203.0.113.10", "198.51.100.20")),
        ipGroupAddresses().toString());
    assertTrue(
        namedLocationRanges()
            .containsAll(List.of("198.51.100.201/32", "203.0.113.10/32", "198.51.100.20/32")),
        namedLocationRanges().toString());
  }

  @Test
  void aConflictingWriteIsRedoneFromAFreshRead() {
    azure
        .emulator
        .faults()
        .inject(
            new FaultRule(
                "PUT",
                Pattern.quote("/ipGroups/ipg-blocked-attackers"),
                Fault.status(412, null),
                1));

    PlaybookResult result = azure.run(BLOCK, body("203.0.113.45"));

    assertEquals(Outcome.DONE, action(result, IP_GROUP_TARGET).outcome(), result.toString());
    List<Integer> statuses =
        writesTo("PUT", "/ipGroups/").stream().map(RecordedRequest::status).toList();
    assertEquals(List.of(412, 200), statuses);
    long reads =
        azure.emulator.requests().stream()
            .filter(
                r ->
                    r.method().equals("GET")
                        && r.path().endsWith("/ipGroups/ipg-blocked-attackers"))
            .count();
    assertEquals(2, reads, "read again after the conflict");
  }

  @Test
  void aDryRunPlansAndWritesNothing() {
    PlaybookResult result = azure.dryRun(BLOCK, body());

    assertTrue(result.dryRun());
    for (String target : List.of(NSG_TARGET, IP_GROUP_TARGET, LOCATION_TARGET, MdeBlocker.TARGET)) {
      assertEquals(Outcome.PLANNED, action(result, target).outcome(), result.toString());
    }
    assertEquals(List.of(), azure.writes());
    TableBlockStore blocks = new TableBlockStore(azure.clients.tables().orElseThrow());
    assertTrue(blocks.get(NSG_TARGET, "203.0.113.45").isEmpty(), "a dry run records nothing");
  }

  @Test
  void expiryLiftsExactlyTheExpiredAddresses() {
    ManualClock clock = onAClock();
    azure.run(
        BLOCK,
        TestJson.object()
            .put("incidentId", EmulatedAzure.INCIDENT)
            .put("ttl", "P1D")
            .set("ips", TestJson.MAPPER.createArrayNode().add("203.0.113.45"))
            .toString());
    azure.run(
        BLOCK,
        TestJson.object()
            .put("incidentId", EmulatedAzure.INCIDENT)
            .put("ttl", "P30D")
            .set("ips", TestJson.MAPPER.createArrayNode().add("198.51.100.77"))
            .toString());
    azure.emulator.clearRequests();

    PlaybookResult expired =
        azure
            .playbooks
            .expireBlocks()
            .run(
                clock.instant().plus(Duration.ofDays(2)),
                new RunContext(false, azure.log, azure.clients.clock()));

    assertEquals(RunStatus.SUCCEEDED, expired.status(), expired.toString());
    assertEquals(List.of("198.51.100.77"), rulePrefixes(RULE_V4));
    assertEquals(List.of("198.51.100.200", "198.51.100.77"), ipGroupAddresses());
    assertEquals(List.of("198.51.100.201/32", "198.51.100.77/32"), namedLocationRanges());
    assertEquals(List.of("allow-https"), otherRules());
    List<ObjectNode> comments = azure.emulator.state().comments(EmulatedAzure.INCIDENT);
    String last = comments.get(comments.size() - 1).path("properties").path("message").asText();
    assertTrue(last.contains("expire-blocks") && last.contains("203.0.113.45"), last);
    assertFalse(last.contains("198.51.100.77"), last);

    azure.emulator.clearRequests();
    PlaybookResult again =
        azure
            .playbooks
            .expireBlocks()
            .run(
                clock.instant().plus(Duration.ofDays(2)),
                new RunContext(false, azure.log, azure.clients.clock()));
    assertEquals(List.of(), again.actions(), "the records of lifted blocks are gone");
    assertEquals(List.of(), azure.writes());
  }

  @Test
  void theLastAddressOfARuleTakesTheRuleWithIt() {
    ManualClock clock = onAClock();
    azure.run(
        BLOCK,
        TestJson.object()
            .put("incidentId", EmulatedAzure.INCIDENT)
            .put("ttl", "PT1H")
            .set("ips", TestJson.MAPPER.createArrayNode().add("203.0.113.45"))
            .toString());

    azure
        .playbooks
        .expireBlocks()
        .run(
            clock.instant().plus(Duration.ofHours(2)),
            new RunContext(false, azure.log, azure.clients.clock()));

    assertEquals(
        List.of("allow-https"),
        azure
            .emulator
            .state()
            .networkSecurityGroup(EmulatedAzure.NSG)
            .orElseThrow()
            .path("properties")
            .path("securityRules")
            .findValuesAsText("name"));
    RecordedRequest delete = writesTo("DELETE", "/securityRules/" + RULE_V4).get(0);
    assertNotNull(delete.header("If-Match"));
  }

  /**
   * IPv6 forms that carry a private IPv4 (RFC 4291 ::/96, RFC 6052 NAT64, RFC 3056 6to4, RFC 4380
   * Teredo) and the IANA special-purpose ranges that are not globally reachable (RFC 6890, IANA
   * IPv4/IPv6 Special-Purpose Address Registries): refused with the range named, nothing sent.
   */
  @ParameterizedTest
  @CsvSource({
    "64:ff9b::10.0.0.1, 10.0.0.0/8",
    "2002:a00:1::/48, 10.0.0.0/8",
    "::10.0.0.1, 10.0.0.0/8",
    "2001:0:a00:1::/64, 10.0.0.0/8",
    "2001:0:cb00:712d::f5ff:fffe, 10.0.0.0/8",
    "64:ff9b:1:cb00:71:2d00::, 64:ff9b:1::/48",
    "2002:c0a8:101::/48, 192.168.0.0/16",
    "192.0.0.9, 192.0.0.0/24",
    "198.18.7.1, 198.18.0.0/15",
    "192.88.99.1, 192.88.99.0/24",
    "fec0::1, fec0::/10",
    "100::7, 100::/64",
    "2001:2::1, 2001::/23",
    "4000::1, 2000::/3"
  })
  void anIpv6FormCarryingAPrivateIpv4OrASpecialPurposeRangeIsRefusedByName(
      String address, String range) {
    BadInputException e =
        assertThrows(BadInputException.class, () -> azure.run(BLOCK, body("203.0.113.9", address)));

    assertEquals("ips", e.field());
    assertTrue(e.getMessage().contains(range), e.getMessage());
    assertTrue(e.getMessage().contains(address), e.getMessage());
    assertEquals(List.of(), azure.writes());
  }

  @Test
  void aNat64FormOfANeverBlockedAddressIsRefusedAndAPublicOneIsBlocked() {
    azure.close();
    azure = EmulatedAzure.start(Map.of(BlockSettings.BLOCK_NEVER, "198.51.100.0/24"));

    BadInputException e =
        assertThrows(
            BadInputException.class, () -> azure.run(BLOCK, body("64:ff9b::198.51.100.7")));
    assertTrue(e.getMessage().contains("198.51.100.0/24 on BLOCK_NEVER"), e.getMessage());
    assertEquals(List.of(), azure.writes());

    PlaybookResult allowed = azure.run(BLOCK, body("64:ff9b::203.0.113.7", "2002:cb00:7107::/48"));
    assertEquals(Outcome.DONE, action(allowed, NSG_TARGET).outcome(), allowed.toString());
    assertEquals(
        List.of("64:ff9b::cb00:7107", "2002:cb00:7107::/48"),
        rulePrefixes("sentinel-playbooks-block-ipv6-1"));
  }
}
