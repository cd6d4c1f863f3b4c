package org.sentinelplaybooks.clients.defender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.FakeWaiter;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Scenario;

/**
 * The indicators client keeps under both of the API's windows, "100 calls per minute and 1500 calls
 * per hour" (MicrosoftDocs/defender-docs defender-endpoint/api/post-ti-indicator.md), timed by a
 * clock the test moves and shares with the emulator.
 */
class DefenderForEndpointClientTest {
  Emulator emulator;
  FakeWaiter waiter;
  DefenderForEndpointClient mde;

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.builtIn("attack"));
    waiter = new FakeWaiter();
    emulator.state().setMdeClock(waiter.clock());
    mde =
        DefenderForEndpointClient.builder()
            .endpoint(emulator.baseUrl())
            .buildClient()
            .withPacing(waiter);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void aFullMinuteWaitsOnTheClockAndTheServiceNeverThrottles() {
    for (int i = 0; i <= DefenderForEndpointClient.CALLS_PER_MINUTE; i++) {
      mde.blockIpAddress(
          "203.0.113." + (i % 200 + 1),
          OffsetDateTime.parse("2026-11-08T08:00:00Z"),
          "Attacker",
          "Sentinel incident 4217");
    }

    assertEquals(List.of(Duration.ofMinutes(1)), waiter.waits(), "waited one minute");
    assertEquals(
        DefenderForEndpointClient.CALLS_PER_MINUTE + 1,
        emulator.requests().stream().filter(r -> r.status() == 200).count());
  }

  @Test
  void aCallPastTheHoursBudgetFailsAtOnceAndIsNotSent() {
    for (int i = 0; i < DefenderForEndpointClient.CALLS_PER_HOUR; i++) {
      mde.findIndicators("203.0.113.45");
    }
    Instant spent = waiter.clock().instant();
    emulator.clearRequests();

    DefenderForEndpointClient.CallBudgetSpentException e =
        assertThrows(
            DefenderForEndpointClient.CallBudgetSpentException.class,
            () -> mde.findIndicators("203.0.113.45"));

    assertEquals(429, e.status());
    assertTrue(e.getMessage().contains("1,500 indicator calls an hour"), e.getMessage());
    assertTrue(e.getMessage().contains("2026-11-01T01:00:00Z"), e.getMessage());
    assertEquals(spent, waiter.clock().instant(), "no wait");
    assertEquals(0, emulator.requests().size(), "nothing was sent");
    waiter.sleep(Duration.between(spent, Instant.parse("2026-11-01T01:00:00Z")));
    assertEquals(0, mde.findIndicators("203.0.113.45").size(), "the next hour has room");
  }
}
