package org.sentinelplaybooks.cli;

/** How a result is printed. */
enum OutputFormat {
  text,
  json
}
