package org.sentinelplaybooks.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.sentinelplaybooks.cli.SoakFixture.Target;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.defender.DefenderForEndpointClient;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Fault;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.block.BlockIpPlaybook;
import org.sentinelplaybooks.playbooks.block.BlockSettings;
import org.sentinelplaybooks.playbooks.close.CloseIncidentPlaybook;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.identity.ConfirmRiskyUserPlaybook;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileOptions;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileProgress;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileReport;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketPlaybook;

/**
 * The fault-injection soak: runs of every playbook, a few at a time, against the embedded emulator
 * while it faults a share of its answers; then, faults off, one reconcile of the workspace; then
 * the emulator's state is checked run by run for work left undone, and throughout for anything
 * written twice. Every request goes to the emulator on 127.0.0.1.
 *
 * <p>The clients are the production ones with production retries (how many, {@code Retry-After}
 * honoured, Defender for Endpoint's 90 calls a minute, Identity Protection's one call in 1.1 s);
 * only the back-off without {@code Retry-After} and the response timeout are shortened, so that a
 * latency spike can outlast the timeout: the write then lands after its client gave up on it, which
 * is what makes a retried write a possible second write. Because those two paces are fixed, the
 * playbooks that meet them (block-ip, confirm-risky-user) get smaller shares of the runs.
 */
final class Soak {
  static final List<String> PLAYBOOKS =
      List.of(
          CloseIncidentPlaybook.NAME,
          CreateTicketPlaybook.NAME,
          BlockIpPlaybook.NAME,
          ConfirmRiskyUserPlaybook.NAME);

  /** The playbooks' shares of the runs, in percent, in {@link #PLAYBOOKS} order. */
  static final List<Integer> MIX = List.of(40, 35, 15, 10);

  static final int CONCURRENCY = 8;
  static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(1500);
  static final ClientOptions CLIENT_OPTIONS =
      new ClientOptions(
          ClientOptions.defaults().maxRetries(),
          Duration.ofMillis(20),
          Duration.ofMillis(500),
          RESPONSE_TIMEOUT);

  static final Fault THROTTLED = Fault.status(429, 1);
  static final Fault SERVER_ERROR = Fault.status(500, null);
  static final Fault UNAVAILABLE = Fault.status(503, null);
  static final Fault DROPPED = Fault.dropConnection();
  static final Fault SPIKE = Fault.delay(Duration.ofMillis(500));
  static final Fault SPIKE_PAST_TIMEOUT = Fault.delay(RESPONSE_TIMEOUT.plusMillis(500));

  /** The faults, taken in turn by the faulted answers. */
  static final List<Fault> FAULTS =
      List.of(THROTTLED, SERVER_ERROR, UNAVAILABLE, DROPPED, SPIKE, SPIKE_PAST_TIMEOUT);

  private static final List<String> CLASSIFICATIONS =
      List.of("TruePositive", "BenignPositive", "FalsePositive", "Undetermined");
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  private static final Duration LONGEST_RESERVE = Duration.ofMinutes(2);
  private static final int UNDONE_LISTED = 10;
  private static final Logger SILENT = silentLogger();

  private Soak() {}

  /** How many runs, how many answers to fault, the seed of every draw, and when to stop. */
  record Options(int runs, double faultFraction, long seed, Duration timeLimit) {
    Options {
      if (runs < 1) {
        throw new IllegalArgumentException("runs must be at least 1");
      }
      if (!(faultFraction >= 0 && faultFraction <= 1)) {
        throw new IllegalArgumentException("the fault fraction is from 0 to 1");
      }
      if (timeLimit == null || timeLimit.isNegative() || timeLimit.isZero()) {
        throw new IllegalArgumentException("the time limit must be longer than zero");
      }
    }

    static Options defaults() {
      return new Options(1000, 0.2, 1, Duration.ofMinutes(10));
    }

    /** Three incidents for every ten runs, so that many runs meet an incident acted on before. */
    int incidents() {
      return Math.max(12, runs * 3 / 10);
    }
  }

  /**
   * Runs the soak; returns within the time limit. New runs stop being started when a quarter of the
   * limit (two minutes at most) is left, for the runs under way, the reconcile and the checks.
   */
  static Report run(Options options, PrintWriter progress) {
    Instant start = Instant.now();
    Instant end = start.plus(options.timeLimit());
    Duration reserve = min(options.timeLimit().dividedBy(4), LONGEST_RESERVE);
    SoakFixture fixture = SoakFixture.build(options.seed(), options.incidents());
    List<Planned> plan = plan(options, fixture.targets());
    say(
        progress,
        "soak: %d runs on %d incidents, %.0f%% of the emulator's answers faulted (seed %d)",
        plan.size(),
        fixture.targets().size(),
        options.faultFraction() * 100,
        options.seed());
    try (EmbeddedEmulator embedded =
        EmbeddedEmulator.start(
            fixture.scenario(),
            Map.of(BlockSettings.BLOCK_NEVER, SoakFixture.NEVER_BLOCK),
            CLIENT_OPTIONS)) {
      Emulator emulator = embedded.emulator;
      if (options.faultFraction() > 0) {
        emulator.faults().failFraction(options.faultFraction(), options.seed(), FAULTS);
      }
      Runs runs = runAll(embedded.playbooks, plan, start, end.minus(reserve), end, progress);
      emulator.faults().clear();
      // Writes answered after their client gave up land before anything is read.
      sleep(((Fault.Delay) SPIKE_PAST_TIMEOUT).delay());
      Map<Fault, Long> injected = emulator.faults().injected();
      SoakState before = SoakState.read(emulator, fixture.targets());

      say(progress, "soak: %d runs done; faults off, reconciling the workspace", runs.finished());
      ReconcileReport reconcile = null;
      String reconcileError = null;
      Instant reconcileStart = Instant.now();
      try {
        reconcile = reconcile(embedded.playbooks, end);
      } catch (TimeoutException e) {
        reconcileError = "not finished within the time limit";
      } catch (RuntimeException e) {
        reconcileError = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      SoakState after = SoakState.read(emulator, fixture.targets());
      Report report =
          Report.of(
              options,
              fixture.targets(),
              plan,
              runs,
              before,
              after,
              injected,
              emulator,
              reconcile,
              reconcileError,
              Duration.between(reconcileStart, Instant.now()),
              start);
      say(progress, "soak: done in %d s: %s", report.elapsed().toSeconds(), report.verdict());
      return report;
    }
  }

  /** One run to make: which playbook on which incident, and whether it ran there before. */
  private record Planned(int index, String playbook, Target target, boolean repeat) {}

  /** How a run ended: its status, or the exception it threw, and its failed actions. */
  private record Ran(Planned run, RunStatus status, String thrown, List<ActionResult> failed) {}

  private record Runs(int started, int finished, AtomicReferenceArray<Ran> results) {}

  private static List<Planned> plan(Options options, List<Target> targets) {
    SplittableRandom random = new SplittableRandom(options.seed());
    Set<String> seen = new HashSet<>();
    List<Planned> plan = new ArrayList<>();
    for (int i = 0; i < options.runs(); i++) {
      int draw = random.nextInt(100);
      int p = 0;
      int shares = MIX.get(0);
      while (draw >= shares) {
        p++;
        shares += MIX.get(p);
      }
      String playbook = PLAYBOOKS.get(p);
      Target target = targets.get(random.nextInt(targets.size()));
      plan.add(new Planned(i, playbook, target, !seen.add(playbook + " " + target.id())));
    }
    return plan;
  }

  private static Runs runAll(
      Playbooks playbooks,
      List<Planned> plan,
      Instant start,
      Instant lastStart,
      Instant end,
      PrintWriter progress) {
    AtomicReferenceArray<Ran> results = new AtomicReferenceArray<>(plan.size());
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            CONCURRENCY,
            task -> {
              Thread thread = new Thread(task, "soak-run-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    for (Planned run : plan) {
      pool.execute(
          () -> {
            if (Instant.now().isAfter(lastStart)) {
              return;
            }
            started.incrementAndGet();
            results.set(run.index(), execute(playbooks, run));
            finished.incrementAndGet();
          });
    }
    pool.shutdown();
    try {
      while (true) {
        Duration left = Duration.between(Instant.now(), end);
        if (left.isNegative()
            || pool.awaitTermination(min(left, PROGRESS_EVERY).toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
        say(
            progress,
            "soak: %d of %d runs done after %d s (%s)",
            finished.get(),
            plan.size(),
            Duration.between(start, Instant.now()).toSeconds(),
            statuses(results));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Runs(started.get(), finished.get(), results);
  }

  private static Ran execute(Playbooks playbooks, Planned run) {
    ObjectNode body = Json.object().put("incidentId", run.target().id());
    if (run.playbook().equals(CloseIncidentPlaybook.NAME)) {
      body.put("classification", CLASSIFICATIONS.get(run.index() % CLASSIFICATIONS.size()));
      body.put("comment", "Soak run " + (run.index() + 1) + ".");
    }
    try {
      PlaybookResult result =
          playbooks.run(run.playbook(), PlaybookRequest.of(body), false, SILENT);
      return new Ran(
          run,
          result.status(),
          null,
          result.actions().stream().filter(a -> a.outcome() == Outcome.FAILED).toList());
    } catch (RuntimeException e) {
      return new Ran(run, null, e.getClass().getSimpleName() + ": " + e.getMessage(), List.of());
    }
  }

  private static String statuses(AtomicReferenceArray<Ran> results) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < results.length(); i++) {
      Ran ran = results.get(i);
      if (ran != null) {
        counts.merge(ran.status() == null ? "threw" : ran.status().wireName(), 1, Integer::sum);
      }
    }
    return counts.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", "));
  }

  private static ReconcileReport reconcile(Playbooks playbooks, Instant end)
      throws TimeoutException {
    CompletableFuture<ReconcileReport> reconciling =
        Parallel.start(
            () ->
                playbooks
                    .reconcile(
                        new ReconcileOptions(
                            WorkspaceId.parse(DemoScenario.WORKSPACE), null, false),
                        SILENT,
                        java.util.UUID.randomUUID().toString(),
                        ReconcileProgress.NONE)
                    .get(0));
    try {
      return reconciling.get(
          Math.max(0, Duration.between(Instant.now(), end).toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  /** One playbook's runs: how they ended at first, and whether their work was there in the end. */
  record Tally(
      int runs,
      int repeats,
      int succeeded,
      int partial,
      int failed,
      int refused,
      int threw,
      int doneBeforeReconcile,
      int doneByReconcile,
      int undone,
      int succeededButUndone) {
    static final Tally NONE = new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    Tally plus(Tally other) {
      return new Tally(
          runs + other.runs,
          repeats + other.repeats,
          succeeded + other.succeeded,
          partial + other.partial,
          failed + other.failed,
          refused + other.refused,
          threw + other.threw,
          doneBeforeReconcile + other.doneBeforeReconcile,
          doneByReconcile + other.doneByReconcile,
          undone + other.undone,
          succeededButUndone + other.succeededButUndone);
    }
  }

  /**
   * What the soak did and found: the settings, each playbook's tally, the counts that must be zero,
   * the faults injected, the traffic, the reconcile, and the first runs left undone.
   */
  record Report(
      Options options,
      int incidents,
      int planned,
      int started,
      int finished,
      Duration reconcileTook,
      Duration elapsed,
      Map<String, Tally> tallies,
      Map<String, Long> failedActions,
      Map<String, Long> mustBeZero,
      Map<String, Long> faults,
      Map<String, Long> traffic,
      ReconcileReport reconcile,
      String reconcileError,
      List<String> undone) {

    Report {
      tallies = Collections.unmodifiableMap(new LinkedHashMap<>(tallies));
      failedActions = Collections.unmodifiableMap(new LinkedHashMap<>(failedActions));
      mustBeZero = Collections.unmodifiableMap(new LinkedHashMap<>(mustBeZero));
      faults = Collections.unmodifiableMap(new LinkedHashMap<>(faults));
      traffic = Collections.unmodifiableMap(new LinkedHashMap<>(traffic));
      undone = List.copyOf(undone);
    }

    static Report of(
        Options options,
        List<Target> targets,
        List<Planned> plan,
        Runs runs,
        SoakState before,
        SoakState after,
        Map<Fault, Long> injected,
        Emulator emulator,
        ReconcileReport reconcile,
        String reconcileError,
        Duration reconcileTook,
        Instant soakStart) {
      Map<String, Tally> tallies = new LinkedHashMap<>();
      Map<String, Long> failedActions = new LinkedHashMap<>();
      List<String> undone = new ArrayList<>();
      for (String playbook : PLAYBOOKS) {
        tallies.put(playbook, Tally.NONE);
      }
      for (int i = 0; i < runs.results().length(); i++) {
        Ran ran = runs.results().get(i);
        if (ran == null) {
          continue;
        }
        Planned run = ran.run();
        boolean succeeded = ran.status() == RunStatus.SUCCEEDED;
        boolean doneBefore = before.done(run.playbook(), run.target());
        boolean doneAfter = after.done(run.playbook(), run.target());
        tallies.merge(
            run.playbook(),
            new Tally(
                1,
                run.repeat() ? 1 : 0,
                succeeded ? 1 : 0,
                ran.status() == RunStatus.PARTIAL ? 1 : 0,
                ran.status() == RunStatus.FAILED ? 1 : 0,
                ran.status() == RunStatus.REFUSED ? 1 : 0,
                ran.status() == null ? 1 : 0,
                !succeeded && doneBefore ? 1 : 0,
                !succeeded && !doneBefore && doneAfter ? 1 : 0,
                !succeeded && !doneAfter ? 1 : 0,
                succeeded && !doneAfter ? 1 : 0),
            Tally::plus);
        ran.failed()
            .forEach(a -> failedActions.merge(run.playbook() + " " + a.action(), 1L, Long::sum));
        if (ran.status() == null) {
          failedActions.merge(run.playbook() + " (threw)", 1L, Long::sum);
        }
        if (!doneAfter && undone.size() < UNDONE_LISTED) {
          undone.add(describe(ran));
        }
      }
      long succeededButUndone =
          tallies.values().stream().mapToLong(Tally::succeededButUndone).sum();
      Map<String, Long> faults = new LinkedHashMap<>();
      for (Fault fault : FAULTS) {
        faults.put(label(fault), injected.getOrDefault(fault, 0L));
      }
      List<RecordedRequest> requests = emulator.requests();
      List<RecordedRequest> applied =
          requests.stream().filter(r -> r.isWrite() && r.status() / 100 == 2).toList();
      Map<String, Long> traffic = new LinkedHashMap<>();
      traffic.put("requests the emulator received", (long) requests.size());
      traffic.put("write requests", requests.stream().filter(RecordedRequest::isWrite).count());
      traffic.put("writes applied (answered 2xx)", (long) applied.size());
      traffic.put(
          "identical writes applied more than once (same target and body, e.g. a retried comment)",
          SoakState.extra(
              applied.stream().map(r -> r.method() + " " + r.path() + " " + r.body()).toList()));
      traffic.put("password resets beyond one per user", after.extraPasswordResets());
      traffic.put(
          "Identity Protection calls refused by its one-a-second limit",
          (long) emulator.state().identityProtectionThrottled());
      return new Report(
          options,
          targets.size(),
          plan.size(),
          runs.started(),
          runs.finished(),
          reconcileTook,
          Duration.between(soakStart, Instant.now()),
          tallies,
          failedActions,
          after.mustBeZero(targets, soakStart, succeededButUndone),
          faults,
          traffic,
          reconcile,
          reconcileError,
          List.copyOf(undone));
    }

    private static String describe(Ran ran) {
      String why =
          ran.thrown() != null
              ? ran.thrown()
              : ran.failed().stream()
                  .map(a -> a.action() + ": " + a.detail())
                  .collect(Collectors.joining("; "));
      return "run "
          + (ran.run().index() + 1)
          + " "
          + ran.run().playbook()
          + " on incident "
          + ran.run().target().name()
          + ": "
          + (ran.status() == null ? "threw" : ran.status().wireName())
          + (why.isEmpty() ? "" : " (" + why + ")");
    }

    Tally total() {
      return tallies.values().stream().reduce(Tally.NONE, Tally::plus);
    }

    /**
     * Every run that was started finished, the reconcile ran, every run's work is there in the end,
     * and nothing was written twice or where it must not be.
     */
    boolean passed() {
      return started == finished
          && reconcile != null
          && total().undone() == 0
          && mustBeZero.values().stream().allMatch(c -> c == 0);
    }

    String verdict() {
      if (passed()) {
        return started < planned
            ? "passed for the " + started + " runs started before the time limit"
            : "passed";
      }
      return "FAILED";
    }

    /** A Markdown section: the settings, then the counts in tables. */
    void print(PrintWriter out) {
      out.println("## Fault-injection soak");
      out.println();
      out.printf(
          Locale.ROOT,
          "- Runs: %d planned, %d started, %d finished, %d at a time, on %d generated incidents"
              + " with %d Defender for Cloud alerts each; %s.%n",
          planned,
          started,
          finished,
          CONCURRENCY,
          incidents,
          SoakFixture.ALERTS_PER_INCIDENT,
          mix());
      out.printf(
          Locale.ROOT,
          "- Faults: %.0f%% of the emulator's answers (seed %d), taking in turn: %s.%n",
          options.faultFraction() * 100,
          options.seed(),
          FAULTS.stream().map(Soak::label).collect(Collectors.joining(", ")));
      out.printf(
          Locale.ROOT,
          "- Clients: production retries (%d after the first try, Retry-After honoured) and pacing"
              + " (Defender for Endpoint %d calls a minute, Identity Protection about one a"
              + " second); back-off without Retry-After shortened to %d-%d ms, response timeout"
              + " %.1f s (Microsoft Graph keeps its SDK's).%n",
          CLIENT_OPTIONS.maxRetries(),
          DefenderForEndpointClient.CALLS_PER_MINUTE,
          CLIENT_OPTIONS.baseDelay().toMillis() / 2,
          CLIENT_OPTIONS.maxDelay().toMillis(),
          RESPONSE_TIMEOUT.toMillis() / 1000.0);
      if (reconcile != null) {
        out.printf(
            Locale.ROOT,
            "- Then faults off and one reconcile: %s, %d incidents, %d alerts, %d changes, %d"
                + " failed actions.%n",
            reconcile.status().wireName(),
            reconcile.incidents(),
            reconcile.alerts(),
            reconcile.count(Outcome.DONE),
            reconcile.count(Outcome.FAILED));
      } else {
        out.println("- Then faults off and one reconcile: " + reconcileError + ".");
      }
      out.printf(
          Locale.ROOT,
          "- Time: %d s in all (the reconcile %d s) of a %d s limit.%n",
          elapsed.toSeconds(),
          reconcileTook.toSeconds(),
          options.timeLimit().toSeconds());
      out.println();
      out.println(
          "| playbook | runs | repeats | succeeded | partial | failed | refused | threw"
              + " | not succeeded: done before reconcile | done by reconcile | left undone |");
      out.println("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
      tallies.forEach((playbook, tally) -> row(out, playbook, tally));
      row(out, "**all**", total());
      out.println();
      table(out, "must be 0", mustBeZero);
      table(out, "faults injected", faults);
      table(out, "traffic", traffic);
      if (!failedActions.isEmpty()) {
        table(out, "failed actions at first (playbook, action)", failedActions);
      }
      if (!undone.isEmpty()) {
        out.println("Left undone (first " + undone.size() + "):");
        undone.forEach(line -> out.println("- " + line));
        out.println();
      }
      out.println("Result: **" + verdict() + "**");
      out.flush();
    }

    private static void row(PrintWriter out, String name, Tally t) {
      out.printf(
          Locale.ROOT,
          "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n",
          name,
          t.runs(),
          t.repeats(),
          t.succeeded(),
          t.partial(),
          t.failed(),
          t.refused(),
          t.threw(),
          t.doneBeforeReconcile(),
          t.doneByReconcile(),
          t.undone());
    }

    private static void table(PrintWriter out, String title, Map<String, Long> counts) {
      out.println("| " + title + " | count |");
      out.println("|---|--:|");
      counts.forEach((name, count) -> out.println("| " + name + " | " + count + " |"));
      out.println();
    }

    private static String mix() {
      List<String> shares = new ArrayList<>();
      for (int i = 0; i < PLAYBOOKS.size(); i++) {
        shares.add(PLAYBOOKS.get(i) + " " + MIX.get(i) + "%");
      }
      return String.join(", ", shares);
    }
  }

  static String label(Fault fault) {
    if (fault instanceof Fault.Status status) {
      return switch (status.status()) {
        case 429 -> "429 with Retry-After: " + status.retryAfterSeconds() + " s";
        case 500 -> "500";
        case 503 -> "503";
        default -> Integer.toString(status.status());
      };
    }
    if (fault instanceof Fault.Delay delay) {
      return "latency spike of "
          + delay.delay().toMillis()
          + " ms"
          + (delay.delay().compareTo(RESPONSE_TIMEOUT) > 0 ? " (past the response timeout)" : "");
    }
    return "dropped connection";
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void say(PrintWriter progress, String format, Object... args) {
    progress.println(String.format(Locale.ROOT, format, args));
    progress.flush();
  }

  private static Logger silentLogger() {
    Logger log = Logger.getAnonymousLogger();
    log.setUseParentHandlers(false);
    log.setLevel(Level.OFF);
    return log;
  }
}
