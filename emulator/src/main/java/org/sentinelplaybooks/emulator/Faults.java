package org.sentinelplaybooks.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Latency and faults to inject, set by tests and benchmarks. Thread-safe. */
public final class Faults {
  private final List<Remaining> rules = new ArrayList<>();
  private volatile Duration latency = Duration.ZERO;

  public void setLatency(Duration perCall) {
    latency = perCall == null ? Duration.ZERO : perCall;
  }

  public Duration latency() {
    return latency;
  }

  public synchronized void inject(FaultRule rule) {
    rules.add(new Remaining(rule, rule.times()));
  }

  public synchronized void clear() {
    rules.clear();
    latency = Duration.ZERO;
  }

  /** The fault for this request, if a rule with tries left matches; uses up one of its tries. */
  synchronized Optional<Fault> take(String method, String path) {
    for (Remaining remaining : rules) {
      if (remaining.left > 0 && remaining.rule.matches(method, path)) {
        remaining.left--;
        return Optional.of(remaining.rule.fault());
      }
    }
    return Optional.empty();
  }

  private static final class Remaining {
    final FaultRule rule;
    int left;

    Remaining(FaultRule rule, int left) {
      this.rule = rule;
      this.left = left;
    }
  }
}
