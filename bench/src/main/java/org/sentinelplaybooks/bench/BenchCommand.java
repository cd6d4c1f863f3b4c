package org.sentinelplaybooks.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import org.sentinelplaybooks.cli.CliLogging;
import org.sentinelplaybooks.cli.DemoCommand;
import org.sentinelplaybooks.cli.Main;
import org.sentinelplaybooks.cli.OutputFormat;
import org.sentinelplaybooks.cli.Progress;
import org.sentinelplaybooks.cli.ProgressOption;
import org.sentinelplaybooks.emulator.RecordedRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: the numbers in docs/BENCHMARKS.md, measured on the embedded emulator, printed as
 * Markdown.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure the playbooks on the embedded emulator (loopback only) and print Markdown: warm"
            + " runs against one after another, cold start, package size, reconcile at scale;"
            + " or, with --soak, runs under injected faults.")
final class BenchCommand implements Callable<Integer> {
  static final double RATIO_TARGET = 1.2;
  static final Duration COLD_START_TARGET = Duration.ofMillis(1500);
  static final long PACKAGE_TARGET_MB = 40;
  static final double SCALE_RATIO_TARGET = 1.15;
  static final long HEAP_TARGET_MB = 256;

  enum Part {
    playbooks,
    startup,
    footprint,
    scale
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--part",
      split = ",",
      paramLabel = "PART",
      description = "What to measure: ${COMPLETION-CANDIDATES} (default: all).")
  EnumSet<Part> parts;

  @Option(
      names = "--latency",
      defaultValue = "50",
      paramLabel = "MS",
      description = "Latency the emulator adds to every call, in ms. Default: ${DEFAULT-VALUE}.")
  long latencyMillis;

  @Option(
      names = "--runs",
      defaultValue = "10",
      description = "Measured runs of each playbook, each way. Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(
      names = "--warm-up",
      defaultValue = "3",
      description = "Unmeasured runs of each playbook first. Default: ${DEFAULT-VALUE}.")
  int warmUp;

  @Option(
      names = "--cold-runs",
      defaultValue = "10",
      description = "Processes started for the cold start. Default: ${DEFAULT-VALUE}.")
  int coldRuns;

  @Option(
      names = "--incidents",
      defaultValue = "10000",
      description = "Incidents in the workspace reconciled at scale. Default: ${DEFAULT-VALUE}.")
  int incidents;

  @Option(
      names = "--alerts-per-incident",
      defaultValue = "2",
      description = "Defender for Cloud alerts per incident at scale. Default: ${DEFAULT-VALUE}.")
  int alertsPerIncident;

  @Option(
      names = "--arm-scale",
      defaultValue = "10",
      description =
          "ARM's token buckets (250 reads at 25/s, 200 writes at 10/s) multiplied by this, so that"
              + " the scale run takes minutes rather than an hour. Default: ${DEFAULT-VALUE}.")
  double armScale;

  @Option(
      names = "--jar",
      defaultValue = "cli/target/sentinel-playbooks.jar",
      paramLabel = "PATH",
      description =
          "The CLI jar to start for the cold start and the scale run, and to weigh. Default:"
              + " ${DEFAULT-VALUE}.")
  Path jar;

  @Option(
      names = "--functions-app",
      defaultValue = "functions/target/azure-functions/sentinel-playbooks",
      paramLabel = "DIR",
      description = "The Functions package to weigh. Default: ${DEFAULT-VALUE}.")
  Path functionsApp;

  @Option(
      names = "--soak",
      description = "Instead: playbook runs with faults injected, then one reconcile.")
  boolean soak;

  @Option(
      names = "--soak-runs",
      defaultValue = "1000",
      description = "Playbook runs in the soak. Default: ${DEFAULT-VALUE}.")
  int soakRuns;

  @Option(
      names = "--fault-fraction",
      defaultValue = "0.2",
      description =
          "Share of the emulator's answers faulted in the soak. Default: ${DEFAULT-VALUE}.")
  double faultFraction;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the soak's mix and faults. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--time-limit",
      defaultValue = "10",
      paramLabel = "MINUTES",
      description = "The soak stops after this many minutes. Default: ${DEFAULT-VALUE}.")
  long timeLimitMinutes;

  @Mixin ProgressOption progressOption;

  @Override
  public Integer call() {
    CliLogging.configure(false);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter progress =
        Progress.shown(OutputFormat.text, progressOption.forced) ? err : Progress.quiet().writer();
    if (soak) {
      Soak.Report report =
          Soak.run(
              new Soak.Options(soakRuns, faultFraction, seed, Duration.ofMinutes(timeLimitMinutes)),
              progress);
      out.println(machine());
      report.print(out);
      out.flush();
      return report.passed() ? Main.SUCCEEDED : Main.FAILED;
    }
    Set<Part> chosen = parts == null || parts.isEmpty() ? EnumSet.allOf(Part.class) : parts;
    Path cliJar = Files.isRegularFile(jar) ? jar : null;
    if (cliJar == null && (chosen.contains(Part.startup) || chosen.contains(Part.scale))) {
      err.println(
          "error: --jar: " + jar + " is not a file; build the CLI (mvn package) or name its jar");
      return Main.BAD_INPUT;
    }
    Duration latency = Duration.ofMillis(latencyMillis);
    out.println(machine());
    out.println();
    boolean ok = true;
    if (chosen.contains(Part.playbooks)) {
      ok &= printPlaybooks(out, PlaybookBench.measure(latency, warmUp, runs, progress), latency);
    }
    if (chosen.contains(Part.startup)) {
      printColdStart(out, ColdStartBench.measure(cliJar, coldRuns, progress));
    }
    if (chosen.contains(Part.footprint)) {
      printFootprint(out, cliJar);
    }
    if (chosen.contains(Part.scale)) {
      ScaleBench.Result result =
          ScaleBench.measure(cliJar, incidents, alertsPerIncident, latency, armScale, progress);
      printScale(out, result, latency);
      ok &= result.exitCode() == Main.SUCCEEDED;
    }
    out.flush();
    return ok ? Main.SUCCEEDED : Main.FAILED;
  }

  static String machine() {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return String.format(
        Locale.ROOT,
        "Machine: %d cores, %.0f GiB, %s %s, Java %s (%s).",
        Runtime.getRuntime().availableProcessors(),
        os.getTotalMemorySize() / (1024.0 * 1024 * 1024),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"));
  }

  private static boolean printPlaybooks(
      PrintWriter out, List<PlaybookBench.Result> results, Duration latency) {
    out.printf(
        "## Playbooks: %d ms a call, median of %d warm runs%n%n",
        latency.toMillis(), results.get(0).concurrent().size());
    out.println(
        "| playbook | work | calls (writes) | critical path | paced waits | floor | wall, median"
            + " (min–max) | ratio | one after another, median | speed-up |");
    out.println("|---|---|---|---|---|---|---|---|---|---|");
    boolean ok = true;
    for (PlaybookBench.Result result : results) {
      PlaybookBench.Run typical = median(result.concurrent(), PlaybookBench.Run::wall);
      Duration wall = typical.wall();
      Duration paced = PlaybookBench.pacedWaits(typical.criticalPath());
      Duration floor = latency.multipliedBy(typical.criticalPath().size()).plus(paced);
      Duration sequential = median(result.oneAtATime(), PlaybookBench.Run::wall).wall();
      out.printf(
          Locale.ROOT,
          "| %s | %s | %d (%d) | %d | %d ms | %d ms | %d ms (%d–%d) | %.2f | %d ms | %.1f× |%n",
          result.benchCase().playbook(),
          result.benchCase().what(),
          typical.calls().size(),
          typical.writes(),
          typical.criticalPath().size(),
          paced.toMillis(),
          floor.toMillis(),
          wall.toMillis(),
          min(result.concurrent()).toMillis(),
          max(result.concurrent()).toMillis(),
          floor.isZero() ? 0 : (double) wall.toNanos() / floor.toNanos(),
          sequential.toMillis(),
          (double) sequential.toNanos() / wall.toNanos());
      for (PlaybookBench.Run run :
          Stream.concat(result.concurrent().stream(), result.oneAtATime().stream()).toList()) {
        if (run.error() != null) {
          out.println("| " + run.error() + " |");
          ok = false;
        }
      }
    }
    out.println();
    out.println(
        "Floor = critical path × latency + paced waits; ratio = wall / floor, target ≤ "
            + RATIO_TARGET
            + ". The critical path of each median run, each call with the time it waited after"
            + " the one before it was answered:");
    out.println();
    for (PlaybookBench.Result result : results) {
      PlaybookBench.Run typical = median(result.concurrent(), PlaybookBench.Run::wall);
      out.println("- " + result.benchCase().playbook() + ":");
      RecordedRequest previous = null;
      for (RecordedRequest call : typical.criticalPath()) {
        long gap =
            previous == null
                ? 0
                : Duration.between(previous.answeredAt(), call.receivedAt()).toMillis();
        out.printf(
            "  %d. `%s %s` (+%d ms)%n",
            typical.criticalPath().indexOf(call) + 1,
            call.method(),
            DemoCommand.shorten(call.path()),
            gap);
        previous = call;
      }
    }
    out.println();
    return ok;
  }

  private static void printColdStart(PrintWriter out, List<Duration> walls) {
    Duration median = median(walls, Function.identity());
    out.printf(
        Locale.ROOT,
        "## Cold start%n%n`java -jar sentinel-playbooks.jar %s` against a running emulator (no"
            + " added latency), a new JVM each run, %d runs: median **%d ms** (%d–%d); target"
            + " ≤ %d ms: %s.%n%n",
        String.join(" ", ColdStartBench.ARGUMENTS.subList(0, 2))
            + " --incident … --classification TruePositive …",
        walls.size(),
        median.toMillis(),
        walls.stream().min(Comparator.naturalOrder()).orElseThrow().toMillis(),
        walls.stream().max(Comparator.naturalOrder()).orElseThrow().toMillis(),
        COLD_START_TARGET.toMillis(),
        median.compareTo(COLD_START_TARGET) <= 0 ? "met" : "missed");
  }

  private void printFootprint(PrintWriter out, Path cliJar) {
    out.printf("## Footprint%n%n");
    if (!Files.isDirectory(functionsApp)) {
      out.printf("%s is not built (mvn package builds it).%n%n", functionsApp);
      return;
    }
    List<Path> files = files(functionsApp);
    long bytes = files.stream().mapToLong(BenchCommand::size).sum();
    out.printf(
        Locale.ROOT,
        "Functions package `%s`: **%.1f MB** in %d files; target ≤ %d MB: %s. Largest:%n%n",
        functionsApp,
        bytes / 1e6,
        files.size(),
        PACKAGE_TARGET_MB,
        bytes <= PACKAGE_TARGET_MB * 1_000_000 ? "met" : "missed");
    files.stream()
        .sorted(Comparator.comparingLong(BenchCommand::size).reversed())
        .limit(5)
        .forEach(
            file ->
                out.printf(
                    Locale.ROOT,
                    "- `%s` %.1f MB%n",
                    functionsApp.relativize(file),
                    size(file) / 1e6));
    if (cliJar != null) {
      out.printf(Locale.ROOT, "%nThe CLI jar: %.1f MB.%n", size(cliJar) / 1e6);
    }
    out.println();
  }

  private static void printScale(PrintWriter out, ScaleBench.Result result, Duration latency) {
    out.printf(
        Locale.ROOT,
        "## Reconcile at scale%n%n`reconcile` in a JVM with -Xmx%s over %d incidents and %d"
            + " Defender for Cloud alerts, %d ms a call, ARM throttling on: reads %d at %.0f/s,"
            + " writes %d at %.0f/s.%n%n",
        ScaleBench.MAX_HEAP,
        result.incidents(),
        result.alerts(),
        latency.toMillis(),
        result.reads().capacity(),
        result.reads().perSecond(),
        result.writes().capacity(),
        result.writes().perSecond());
    out.println(
        "| wall | minimum the buckets allow | ratio | requests | ARM reads / writes | 429s |"
            + " changes | failed writes | failed actions | peak heap (live after GC) | exit |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    out.printf(
        Locale.ROOT,
        "| %.1f s | %.1f s | %.2f | %d | %d / %d | %d | %d | %d | %d | %d MB (%d MB) | %d |%n%n",
        result.wall().toMillis() / 1000.0,
        result.minimum().toMillis() / 1000.0,
        result.ratio(),
        result.requests(),
        result.armReads(),
        result.armWrites(),
        result.throttled(),
        result.changes(),
        result.failedWrites(),
        result.failedActions(),
        result.heap().peakMegabytes(),
        result.heap().liveMegabytes(),
        result.exitCode());
    out.printf(
        Locale.ROOT,
        "Targets: ratio ≤ %.2f %s, peak heap ≤ %d MB %s, zero failed writes %s.%n%n",
        SCALE_RATIO_TARGET,
        result.ratio() <= SCALE_RATIO_TARGET ? "met" : "missed",
        HEAP_TARGET_MB,
        result.heap().peakMegabytes() <= HEAP_TARGET_MB ? "met" : "missed",
        result.failedWrites() == 0 && result.failedActions() == 0 ? "met" : "missed");
  }

  private static <T> T median(List<T> items, Function<T, Duration> by) {
    List<T> sorted = items.stream().sorted(Comparator.comparing(by)).toList();
    return sorted.get(sorted.size() / 2);
  }

  private static Duration min(List<PlaybookBench.Run> runs) {
    return runs.stream().map(PlaybookBench.Run::wall).min(Comparator.naturalOrder()).orElseThrow();
  }

  private static Duration max(List<PlaybookBench.Run> runs) {
    return runs.stream().map(PlaybookBench.Run::wall).max(Comparator.naturalOrder()).orElseThrow();
  }

  private static List<Path> files(Path directory) {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + file, e);
    }
  }
}
