package org.sentinelplaybooks.cli;

import java.io.PrintWriter;
import org.sentinelplaybooks.playbooks.Composition;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.block.ExpireBlocks;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code expire-blocks}: what the timer does, on demand. */
@Command(
    name = ExpireBlocks.NAME,
    mixinStandardHelpOptions = true,
    description =
        "Lift the IP blocks whose expiry has passed (as the expire-blocks timer does) and comment"
            + " on their incidents.")
final class ExpireBlocksCommand extends SettingsCommand {
  @Option(names = "--dry-run", description = "Say what would be lifted; write nothing.")
  boolean dryRun;

  @Mixin CommonOptions common;

  @Mixin ProgressOption progressOption;

  @Override
  CommonOptions common() {
    return common;
  }

  @Override
  int run(PlaybookSettings settings, PrintWriter out, PrintWriter err) {
    Playbooks playbooks = Composition.of(settings).playbooks();
    Progress progress = Progress.of(err, common.output, progressOption, playbooks.clock());
    progress.start("lifting expired blocks");
    PlaybookResult result =
        playbooks.expireBlocks(
            playbooks.clock().instant(),
            new RunContext(settings.dryRun() || dryRun, CliLogging.LOG, playbooks.clock()));
    progress.finish(result.actions().size(), "actions", result.count(Outcome.FAILED) + " failed");
    ResultPrinter.print(out, result, common.output);
    return ResultPrinter.exitCode(result);
  }
}
