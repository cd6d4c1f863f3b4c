package org.sentinelplaybooks.playbooks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Calls at the same time on the executor a composition passes in, never more than the limit. */
class ParallelTest {
  /** How often a test looks at a thread it waits on before it gives up on it. */
  private static final int LOOKS = 50_000_000;

  @Test
  void onADirectExecutorEveryCallRunsOnItsCallersThreadOneAfterAnother() {
    Parallel direct = new Parallel(Runnable::run);
    Thread caller = Thread.currentThread();
    List<String> order = new ArrayList<>();

    List<Integer> results =
        direct.each(
            List.of(1, 2, 3),
            3,
            item -> {
              assertEquals(caller, Thread.currentThread());
              order.add("start " + item);
              int nested = Parallel.result(direct.call(() -> item * 10));
              order.add("end " + item);
              return nested;
            });

    assertEquals(List.of(10, 20, 30), results);
    assertEquals(
        List.of("start 1", "end 1", "start 2", "end 2", "start 3", "end 3"),
        order,
        "each call ends before the next starts");
  }

  @Test
  void aCallThatFailsOnADirectExecutorThrowsWhatTheCallThrew() {
    Parallel direct = new Parallel(Runnable::run);

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Parallel.result(
                    direct.call(
                        () -> {
                          throw new IllegalStateException("refused");
                        })));
    assertEquals("refused", e.getMessage());
  }

  @Test
  void aPermitIsTakenBeforeACallIsHandedToTheExecutor() throws Exception {
    // Lock-free, so that the run's thread waits on nothing but its permits or its calls.
    Queue<Runnable> handed = new ConcurrentLinkedQueue<>();
    Parallel held = new Parallel(handed::add);
    AtomicReference<List<String>> results = new AtomicReference<>();
    Thread run = new Thread(() -> results.set(held.each(List.of("a", "b", "c"), 2, c -> c)));
    run.setDaemon(true);
    run.start();

    waitUntilParked(run);
    assertEquals(2, handed.size(), "the third call waits for a permit, not in the executor");

    Runnable first = handed.remove();
    Runnable second = handed.remove();
    first.run();
    waitUntil(() -> !handed.isEmpty(), "the third call is handed over once a permit is free");
    Runnable third = handed.remove();
    second.run();
    third.run();
    run.join();
    assertEquals(List.of("a", "b", "c"), results.get());
  }

  private static void waitUntilParked(Thread thread) {
    waitUntil(() -> thread.getState() == Thread.State.WAITING, thread.getName() + " waits");
  }

  private static void waitUntil(BooleanSupplier condition, String what) {
    for (int look = 0; look < LOOKS; look++) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("never happened: " + what);
  }
}
