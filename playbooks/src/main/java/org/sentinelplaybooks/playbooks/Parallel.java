package org.sentinelplaybooks.playbooks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/** Runs independent service calls at the same time, a bounded number per run. */
public final class Parallel {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService EXECUTOR =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "playbook-call-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  private Parallel() {}

  /** Applies {@code call} to every item, at most {@code limit} at once; results in item order. */
  public static <T, R> List<R> map(List<T> items, int limit, Function<T, R> call) {
    Semaphore permits = new Semaphore(Math.max(1, limit));
    List<CompletableFuture<R>> futures = new ArrayList<>();
    for (T item : items) {
      futures.add(
          CompletableFuture.supplyAsync(
              () -> {
                permits.acquireUninterruptibly();
                try {
                  return call.apply(item);
                } finally {
                  permits.release();
                }
              },
              EXECUTOR));
    }
    List<R> results = new ArrayList<>();
    for (CompletableFuture<R> future : futures) {
      results.add(future.join());
    }
    return results;
  }

  /** Starts a call now; {@link CompletableFuture#join()} it where its result is needed. */
  public static <R> CompletableFuture<R> start(Supplier<R> call) {
    return CompletableFuture.supplyAsync(call, EXECUTOR);
  }
}
