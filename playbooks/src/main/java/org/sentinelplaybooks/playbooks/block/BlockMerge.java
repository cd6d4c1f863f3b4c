package org.sentinelplaybooks.playbooks.block;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Outcome;

/**
 * What a target already holds of the wanted addresses and what it lacks, and how to say so. An
 * address counts as held when a present prefix covers it ({@code 203.0.113.0/24} covers {@code
 * 203.0.113.45}); present entries that are not prefixes (such as {@code *} or a range) are kept as
 * they are and cover nothing.
 */
public record BlockMerge(List<Cidr> already, List<Cidr> missing, Map<Cidr, String> skipped) {

  static BlockMerge of(List<Cidr> wanted, List<String> present, Map<Cidr, String> skipped) {
    List<Cidr> held = parseAll(present);
    List<Cidr> already = new ArrayList<>();
    List<Cidr> missing = new ArrayList<>();
    for (Cidr address : wanted) {
      if (skipped.containsKey(address)) {
        continue;
      }
      if (held.stream().anyMatch(p -> p.contains(address))) {
        already.add(address);
      } else {
        missing.add(address);
      }
    }
    return new BlockMerge(already, missing, new LinkedHashMap<>(skipped));
  }

  /** The action of taking {@code removed} away, when {@code gone} were not there any more. */
  static ActionResult unblockAction(
      String target, List<Cidr> removed, List<Cidr> gone, boolean dryRun) {
    if (removed.isEmpty()) {
      return ActionResult.of(
          target, "unblock", Outcome.ALREADY, "already unblocked: " + list(gone));
    }
    String detail = (dryRun ? "would unblock " : "unblocked ") + list(removed);
    if (!gone.isEmpty()) {
      detail += "; already unblocked: " + list(gone);
    }
    return ActionResult.of(target, "unblock", dryRun ? Outcome.PLANNED : Outcome.DONE, detail);
  }

  static List<Cidr> parseAll(List<String> prefixes) {
    List<Cidr> parsed = new ArrayList<>();
    for (String prefix : prefixes) {
      try {
        parsed.add(Cidr.parse(prefix));
      } catch (IllegalArgumentException e) {
        // not a prefix (e.g. '*' or a range): kept as it is, covers nothing here
      }
    }
    return parsed;
  }

  List<Cidr> enforced() {
    List<Cidr> enforced = new ArrayList<>(already);
    enforced.addAll(missing);
    return enforced;
  }

  /** The action for this merge once written (or planned, in a dry run). */
  ActionResult action(String target, boolean dryRun, String where) {
    if (missing.isEmpty() && already.isEmpty()) {
      return ActionResult.of(target, "block", Outcome.SKIPPED, tail("nothing to block here"));
    }
    if (missing.isEmpty()) {
      return ActionResult.of(
          target, "block", Outcome.ALREADY, tail("already blocked: " + list(already)));
    }
    String head = (dryRun ? "would block " : "blocked ") + list(missing) + where;
    if (!already.isEmpty()) {
      head += "; already blocked: " + list(already);
    }
    return ActionResult.of(target, "block", dryRun ? Outcome.PLANNED : Outcome.DONE, tail(head));
  }

  private String tail(String head) {
    if (skipped.isEmpty()) {
      return head;
    }
    return head
        + "; not here: "
        + skipped.entrySet().stream()
            .map(e -> e.getKey() + " (" + e.getValue() + ")")
            .collect(Collectors.joining(", "));
  }

  static String list(List<Cidr> addresses) {
    return addresses.stream().map(Cidr::toString).collect(Collectors.joining(", "));
  }
}
