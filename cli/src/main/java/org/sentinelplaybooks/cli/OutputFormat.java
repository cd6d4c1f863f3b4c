package org.sentinelplaybooks.cli;

/** How a result is printed. */
public enum OutputFormat {
  text,
  json
}
