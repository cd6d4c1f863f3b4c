package org.sentinelplaybooks.emulator;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Applies a fault to the next {@code times} requests whose method matches ({@code null} for any)
 * and whose path contains a match of {@code pathRegex}.
 */
public record FaultRule(String method, String pathRegex, Fault fault, int times) {
  public FaultRule {
    Objects.requireNonNull(pathRegex, "pathRegex");
    Objects.requireNonNull(fault, "fault");
    Pattern.compile(pathRegex);
    if (times < 0) {
      throw new IllegalArgumentException("times must not be negative");
    }
  }

  boolean matches(String requestMethod, String path) {
    return (method == null || method.equalsIgnoreCase(requestMethod))
        && Pattern.compile(pathRegex).matcher(path).find();
  }
}
