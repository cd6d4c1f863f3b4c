package org.sentinelplaybooks.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private double fraction;
  private java.util.SplittableRandom random;
  private List<Fault> randomFaults = List.of();
  private int nextRandomFault;
  private final Map<Fault, Long> injected = new LinkedHashMap<>();

  public synchronized void inject(FaultRule rule) {
    rules.add(new Remaining(rule, rule.times()));
  }

  /**
   * Faults a share of all requests, at random but repeatably for a seed: each request is faulted
   * with probability {@code fraction}, taking the given faults in turn. Rules still come first.
   */
  public synchronized void failFraction(double fraction, long seed, List<Fault> faults) {
    if (fraction < 0 || fraction > 1 || faults.isEmpty()) {
      throw new IllegalArgumentException("a fraction from 0 to 1 and at least one fault");
    }
    this.fraction = fraction;
    this.random = new java.util.SplittableRandom(seed);
    this.randomFaults = List.copyOf(faults);
    this.nextRandomFault = 0;
  }

  /** Ends every fault and the latency; what was injected stays counted. */
  public synchronized void clear() {
    fraction = 0;
    rules.clear();
    latency = Duration.ZERO;
  }

  /** How many times each fault was applied so far, by rule or at random, in first-use order. */
  public synchronized Map<Fault, Long> injected() {
    return new LinkedHashMap<>(injected);
  }

  /** The fault for this request, if a rule with tries left matches; uses up one of its tries. */
  synchronized Optional<Fault> take(String method, String path) {
    for (Remaining remaining : rules) {
      if (remaining.left > 0 && remaining.rule.matches(method, path)) {
        remaining.left--;
        return Optional.of(count(remaining.rule.fault()));
      }
    }
    if (fraction > 0 && random.nextDouble() < fraction) {
      return Optional.of(count(randomFaults.get(nextRandomFault++ % randomFaults.size())));
    }
    return Optional.empty();
  }

  private Fault count(Fault fault) {
    injected.merge(fault, 1L, Long::sum);
    return fault;
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
