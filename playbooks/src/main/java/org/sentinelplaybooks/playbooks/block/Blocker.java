package org.sentinelplaybooks.playbooks.block;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.Outcome;

/** One enforcement point of {@code block-ip}: adds addresses to it and takes them away again. */
public interface Blocker {
  /** The target as results name it, e.g. {@code nsg:<ARM id>}. */
  String target();

  /**
   * Adds what is missing of {@code order.addresses()} (or says what it would add in a dry run).
   * Never throws: a failure is a FAILED action.
   */
  BlockOutcome block(Order order, boolean dryRun);

  /** Removes exactly these addresses, leaving everything else as it is. */
  ActionResult unblock(List<Cidr> addresses, boolean dryRun);

  /** What to block, until when (per address), and the words that say why. */
  record Order(List<Cidr> addresses, Map<Cidr, Instant> expiries, String reason) {
    public Order {
      addresses = List.copyOf(addresses);
      expiries = Map.copyOf(expiries);
    }
  }

  /** The action, and the addresses this target now enforces (added now or already there). */
  record BlockOutcome(ActionResult action, List<Cidr> enforced) {
    public BlockOutcome {
      enforced = List.copyOf(enforced);
    }

    static BlockOutcome failed(String target, Exception e) {
      return failed(target, Actions.describe(e));
    }

    /** Nothing was blocked here: {@code adding} more would pass the target's {@code limit}. */
    static BlockOutcome full(String target, String holds, int adding, String limit) {
      return failed(target, holds + "; adding " + adding + " would pass " + limit);
    }

    /** Nothing was blocked here, for this reason. */
    static BlockOutcome failed(String target, String detail) {
      return new BlockOutcome(ActionResult.of(target, "block", Outcome.FAILED, detail), List.of());
    }
  }
}
