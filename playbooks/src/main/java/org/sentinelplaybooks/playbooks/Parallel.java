package org.sentinelplaybooks.playbooks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

  private static final ThreadLocal<Boolean> ONE_AT_A_TIME = ThreadLocal.withInitial(() -> false);

  private Parallel() {}

  /**
   * Runs {@code work} with every call it would make at the same time made one after another on this
   * thread instead, as a Logic App playbook's actions run by default: the baseline the benchmarks
   * compare with.
   */
  public static <R> R oneAtATime(Supplier<R> work) {
    boolean outer = ONE_AT_A_TIME.get();
    ONE_AT_A_TIME.set(true);
    try {
      return work.get();
    } finally {
      ONE_AT_A_TIME.set(outer);
    }
  }

  /** Applies {@code call} to every item, at most {@code limit} at once; results in item order. */
  public static <T, R> List<R> map(List<T> items, int limit, Function<T, R> call) {
    if (ONE_AT_A_TIME.get()) {
      List<R> results = new ArrayList<>();
      for (T item : items) {
        results.add(start(() -> call.apply(item)).join());
      }
      return results;
    }
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

  /** The call's result; its failure is thrown as the exception the call threw. */
  public static <R> R result(CompletableFuture<R> call) {
    try {
      return call.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Starts a call now; {@link CompletableFuture#join()} it where its result is needed. */
  public static <R> CompletableFuture<R> start(Supplier<R> call) {
    if (ONE_AT_A_TIME.get()) {
      try {
        return CompletableFuture.completedFuture(call.get());
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(call, EXECUTOR);
  }
}
