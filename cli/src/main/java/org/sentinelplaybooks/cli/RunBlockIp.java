package org.sentinelplaybooks.cli;

import java.util.List;
import org.sentinelplaybooks.playbooks.block.BlockIpOptions;
import org.sentinelplaybooks.playbooks.block.BlockIpPlaybook;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run block-ip}. */
@Command(
    name = BlockIpPlaybook.NAME,
    mixinStandardHelpOptions = true,
    description =
        "Block the incident's attacker IPs on the configured NSGs, IP Groups, named location and"
            + " Defender for Endpoint, until they expire.")
final class RunBlockIp extends PlaybookRunner {
  @Mixin RunOptions options;

  @Option(
      names = "--ip",
      paramLabel = "ADDRESS",
      description =
          "An address or CIDR to block instead of the incident's Ip entities (repeatable;"
              + " at most BLOCK_MAX_ADDRESSES, default 50).")
  List<String> ips;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      description = "How long the block lasts, ISO-8601 (e.g. P1D, PT12H); default BLOCK_TTL.")
  String ttl;

  @Override
  String playbook() {
    return BlockIpPlaybook.NAME;
  }

  @Override
  RunOptions options() {
    return options;
  }

  @Override
  BlockIpOptions playbookOptions(PlaybookSettings settings) {
    return BlockIpOptions.of(ips, ttl, settings);
  }
}
