package org.sentinelplaybooks.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.RunDeadline;
import org.sentinelplaybooks.clients.Waiter;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.FaultRule;
import org.sentinelplaybooks.emulator.ManualClock;
import org.sentinelplaybooks.playbooks.block.BlockIpPlaybook;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.RunContext;

/**
 * The run's deadline reaches every thread a run uses and every entry: a service asking to be
 * retried later holds no run past {@link RunDeadline#RUN_TIMEOUT}, whatever the call's own budget.
 * The clients wait by a test clock that only their waits move.
 */
class RunDeadlineReachTest {
  static final Duration MINUTE = Duration.ofMinutes(1);

  final ManualClock clock = new ManualClock(Instant.parse("2026-11-01T00:00:00Z"));
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  final Waiter waiter =
      new Waiter() {
        @Override
        public Clock clock() {
          return clock;
        }

        @Override
        public void sleep(Duration duration) {
          waits.add(duration);
          clock.advance(duration);
        }
      };

  /** Twenty tries of a minute each and an hour's budget: only the run's deadline stops sooner. */
  final ClientOptions patient =
      new ClientOptions(
          20,
          Duration.ofMillis(10),
          Duration.ofMillis(100),
          Duration.ofSeconds(5),
          MINUTE,
          Duration.ofHours(1),
          waiter);

  EmulatedAzure azure;

  @AfterEach
  void stop() {
    if (azure != null) {
      azure.close();
    }
  }

  @Test
  void aRetryAfterOnACallInsideAParallelTaskStopsAtTheRunDeadline() {
    azure = EmulatedAzure.start(patient);
    azure
        .emulator
        .faults()
        .inject(new FaultRule("GET", "/incidents/63883bf7", Fault.status(503, 30), 1));
    Parallel pool =
        Parallel.bounded(
            2,
            task -> {
              Thread thread = new Thread(task);
              thread.setDaemon(true);
              return thread;
            });

    CompletionException e =
        assertThrows(
            CompletionException.class,
            () ->
                RunDeadline.within(
                    clock.instant().plusSeconds(20),
                    () ->
                        pool.each(
                            List.of(EmulatedAzure.INCIDENT),
                            1,
                            id -> azure.clients.sentinel().getIncident(IncidentId.parse(id)))));

    assertEquals(503, assertInstanceOf(ApiException.class, e.getCause()).status());
    assertEquals(List.of(), waits, "a 30 s wait would end past the run's deadline");
    assertEquals(1, azure.emulator.requests().size());
  }

  @Test
  void aReconcileWaitsNoLongerThanARunLasts() {
    azure = EmulatedAzure.start(patient);
    azure.emulator.faults().inject(new FaultRule("GET", "/incidents$", Fault.status(503, 60), 20));

    try {
      azure.reconcile(EmulatedAzure.WORKSPACE, true);
    } catch (RuntimeException failed) {
      // The run fails with the service's answer; what matters here is how long it waited.
    }

    assertEquals(waitsOfARun(), waits);
  }

  @Test
  void anExpiryWaitsNoLongerThanARunLasts() {
    azure = EmulatedAzure.start(patient);
    azure.run(
        BlockIpPlaybook.NAME,
        TestJson.object()
            .put("incidentId", EmulatedAzure.INCIDENT)
            .put("ttl", "PT1H")
            .set("ips", TestJson.MAPPER.createArrayNode().add("203.0.113.45"))
            .toString());
    waits.clear();
    azure
        .emulator
        .faults()
        .inject(new FaultRule(null, "/networkSecurityGroups/nsg-web", Fault.status(503, 60), 20));

    azure.playbooks.expireBlocks(
        clock.instant().plus(Duration.ofHours(2)),
        new RunContext(false, azure.log, azure.clients.clock()));

    assertEquals(waitsOfARun(), waits.stream().filter(w -> !w.isZero()).toList());
  }

  /** A minute's waits while the next still ends within the run's time: nine of them. */
  static List<Duration> waitsOfARun() {
    return Collections.nCopies((int) RunDeadline.RUN_TIMEOUT.dividedBy(MINUTE), MINUTE);
  }
}
