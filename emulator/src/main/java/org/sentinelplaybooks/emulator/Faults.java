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

  private double fraction;
  private java.util.SplittableRandom random;
  private List<Fault> randomFaults = List.of();
  private int nextRandomFault;

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

  public synchronized void clear() {
    fraction = 0;
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
    if (fraction > 0 && random.nextDouble() < fraction) {
      Fault fault = randomFaults.get(nextRandomFault++ % randomFaults.size());
      return Optional.of(fault);
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
