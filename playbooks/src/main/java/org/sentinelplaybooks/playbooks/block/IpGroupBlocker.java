package org.sentinelplaybooks.playbooks.block;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.clients.network.IpGroup;
import org.sentinelplaybooks.clients.network.NetworkClient;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.ReadModifyWrite;

/**
 * Blocks in an Azure Firewall IP Group (which the firewall's deny rules reference): merges into
 * {@code ipAddresses} with the group's etag, redone from a fresh read on a conflict. IP Groups take
 * IPv4 only and at most {@link #ADDRESSES_PER_GROUP} entries.
 */
public final class IpGroupBlocker implements Blocker {
  static final int ADDRESSES_PER_GROUP = 5000;

  private final NetworkClient network;
  private final String ipGroupId;

  public IpGroupBlocker(NetworkClient network, String ipGroupId) {
    this.network = network;
    this.ipGroupId = ipGroupId;
  }

  @Override
  public String target() {
    return "ip-group:" + ipGroupId;
  }

  @Override
  public BlockOutcome block(Order order, boolean dryRun) {
    try {
      return ReadModifyWrite.untilWritten(() -> blockOnce(order, dryRun));
    } catch (RuntimeException e) {
      return BlockOutcome.failed(target(), e);
    }
  }

  private BlockOutcome blockOnce(Order order, boolean dryRun) {
    Map<Cidr, String> ipv6 = new LinkedHashMap<>();
    order.addresses().stream()
        .filter(a -> !a.isIpv4())
        .forEach(a -> ipv6.put(a, "IP Groups take IPv4 only"));
    IpGroup group = network.getIpGroup(ipGroupId);
    BlockMerge merge = BlockMerge.of(order.addresses(), group.ipAddresses(), ipv6);
    if (merge.missing().isEmpty() || dryRun) {
      return new BlockOutcome(merge.action(target(), dryRun, ""), merge.enforced());
    }
    List<String> addresses = new ArrayList<>(group.ipAddresses());
    merge.missing().forEach(a -> addresses.add(a.toString()));
    if (addresses.size() > ADDRESSES_PER_GROUP) {
      return BlockOutcome.full(
          target(),
          "the IP Group holds " + group.ipAddresses().size() + " addresses",
          merge.missing().size(),
          "Azure's limit of " + ADDRESSES_PER_GROUP);
    }
    network.putIpGroupAddresses(group, addresses);
    return new BlockOutcome(merge.action(target(), false, ""), merge.enforced());
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
    IpGroup group = network.getIpGroup(ipGroupId);
    List<String> kept = new ArrayList<>();
    List<Cidr> removed = new ArrayList<>();
    for (String entry : group.ipAddresses()) {
      List<Cidr> parsed = BlockMerge.parseAll(List.of(entry));
      if (!parsed.isEmpty() && addresses.contains(parsed.get(0))) {
        removed.add(parsed.get(0));
      } else {
        kept.add(entry);
      }
    }
    if (!removed.isEmpty() && !dryRun) {
      network.putIpGroupAddresses(group, kept);
    }
    List<Cidr> gone = addresses.stream().filter(a -> !removed.contains(a)).toList();
    return BlockMerge.unblockAction(target(), removed, gone, dryRun);
  }
}
