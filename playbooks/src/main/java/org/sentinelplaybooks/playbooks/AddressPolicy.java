package org.sentinelplaybooks.playbooks;

import java.util.List;
import java.util.Optional;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.network.Cidr;

/**
 * Which addresses may be blocked: public unicast only, no broader than /24 (IPv4) or /48 (IPv6),
 * and nothing that overlaps {@code BLOCK_NEVER}. Documentation ranges (192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are allowed, so examples and drills work.
 */
final class AddressPolicy {
  static final int BROADEST_IPV4 = 24;
  static final int BROADEST_IPV6 = 48;

  private record Reserved(Cidr range, String why) {}

  private static final List<Reserved> RESERVED =
      List.of(
          reserved("0.0.0.0/8", "unspecified (this network)"),
          reserved("10.0.0.0/8", "private (RFC 1918)"),
          reserved("100.64.0.0/10", "carrier-grade NAT (RFC 6598)"),
          reserved("127.0.0.0/8", "loopback"),
          reserved("169.254.0.0/16", "link-local"),
          reserved("172.16.0.0/12", "private (RFC 1918)"),
          reserved("192.168.0.0/16", "private (RFC 1918)"),
          reserved("224.0.0.0/4", "multicast"),
          reserved("240.0.0.0/4", "reserved (240.0.0.0/4)"),
          reserved("255.255.255.255/32", "broadcast"),
          reserved("::/128", "unspecified"),
          reserved("::1/128", "loopback"),
          reserved("fc00::/7", "private (unique local, RFC 4193)"),
          reserved("fe80::/10", "link-local"),
          reserved("ff00::/8", "multicast"));

  private final List<Cidr> never;

  AddressPolicy(List<Cidr> never) {
    this.never = List.copyOf(never);
  }

  private static Reserved reserved(String range, String why) {
    return new Reserved(Cidr.parse(range), why);
  }

  /** Why the address may not be blocked; empty when it may. */
  Optional<String> refusal(Cidr address) {
    int broadest = address.isIpv4() ? BROADEST_IPV4 : BROADEST_IPV6;
    if (address.prefixLength() < broadest) {
      return Optional.of(address + " is broader than /" + broadest + "; block narrower prefixes");
    }
    for (Reserved reserved : RESERVED) {
      if (reserved.range().overlaps(address)) {
        return Optional.of(address + " is " + reserved.why() + ", not a public address");
      }
    }
    for (Cidr protectedRange : never) {
      if (protectedRange.overlaps(address)) {
        return Optional.of(address + " is in " + protectedRange + " on " + Settings.BLOCK_NEVER);
      }
    }
    return Optional.empty();
  }
}
