package org.sentinelplaybooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentinelplaybooks.cli.DemoScenario;
import org.sentinelplaybooks.cli.EmbeddedEmulator;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;
import org.sentinelplaybooks.playbooks.core.PlaybookJson;

/**
 * {@code reconcile} in a JVM of its own with a 256 MB heap, over a generated workspace, against an
 * emulator whose Azure Resource Manager throttles with ARM's token buckets.
 */
final class ScaleBench {
  static final String MDC_SUBSCRIPTION = "2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091";
  static final String MAX_HEAP = "256m";

  /** ARM's buckets per subscription: 250 reads refilled at 25 a second, 200 writes at 10. */
  static final Bucket ARM_READS = new Bucket(250, 25);

  static final Bucket ARM_WRITES = new Bucket(200, 10);

  private static final Pattern GC_PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\(\\d+M\\)");
  private static final Pattern HEAP_AT_EXIT = Pattern.compile("used (\\d+)K");

  /** A token bucket: full at the start, refilled continuously. */
  record Bucket(int capacity, double perSecond) {
    Bucket times(double factor) {
      return new Bucket((int) Math.round(capacity * factor), perSecond * factor);
    }

    /** The least time {@code requests} can take through this bucket. */
    Duration minimum(long requests) {
      double seconds = Math.max(0, requests - capacity) / perSecond;
      return Duration.ofMillis(Math.round(seconds * 1000));
    }
  }

  record Result(
      int incidents,
      int alerts,
      Bucket reads,
      Bucket writes,
      Duration wall,
      long requests,
      long armReads,
      long armWrites,
      int throttled,
      long failedWrites,
      long failedActions,
      long changes,
      Heap heap,
      int exitCode) {
    Duration minimum() {
      Duration forReads = reads.minimum(armReads);
      Duration forWrites = writes.minimum(armWrites);
      return forReads.compareTo(forWrites) > 0 ? forReads : forWrites;
    }

    double ratio() {
      return minimum().isZero() ? 0 : (double) wall.toMillis() / minimum().toMillis();
    }
  }

  private ScaleBench() {}

  static Result measure(
      Path jar,
      int incidents,
      int alertsPerIncident,
      Duration latency,
      double armScale,
      PrintWriter progress) {
    Bucket reads = ARM_READS.times(armScale);
    Bucket writes = ARM_WRITES.times(armScale);
    Scenario scenario =
        Scenario.generated(
            1,
            Instant.now().truncatedTo(ChronoUnit.HOURS),
            DemoScenario.WORKSPACE,
            MDC_SUBSCRIPTION,
            incidents,
            alertsPerIncident);
    Path gcLog = null;
    try (Emulator emulator = Emulator.start(scenario)) {
      gcLog = Files.createTempFile("bench-gc", ".log");
      emulator.faults().setLatency(latency);
      emulator
          .state()
          .setArmThrottling(
              reads.capacity(), reads.perSecond(), writes.capacity(), writes.perSecond());
      progress.printf(
          "  reconcile: %d incidents, %d alerts, in a JVM with -Xmx%s%n",
          incidents, incidents * alertsPerIncident, MAX_HEAP);
      progress.flush();
      ChildJvm.Finished finished =
          ChildJvm.run(
              jar,
              List.of("-Xmx" + MAX_HEAP, "-Xlog:gc,gc+heap+exit:file=" + gcLog),
              EmbeddedEmulator.settings(emulator),
              List.of("reconcile", "--workspace", DemoScenario.WORKSPACE, "--output", "json"),
              Duration.ofMinutes(60));
      List<RecordedRequest> requests = emulator.requests();
      List<RecordedRequest> arm = requests.stream().filter(ScaleBench::isArm).toList();
      long armReads = arm.stream().filter(r -> r.status() != 429 && !r.isWrite()).count();
      long armWrites = arm.stream().filter(r -> r.status() != 429 && r.isWrite()).count();
      long failedWrites =
          requests.stream()
              .filter(RecordedRequest::isWrite)
              .filter(r -> r.status() >= 400 && r.status() != 429)
              .count();
      JsonNode reports = parse(finished);
      return new Result(
          incidents,
          incidents * alertsPerIncident,
          reads,
          writes,
          finished.wall(),
          requests.size(),
          armReads,
          armWrites,
          emulator.state().armThrottled(),
          failedWrites,
          count(reports, "failed"),
          count(reports, "done"),
          Heap.of(Files.readAllLines(gcLog)),
          finished.exitCode());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the reconcile's GC log", e);
    } finally {
      ChildJvm.delete(gcLog);
    }
  }

  /** The requests Azure Resource Manager throttles: everything under a subscription, and ARG. */
  static boolean isArm(RecordedRequest request) {
    String path = request.path().toLowerCase(Locale.ROOT);
    return path.startsWith("/subscriptions/")
        || path.equals("/providers/microsoft.resourcegraph/resources");
  }

  /**
   * From the JVM's GC log: the most heap in use (before a collection, or at exit), and the most
   * left after a collection (what the run really held).
   */
  record Heap(long peakMegabytes, long liveMegabytes) {
    static Heap of(List<String> gcLog) {
      long peak = 0;
      long live = 0;
      for (String line : gcLog) {
        Matcher pause = GC_PAUSE.matcher(line);
        if (pause.find()) {
          peak = Math.max(peak, Long.parseLong(pause.group(1)));
          live = Math.max(live, Long.parseLong(pause.group(2)));
        }
        Matcher exit = HEAP_AT_EXIT.matcher(line);
        if (line.contains("gc,heap,exit") && exit.find()) {
          peak = Math.max(peak, Long.parseLong(exit.group(1)) / 1024);
        }
      }
      return new Heap(peak, live);
    }
  }

  private static JsonNode parse(ChildJvm.Finished finished) {
    try {
      return PlaybookJson.read(finished.out());
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "reconcile exited "
              + finished.exitCode()
              + " without its JSON report: "
              + finished.err().strip(),
          e);
    }
  }

  private static long count(JsonNode reports, String outcome) {
    long count = 0;
    for (JsonNode report : reports) {
      var counts = report.path("counts").fields();
      while (counts.hasNext()) {
        var entry = counts.next();
        if (entry.getKey().endsWith(" " + outcome)) {
          count += entry.getValue().asLong();
        }
      }
    }
    return count;
  }
}
