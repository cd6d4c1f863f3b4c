package org.sentinelplaybooks.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.playbooks.Composition;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileOptions;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileProgress;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileReport;
import org.sentinelplaybooks.playbooks.reconcile.Reconciler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reconcile}: what the timer does, on demand, with progress and a summary table. */
@Command(
    name = Reconciler.NAME,
    mixinStandardHelpOptions = true,
    description =
        "Keep Sentinel incidents, Defender for Cloud alerts and ServiceNow tickets in step, for one"
            + " workspace or all of SENTINEL_WORKSPACES.")
final class ReconcileCommand extends SettingsCommand {
  @Option(
      names = "--workspace",
      paramLabel = "ARM_ID",
      description = "One workspace (default: every workspace in SENTINEL_WORKSPACES).")
  String workspace;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Read incidents modified since this ISO-8601 time instead of since the checkpoint.")
  String since;

  @Option(names = "--dry-run", description = "Say what would change; write nothing.")
  boolean dryRun;

  @Mixin CommonOptions common;

  @Mixin ProgressOption progressOption;

  @Override
  CommonOptions common() {
    return common;
  }

  @Override
  int run(PlaybookSettings settings, PrintWriter out, PrintWriter err) {
    Instant from = since == null ? null : ReconcileOptions.since("--since", since);
    WorkspaceId one =
        workspace == null ? null : ReconcileOptions.workspace("--workspace", workspace);
    ReconcileOptions options = new ReconcileOptions(one, from, dryRun);
    Playbooks playbooks = Composition.of(settings).playbooks();
    Progress progress = Progress.of(err, common.output, progressOption, playbooks.clock());
    List<ReconcileReport> reports =
        playbooks.reconcile(options, CliLogging.LOG, UUID.randomUUID().toString(), shown(progress));
    print(out, reports);
    return reports.stream().allMatch(r -> r.status() == RunStatus.SUCCEEDED)
        ? Main.SUCCEEDED
        : Main.FAILED;
  }

  /** Each workspace's incidents counted on the progress line, and its changes at the end. */
  private static ReconcileProgress shown(Progress progress) {
    return new ReconcileProgress() {
      @Override
      public void started(WorkspaceId workspace) {
        progress.start("reconciling " + workspace.name());
      }

      @Override
      public void counted(int incidents) {
        progress.count(incidents, "incidents");
      }

      @Override
      public void finished(ReconcileReport report) {
        progress.finish(
            report.incidents(),
            "incidents",
            report.count(report.dryRun() ? Outcome.PLANNED : Outcome.DONE)
                + " changes, "
                + report.count(Outcome.FAILED)
                + " failures");
      }
    };
  }

  private void print(PrintWriter out, List<ReconcileReport> reports) {
    if (common.output == OutputFormat.json) {
      ResultPrinter.printJson(out, reports);
      return;
    }
    out.printf(
        "%-28s %-9s %9s %7s %8s %9s %8s %8s %12s %7s %6s%n",
        "workspace",
        "status",
        "incidents",
        "alerts",
        "closed",
        "dismissed",
        "resolved",
        "xdr-read",
        "xdr-resolved",
        "tickets",
        "failed");
    for (ReconcileReport report : reports) {
      Outcome counted = report.dryRun() ? Outcome.PLANNED : Outcome.DONE;
      out.printf(
          "%-28s %-9s %9d %7d %8d %9d %8d %8d %12d %7d %6d%n",
          WorkspaceId.parse(report.workspace()).name(),
          report.ran() ? report.status().wireName() : "skipped",
          report.incidents(),
          report.alerts(),
          report.count("incident", "close", counted),
          report.count("mdc-alert", "dismiss", counted),
          report.count("mdc-alert", "resolve", counted),
          report.count("xdr-alert", "read", Outcome.DONE),
          report.count("xdr-alert", "resolve", counted),
          report.count("servicenow", "resolve", counted),
          report.count(Outcome.FAILED));
      report.actions().stream()
          .filter(a -> a.outcome() == Outcome.FAILED || a.outcome() == Outcome.SKIPPED)
          .forEach(
              a ->
                  out.printf(
                      "  %-8s %-8s %s  [%s]%n",
                      a.outcome().wireName(), a.action(), a.detail(), a.target()));
      if (report.actionsNotListed() > 0) {
        out.printf("  (%d more actions counted, not listed)%n", report.actionsNotListed());
      }
    }
    out.flush();
  }
}
