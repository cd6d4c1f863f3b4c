package org.sentinelplaybooks.playbooks.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.emulator.ManualClock;

/** Leases and remembered statuses in memory, timed by the clock the store is given. */
class InMemoryCheckpointStoreTest {
  static final String WORKSPACE = "/subscriptions/s/resourceGroups/r/workspaces/w";
  static final Instant START = Instant.parse("2026-11-01T08:00:00Z");

  @Test
  void aLeaseHoldsUntilItEndsByTheClock() {
    ManualClock clock = new ManualClock(START);
    InMemoryCheckpointStore store = new InMemoryCheckpointStore(clock);

    Checkpoint first = store.acquire(WORKSPACE, "run-1", Duration.ofMinutes(10)).orElseThrow();
    assertEquals(START.plus(Duration.ofMinutes(10)), first.leaseUntil());
    assertEquals("run-1", store.all().get(0).heldBy());

    clock.advance(Duration.ofMinutes(10).minusSeconds(1));
    assertTrue(store.acquire(WORKSPACE, "run-2", Duration.ofMinutes(10)).isEmpty(), "still held");

    clock.advance(Duration.ofSeconds(1));
    assertNull(store.all().get(0).heldBy(), "the lease has ended");
    assertEquals(
        "run-2",
        store.acquire(WORKSPACE, "run-2", Duration.ofMinutes(10)).orElseThrow().leaseOwner());
  }

  @Test
  void statusesAreRememberedAtTheClocksTime() {
    ManualClock clock = new ManualClock(START);
    InMemoryCheckpointStore store = new InMemoryCheckpointStore(clock);
    store.rememberStatus(WORKSPACE, "old", "Closed");
    clock.advance(Duration.ofHours(2));
    store.rememberStatus(WORKSPACE, "new", "Closed");

    store.forgetStatusesBefore(WORKSPACE, START.plus(Duration.ofHours(1)), "Held");

    assertEquals(java.util.Map.of("new", "Closed"), store.statuses(WORKSPACE));
  }
}
