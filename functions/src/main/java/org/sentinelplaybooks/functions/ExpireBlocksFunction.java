package org.sentinelplaybooks.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.time.Clock;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.block.ExpireBlocks;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.core.RunStatus;

/**
 * The {@code expire-blocks} timer: lifts the blocks whose expiry has passed, on the schedule in the
 * {@code EXPIRE_BLOCKS_SCHEDULE} app setting. A run with failures fails the invocation, so it shows
 * in Application Insights; the failed blocks stay recorded and the next run tries again.
 */
public final class ExpireBlocksFunction {
  static final String SCHEDULE_SETTING = "EXPIRE_BLOCKS_SCHEDULE";

  private final Playbooks playbooks;

  /** What says which expiries have passed; tests hand in one they move. */
  private final Clock clock;

  public ExpireBlocksFunction(Playbooks playbooks) {
    this(playbooks, playbooks.clock());
  }

  ExpireBlocksFunction(Playbooks playbooks, Clock clock) {
    this.playbooks = playbooks;
    this.clock = clock;
  }

  @FunctionName(ExpireBlocks.NAME)
  public void run(
      @TimerTrigger(name = "timer", schedule = "%" + SCHEDULE_SETTING + "%") String timer,
      ExecutionContext context) {
    boolean dryRun = playbooks.settings().dryRun();
    PlaybookResult result =
        playbooks.expireBlocks(
            clock.instant(),
            new RunContext(dryRun, context.getLogger(), context.getInvocationId(), clock));
    if (result.status() == RunStatus.FAILED || result.status() == RunStatus.PARTIAL) {
      throw new IllegalStateException(
          ExpireBlocks.NAME
              + " "
              + result.status().wireName()
              + ": "
              + result.count(org.sentinelplaybooks.playbooks.core.Outcome.FAILED)
              + " action(s) failed; see the log lines above");
    }
  }
}
