package org.sentinelplaybooks.playbooks;

import java.util.logging.Logger;

/**
 * How a run goes: whether it may write, and where it logs (the Functions invocation's logger, so
 * Application Insights ties the lines to the invocation, or the CLI's).
 */
public record RunContext(boolean dryRun, Logger log) {}
