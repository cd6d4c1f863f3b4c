package org.sentinelplaybooks.clients.implementation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTest {
  @Test
  void buildsOnceWhicheverThreadAsksFirst() throws Exception {
    AtomicInteger builds = new AtomicInteger();
    Lazy<Object> lazy = new Lazy<>(() -> builds.incrementAndGet() > 0 ? new Object() : null);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return lazy.get();
                }));
      }
      start.countDown();
      for (Future<Object> result : results) {
        assertSame(lazy.get(), result.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, builds.get());
  }

  @Test
  void aNullValueIsKeptAndAFailedBuildIsTriedAgain() {
    AtomicInteger builds = new AtomicInteger();
    Lazy<String> none = new Lazy<>(() -> builds.incrementAndGet() > 0 ? null : "");
    assertNull(none.get());
    assertNull(none.get());
    assertEquals(1, builds.get());

    AtomicInteger tries = new AtomicInteger();
    Lazy<String> flaky =
        new Lazy<>(
            () -> {
              if (tries.incrementAndGet() == 1) {
                throw new IllegalStateException("first try fails");
              }
              return "built";
            });
    assertThrows(IllegalStateException.class, flaky::get);
    assertEquals("built", flaky.get());
  }
}
