package org.sentinelplaybooks.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.PlaybookJson;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;

/** Prints a playbook result as JSON (for scripts) or as an aligned table (for people). */
final class ResultPrinter {
  private ResultPrinter() {}

  static void print(PrintWriter out, PlaybookResult result, OutputFormat format) {
    if (format == OutputFormat.json) {
      printJson(out, result);
      return;
    }
    out.println(
        result.playbook()
            + (result.dryRun() ? " (dry run)" : "")
            + ": "
            + result.status().wireName());
    if (result.incidentId() != null) {
      out.println("  incident " + result.incidentId());
    }
    for (ActionResult action : result.actions()) {
      out.printf("  %-8s %-8s %s%n", action.outcome().wireName(), action.action(), action.detail());
      if (!action.target().equals("incident:" + result.incidentId())) {
        out.printf("  %-17s %s%n", "", action.target());
      }
    }
    out.flush();
  }

  /** Any result as indented JSON, the only thing on standard output. */
  static void printJson(PrintWriter out, Object result) {
    try {
      out.println(PlaybookJson.writePretty(result));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a result could not be written as JSON", e);
    }
    out.flush();
  }

  static int exitCode(PlaybookResult result) {
    switch (result.status()) {
      case SUCCEEDED:
        return Main.SUCCEEDED;
      case REFUSED:
        return Main.BAD_INPUT;
      default:
        return Main.FAILED;
    }
  }
}
