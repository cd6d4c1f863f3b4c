package org.sentinelplaybooks.playbooks.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sentinelplaybooks.clients.RunDeadline;

/**
 * Runs independent service calls at the same time on the executor it is given, a bounded number per
 * run: a run takes a permit before it hands a call to the executor, so 1,500 items never start
 * 1,500 threads. On a {@link #bounded} pool, when every thread is busy the caller runs the call
 * itself, so calls nested inside calls (a blocker's own lookups inside the playbook's per-target
 * calls) can never wait on a pool that their callers hold. A call keeps its run's {@link
 * RunDeadline}.
 *
 * <p>The composition root passes one to everything that makes calls at the same time: the
 * process-wide pool of {@link #SHARED_THREADS} ({@link #shared()}), a test's own pool, or a direct
 * executor ({@code Runnable::run}), on which every call runs on its caller's thread, one after
 * another.
 */
public final class Parallel {
  /** Threads of the process-wide pool: enough for a few runs at once on a Functions worker. */
  static final int SHARED_THREADS = 64;

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final Parallel SHARED =
      bounded(
          SHARED_THREADS,
          task -> {
            Thread thread = new Thread(task, "playbook-call-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  private final Executor executor;

  /**
   * Calls handed to {@code executor}. A pool should run a call on its caller's thread when it has
   * no thread free, as {@link #bounded} does.
   */
  public Parallel(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /**
   * A pool of at most {@code threads} threads made by {@code factory}, idle ones ending after a
   * while; a call finding no free thread runs on its caller's.
   */
  public static Parallel bounded(int threads, ThreadFactory factory) {
    if (threads < 1) {
      throw new IllegalArgumentException("a pool needs at least one thread");
    }
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            0,
            threads,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            factory,
            new ThreadPoolExecutor.CallerRunsPolicy());
    return new Parallel(pool);
  }

  /** The process-wide pool. */
  public static Parallel shared() {
    return SHARED;
  }

  /**
   * Applies {@code call} to every item, at most {@code limit} at once; results in item order. The
   * permit is taken here, before the call is handed to the pool.
   */
  public <T, R> List<R> each(List<T> items, int limit, Function<T, R> call) {
    Semaphore permits = new Semaphore(Math.max(1, limit));
    List<CompletableFuture<R>> futures = new ArrayList<>();
    for (T item : items) {
      permits.acquireUninterruptibly();
      futures.add(
          CompletableFuture.supplyAsync(
              RunDeadline.carried(
                  () -> {
                    try {
                      return call.apply(item);
                    } finally {
                      permits.release();
                    }
                  }),
              executor));
    }
    List<R> results = new ArrayList<>();
    for (CompletableFuture<R> future : futures) {
      results.add(future.join());
    }
    return results;
  }

  /** Starts a call now; {@link CompletableFuture#join()} it where its result is needed. */
  public <R> CompletableFuture<R> call(Supplier<R> call) {
    return CompletableFuture.supplyAsync(RunDeadline.carried(call), executor);
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
}
