package org.sentinelplaybooks.playbooks.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentinelplaybooks.playbooks.block.BlockIpPlaybookTest.BLOCK;
import static org.sentinelplaybooks.playbooks.block.BlockIpPlaybookTest.NSG_TARGET;
import static org.sentinelplaybooks.playbooks.block.BlockIpPlaybookTest.RULE_V4;
import static org.sentinelplaybooks.playbooks.block.BlockIpPlaybookTest.action;
import static org.sentinelplaybooks.playbooks.block.BlockIpPlaybookTest.body;
import static org.sentinelplaybooks.playbooks.block.BlockIpPlaybookTest.rulePrefixes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.defender.DefenderForEndpointClient;
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
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.state.BlockRecord;
import org.sentinelplaybooks.playbooks.state.BlockStore;
import org.sentinelplaybooks.playbooks.state.TableBlockStore;

/**
 * block-ip and expire-blocks where an attacker or the services push back: more addresses than a run
 * takes, Defender for Endpoint's call budgets, writes that land before a failure, and a renewal
 * racing a lift. Interleavings are made by a store that runs the other side at a chosen point, and
 * time by a clock the test moves; nothing sleeps.
 */
class BlockIpUnderPressureTest extends PlaybookTest {

  static String bodyWithTtl(String ttl, String... ips) {
    ObjectNode body = (ObjectNode) json(body(ips));
    return body.put("ttl", ttl).toString();
  }

  TableBlockStore tableStore() {
    return new TableBlockStore(azure.clients.tables().orElseThrow());
  }

  /** block-ip on its own pool and store, with Defender for Endpoint paced by {@code mde}. */
  BlockIpPlaybook playbook(Parallel parallel, DefenderForEndpointClient mde, BlockStore store) {
    List<Blocker> blockers =
        new ArrayList<>(Playbooks.blockers(azure.settings, azure.clients, parallel));
    blockers.removeIf(b -> b instanceof MdeBlocker);
    blockers.add(new MdeBlocker(mde, parallel));
    return new BlockIpPlaybook(
        azure.settings, azure.clients.sentinel(), blockers, store, parallel, azure.clients.clock());
  }

  PlaybookResult run(BlockIpPlaybook playbook, String body) {
    return playbook.run(
        PlaybookRequest.parse(body), new RunContext(false, azure.log, azure.clients.clock()));
  }

  ExpireBlocks expireBlocks(BlockStore store) {
    return new ExpireBlocks(
        azure.clients.sentinel(),
        Playbooks.blockers(azure.settings, azure.clients, Parallel.shared()),
        store);
  }

  DefenderForEndpointClient pacedBy(ManualClock clock) {
    azure.emulator.state().setMdeClock(clock);
    return azure
        .clients
        .defenderForEndpoint()
        .orElseThrow()
        .withPacing(EmulatedAzure.waiterOn(clock));
  }

  List<RecordedRequest> requests(String method, String pathPart) {
    return azure.emulator.requests().stream()
        .filter(r -> r.method().equals(method) && r.path().contains(pathPart))
        .toList();
  }

  @Test
  void moreAddressesThanBlockMaxAddressesInTheRequestIsBadInputAndNothingIsSent() {
    String[] ips = new String[BlockSettings.DEFAULT_MAX_ADDRESSES + 1];
    for (int i = 0; i < ips.length; i++) {
      ips[i] = "45.33.0." + (i + 1);
    }

    BadInputException e = assertThrows(BadInputException.class, () -> azure.run(BLOCK, body(ips)));

    assertEquals("ips", e.field());
    assertTrue(e.getMessage().contains("51 addresses"), e.getMessage());
    assertTrue(e.getMessage().contains(BlockSettings.BLOCK_MAX_ADDRESSES + ")"), e.getMessage());
    assertEquals(List.of(), azure.writes());
  }

  @Test
  void entitiesPastTheCapAreRefusedAndTheRunStaysOnItsBoundedPool() {
    List<ObjectNode> entities = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      ObjectNode ip = TestJson.object().put("kind", "Ip");
      ip.putObject("properties").put("address", "45.33." + (i / 250) + "." + (i % 250 + 1));
      entities.add(ip);
    }
    azure.emulator.state().setIncidentEntities(EmulatedAzure.INCIDENT, entities);
    AtomicInteger threads = new AtomicInteger();
    Parallel pool =
        Parallel.bounded(
            4,
            task -> {
              threads.incrementAndGet();
              Thread thread = new Thread(task);
              thread.setDaemon(true);
              return thread;
            });
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));

    PlaybookResult result = run(playbook(pool, pacedBy(clock), tableStore()), body());

    assertEquals(50, rulePrefixes(azure, RULE_V4).size(), "BLOCK_MAX_ADDRESSES defaults to 50");
    assertEquals(50, requests("POST", "/api/indicators").size());
    ActionResult refused =
        result.actions().stream()
            .filter(a -> a.outcome() == Outcome.REFUSED)
            .findFirst()
            .orElseThrow(() -> new AssertionError(result.toString()));
    assertTrue(refused.detail().startsWith("1450 more Ip entities past "), refused.detail());
    assertTrue(refused.detail().contains(BlockSettings.BLOCK_MAX_ADDRESSES), refused.detail());
    assertTrue(threads.get() <= 4, threads.get() + " threads for one run on a pool of 4");
    assertTrue(
        requests("POST", "/api/indicators").stream().allMatch(r -> r.status() == 200),
        "paced under the service's minute");
  }

  /**
   * "100 calls per minute and 1500 calls per hour" (MicrosoftDocs/defender-docs
   * defender-endpoint/api/post-ti-indicator.md): with the hour nearly spent, the addresses left
   * fail with that reason at once, rather than waiting for the next hour.
   */
  @Test
  void whenTheHoursBudgetRunsOutTheAddressesLeftFailWithThatReason() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));
    DefenderForEndpointClient mde = pacedBy(clock);
    for (int i = 0; i < DefenderForEndpointClient.CALLS_PER_HOUR - 10; i++) {
      mde.findIndicators("198.51.100.1");
    }
    Instant spentAt = clock.instant();
    azure.emulator.clearRequests();
    String[] ips = new String[8];
    for (int i = 0; i < ips.length; i++) {
      ips[i] = "203.0.113." + (i + 1);
    }

    PlaybookResult result = run(playbook(Parallel.shared(), mde, tableStore()), body(ips));

    ActionResult indicators = action(result, MdeBlocker.TARGET);
    assertEquals(Outcome.FAILED, indicators.outcome(), result.toString());
    assertTrue(
        indicators.detail().contains("allows 1,500 indicator calls an hour"), indicators.detail());
    assertEquals(2, requests("POST", "/api/indicators").size(), "8 look-ups and 2 submits fit");
    assertEquals(
        List.of(),
        azure.emulator.requests().stream().filter(r -> r.status() == 429).toList(),
        "the service never had to refuse a call");
    assertTrue(
        Duration.between(spentAt, clock.instant()).compareTo(Duration.ofMinutes(2)) < 0,
        "no wait for the next hour");
    assertEquals(Outcome.DONE, action(result, NSG_TARGET).outcome(), "the other targets block");
  }

  @Test
  void aWriteThatLandsBeforeAFailureIsRecordedAndLifted() {
    ManualClock clock = onAClock();
    azure
        .emulator
        .faults()
        .inject(new FaultRule("GET", "/operations/", Fault.status(500, null), 1000));

    PlaybookResult result = azure.run(BLOCK, bodyWithTtl("PT1H", "203.0.113.45"));

    assertEquals(Outcome.FAILED, action(result, NSG_TARGET).outcome(), result.toString());
    assertEquals(List.of("203.0.113.45"), rulePrefixes(azure, RULE_V4), "the rule landed");
    BlockRecord record = tableStore().get(NSG_TARGET, "203.0.113.45").orElseThrow();
    assertTrue(record.expiresAt().isBefore(clock.instant().plus(Duration.ofHours(2))));

    azure.emulator.faults().clear();
    azure
        .playbooks
        .expireBlocks()
        .run(
            clock.instant().plus(Duration.ofHours(2)),
            new RunContext(false, azure.log, azure.clients.clock()));

    assertEquals(List.of(), rulePrefixes(azure, RULE_V4), "lifted although the run failed");
    assertTrue(tableStore().get(NSG_TARGET, "203.0.113.45").isEmpty());
  }

  @Test
  void aRunThatReadBeforeAnotherWroteNeverShortensTheExpiry() {
    azure.run(BLOCK, bodyWithTtl("P30D", "203.0.113.45"));
    Instant thirtyDays = tableStore().get(NSG_TARGET, "203.0.113.45").orElseThrow().expiresAt();
    azure.emulator.clearRequests();
    // The second run read the blocks table before the first one wrote it.
    BlockStore readBeforeTheFirstWrote =
        new Interleaved(tableStore()) {
          @Override
          public Optional<BlockRecord> get(String target, String address) {
            return Optional.empty();
          }
        };

    run(
        playbook(
            Parallel.shared(),
            azure.clients.defenderForEndpoint().orElseThrow(),
            readBeforeTheFirstWrote),
        bodyWithTtl("P1D", "203.0.113.45"));

    for (String target :
        List.of(NSG_TARGET, BlockIpPlaybookTest.IP_GROUP_TARGET, MdeBlocker.TARGET)) {
      assertEquals(
          thirtyDays,
          tableStore().get(target, "203.0.113.45").orElseThrow().expiresAt(),
          "the later expiry stays at " + target);
    }
    assertEquals(List.of(), requests("POST", "/api/indicators"), "the indicator is not shortened");
  }

  @Test
  void aBlockRenewedAfterExpireBlocksReadItIsNotLifted() {
    ManualClock clock = onAClock();
    azure.run(BLOCK, bodyWithTtl("PT1H", "203.0.113.45"));
    Interleaved store =
        new Interleaved(tableStore()) {
          @Override
          public List<BlockRecord> expired(Instant now) {
            List<BlockRecord> expired = super.expired(now);
            azure.run(BLOCK, bodyWithTtl("P1D", "203.0.113.45"));
            azure.emulator.clearRequests();
            return expired;
          }
        };

    PlaybookResult lifted =
        expireBlocks(store).run(clock.instant().plus(Duration.ofHours(2)), runContext());

    assertEquals(List.of("203.0.113.45"), rulePrefixes(azure, RULE_V4), lifted.toString());
    assertEquals(List.of(), azure.writes(), "nothing was taken off any target");
    assertTrue(
        lifted.actions().stream().allMatch(a -> a.detail().startsWith("renewed since")),
        lifted.toString());
    assertTrue(
        tableStore()
            .get(NSG_TARGET, "203.0.113.45")
            .orElseThrow()
            .expiresAt()
            .isAfter(clock.instant().plus(Duration.ofHours(20))));
  }

  @Test
  void aBlockRenewedWhileExpireBlocksLiftsItIsBlockedAgain() {
    ManualClock clock = onAClock();
    azure.run(BLOCK, bodyWithTtl("PT1H", "203.0.113.45"));
    Interleaved store =
        new Interleaved(tableStore()) {
          boolean renewed;

          @Override
          public Optional<BlockRecord> claim(BlockRecord read) {
            Optional<BlockRecord> claimed = super.claim(read);
            if (!renewed && read.target().equals(NSG_TARGET)) {
              renewed = true;
              azure.run(BLOCK, bodyWithTtl("P1D", "203.0.113.45"));
            }
            return claimed;
          }
        };

    PlaybookResult lifted =
        expireBlocks(store).run(clock.instant().plus(Duration.ofHours(2)), runContext());

    assertEquals(List.of("203.0.113.45"), rulePrefixes(azure, RULE_V4), lifted.toString());
    ActionResult reblocked =
        lifted.actions().stream()
            .filter(a -> a.target().equals(NSG_TARGET) && a.action().equals("reblock"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(lifted.toString()));
    assertEquals(Outcome.DONE, reblocked.outcome(), reblocked.toString());
    assertTrue(tableStore().get(NSG_TARGET, "203.0.113.45").isPresent(), "the fresh record stays");
  }

  RunContext runContext() {
    return new RunContext(false, azure.log, azure.clients.clock());
  }

  /** A store that passes everything through; a test overrides a step to run the other side. */
  static class Interleaved implements BlockStore {
    private final BlockStore inner;

    Interleaved(BlockStore inner) {
      this.inner = inner;
    }

    @Override
    public Optional<BlockRecord> get(String target, String address) {
      return inner.get(target, address);
    }

    @Override
    public Instant extend(BlockRecord wanted) {
      return inner.extend(wanted);
    }

    @Override
    public List<BlockRecord> expired(Instant now) {
      return inner.expired(now);
    }

    @Override
    public List<BlockRecord> all() {
      return inner.all();
    }

    @Override
    public Optional<BlockRecord> claim(BlockRecord read) {
      return inner.claim(read);
    }

    @Override
    public boolean remove(BlockRecord claimed) {
      return inner.remove(claimed);
    }
  }
}
