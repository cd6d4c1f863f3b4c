package org.sentinelplaybooks.playbooks.block;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.clients.network.DenyRule;
import org.sentinelplaybooks.clients.network.NetworkClient;
import org.sentinelplaybooks.clients.network.NetworkSecurityGroup;
import org.sentinelplaybooks.clients.network.SecurityRule;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.ReadModifyWrite;

/**
 * Blocks on an NSG with deny-inbound rules of its own, {@code sentinel-playbooks-block-ipv4-1},
 * {@code -2}, ... (and {@code -ipv6-N}; Azure takes one address family per rule). Every write is
 * planned within the NSG's own limits ({@link #PREFIXES_PER_NSG} source prefixes over all its
 * rules, {@link #RULES_PER_NSG} rules, priorities up to {@link #HIGHEST_PRIORITY}): a block that
 * would pass one fails before anything is sent. Other rules are never touched. Every write is a
 * read-modify-write on the rule's etag, redone from a fresh read when another run got there first.
 */
public final class NsgBlocker implements Blocker {
  static final String RULE_PREFIX = "sentinel-playbooks-block-";
  static final int PREFIXES_PER_RULE = 4000;

  /**
   * Azure's networking limits: "IP addresses and ranges specified for source or destination in a
   * security group" 4,000 (per NSG, over all its rules, ours and its own; source and destination
   * apart), "NSG rules per NSG" 1,000, and priorities 100 to 4096 (Learn, "Azure subscription and
   * service limits", networking section; MicrosoftDocs/azure-docs
   * includes/azure-virtual-network-limits.md and network-security-groups-overview.md;
   * ../shared/contracts/network/limits.md).
   */
  static final int PREFIXES_PER_NSG = 4000;

  static final int RULES_PER_NSG = 1000;
  static final int HIGHEST_PRIORITY = 4096;
  private static final Pattern OWNED =
      Pattern.compile(Pattern.quote(RULE_PREFIX) + "(ipv4|ipv6)-(\\d{1,4})");

  private final NetworkClient network;
  private final String nsgId;
  private final int basePriority;

  public NsgBlocker(NetworkClient network, String nsgId, int basePriority) {
    this.network = network;
    this.nsgId = nsgId;
    this.basePriority = basePriority;
  }

  @Override
  public String target() {
    return "nsg:" + nsgId;
  }

  /** A rule of ours: its family, its index and the rule as read. */
  private record Owned(String family, int index, SecurityRule rule) {}

  /** A rule to write: new (no etag) or changed, with its prefixes and priority. */
  private record Write(String name, SecurityRule current, List<String> prefixes, int priority) {}

  @Override
  public BlockOutcome block(Order order, boolean dryRun) {
    try {
      return ReadModifyWrite.untilWritten(() -> blockOnce(order, dryRun));
    } catch (RuntimeException e) {
      return BlockOutcome.failed(target(), e);
    }
  }

  private BlockOutcome blockOnce(Order order, boolean dryRun) {
    NetworkSecurityGroup nsg = network.getNetworkSecurityGroup(nsgId);
    List<Owned> owned = owned(nsg);
    List<String> present = new ArrayList<>();
    owned.forEach(o -> present.addAll(o.rule().sourcePrefixes()));
    BlockMerge merge = BlockMerge.of(order.addresses(), present, Map.of());
    if (merge.missing().isEmpty() || dryRun) {
      return new BlockOutcome(merge.action(target(), dryRun, ""), merge.enforced());
    }
    int held = sourcePrefixes(nsg);
    if (held + merge.missing().size() > PREFIXES_PER_NSG) {
      return BlockOutcome.failed(
          target(),
          "the NSG is full: its rules hold "
              + held
              + " source addresses and ranges, and "
              + merge.missing().size()
              + " more would pass Azure's limit of "
              + PREFIXES_PER_NSG
              + " per network security group; nothing was written. An IP Group on Azure"
              + " Firewall holds up to "
              + IpGroupBlocker.ADDRESSES_PER_GROUP
              + " ("
              + BlockSettings.BLOCK_IP_GROUP_IDS
              + ")");
    }
    List<Write> writes = plan(nsg, owned, merge.missing());
    if (writes.stream().anyMatch(w -> w.priority() > HIGHEST_PRIORITY)) {
      return BlockOutcome.failed(
          target(),
          "no inbound priority is free from "
              + basePriority
              + " to "
              + HIGHEST_PRIORITY
              + " for a new rule; nothing was written");
    }
    int newRules = (int) writes.stream().filter(w -> w.current() == null).count();
    if (nsg.rules().size() + newRules > RULES_PER_NSG) {
      return BlockOutcome.failed(
          target(),
          "the NSG has "
              + nsg.rules().size()
              + " rules and needs "
              + newRules
              + " more; Azure allows "
              + RULES_PER_NSG
              + " rules per NSG");
    }
    for (Write write : writes) {
      network.putDenyRule(
          nsgId, denyRule(write), write.current() == null ? null : write.current().etag());
    }
    String where =
        " in rule"
            + (writes.size() > 1 ? "s " : " ")
            + String.join(", ", writes.stream().map(Write::name).toList());
    return new BlockOutcome(merge.action(target(), false, where), merge.enforced());
  }

  @Override
  public ActionResult unblock(List<Cidr> addresses, boolean dryRun) {
    try {
      return ReadModifyWrite.untilWritten(() -> unblockOnce(addresses, dryRun));
    } catch (RuntimeException e) {
      return ActionResult.of(target(), "unblock", Outcome.FAILED, Actions.describe(e));
    }
  }

  private ActionResult unblockOnce(List<Cidr> addresses, boolean dryRun) {
    Set<Cidr> removing = new HashSet<>(addresses);
    List<Cidr> removed = new ArrayList<>();
    for (Owned rule : owned(network.getNetworkSecurityGroup(nsgId))) {
      List<String> kept = new ArrayList<>();
      for (String prefix : rule.rule().sourcePrefixes()) {
        Cidr parsed = parseOrNull(prefix);
        if (parsed != null && removing.contains(parsed)) {
          removed.add(parsed);
        } else {
          kept.add(prefix);
        }
      }
      if (dryRun || kept.size() == rule.rule().sourcePrefixes().size()) {
        continue;
      }
      if (kept.isEmpty()) {
        network.deleteSecurityRule(nsgId, rule.rule().name(), rule.rule().etag());
      } else {
        network.putDenyRule(
            nsgId,
            denyRule(new Write(rule.rule().name(), rule.rule(), kept, rule.rule().priority())),
            rule.rule().etag());
      }
    }
    List<Cidr> gone = addresses.stream().filter(a -> !removed.contains(a)).toList();
    return BlockMerge.unblockAction(target(), removed, gone, dryRun);
  }

  /**
   * The source addresses and ranges every rule of the NSG names, ours and its own; {@code *} is no
   * address, and a service tag is counted, so the count errs on the full side.
   */
  private static int sourcePrefixes(NetworkSecurityGroup nsg) {
    int count = 0;
    for (SecurityRule rule : nsg.rules()) {
      count += (int) rule.sourcePrefixes().stream().filter(p -> !p.equals("*")).count();
    }
    return count;
  }

  private static Cidr parseOrNull(String prefix) {
    try {
      return Cidr.parse(prefix);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static List<Owned> owned(NetworkSecurityGroup nsg) {
    List<Owned> owned = new ArrayList<>();
    for (SecurityRule rule : nsg.rules()) {
      Matcher m = OWNED.matcher(rule.name() == null ? "" : rule.name());
      if (m.matches()) {
        owned.add(new Owned(m.group(1), Integer.parseInt(m.group(2)), rule));
      }
    }
    owned.sort(Comparator.comparing(Owned::family).thenComparingInt(Owned::index));
    return owned;
  }

  /**
   * Fills the family's last rule up to the limit, then opens new rules at the lowest inbound
   * priorities from the base that no other rule uses.
   */
  private List<Write> plan(NetworkSecurityGroup nsg, List<Owned> owned, List<Cidr> missing) {
    Set<Integer> taken = new HashSet<>();
    for (SecurityRule rule : nsg.rules()) {
      if ("Inbound".equalsIgnoreCase(rule.direction())) {
        taken.add(rule.priority());
      }
    }
    List<Write> writes = new ArrayList<>();
    for (String family : List.of("ipv4", "ipv6")) {
      List<String> adding =
          missing.stream()
              .filter(c -> c.isIpv4() == family.equals("ipv4"))
              .map(Cidr::toString)
              .toList();
      if (adding.isEmpty()) {
        continue;
      }
      List<Owned> ours = owned.stream().filter(o -> o.family().equals(family)).toList();
      int next = 0;
      int index = 1;
      if (!ours.isEmpty()) {
        Owned last = ours.get(ours.size() - 1);
        index = last.index() + 1;
        List<String> prefixes = new ArrayList<>(last.rule().sourcePrefixes());
        int room = Math.max(0, PREFIXES_PER_RULE - prefixes.size());
        if (room > 0) {
          next = Math.min(room, adding.size());
          prefixes.addAll(adding.subList(0, next));
          writes.add(new Write(last.rule().name(), last.rule(), prefixes, last.rule().priority()));
        }
      }
      while (next < adding.size()) {
        int end = Math.min(adding.size(), next + PREFIXES_PER_RULE);
        int priority = basePriority;
        while (taken.contains(priority)) {
          priority++;
        }
        taken.add(priority);
        writes.add(
            new Write(
                RULE_PREFIX + family + "-" + index++,
                null,
                new ArrayList<>(adding.subList(next, end)),
                priority));
        next = end;
      }
    }
    return writes;
  }

  private static DenyRule denyRule(Write write) {
    return new DenyRule(
        write.name(),
        write.priority(),
        write.prefixes(),
        "Attacker addresses blocked by the sentinel-playbooks block-ip playbook; "
            + "kept by it, lifted when they expire");
  }
}
