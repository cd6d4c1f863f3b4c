package org.sentinelplaybooks.playbooks.block;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sentinelplaybooks.clients.network.Cidr;

/**
 * Which addresses may be blocked: globally reachable unicast only, no broader than /24 (IPv4) or
 * /48 (IPv6), and nothing that overlaps {@code BLOCK_NEVER}. An IPv6 form that carries an IPv4
 * address (IPv4-mapped and -compatible, NAT64, 6to4, Teredo) is judged as the IPv4 it carries, by
 * the same rules, so that {@code 64:ff9b::10.0.0.1} is as private as {@code 10.0.0.1}.
 *
 * <p>The refused ranges are those of the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC
 * 6890 and its updates; iana.org/assignments/iana-ipv4-special-registry and
 * iana-ipv6-special-registry) marked not globally reachable, plus multicast, the reserved 240/4,
 * the deprecated site-local fec0::/10 (RFC 3879) and every IPv6 address outside global unicast
 * 2000::/3 (IANA IPv6 Address Space). The documentation ranges (192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24, 2001:db8::/32, 3fff::/20) are deliberately allowed, so examples and drills work.
 */
public final class AddressPolicy {
  static final int BROADEST_IPV4 = 24;
  static final int BROADEST_IPV6 = 48;

  /** A refused range, why, and the more specific blocks inside it that are judged on their own. */
  private record Reserved(Cidr range, String why, List<Cidr> except) {}

  private static final List<Reserved> RESERVED =
      List.of(
          reserved("0.0.0.0/8", "in 'this network' (RFC 791)"),
          reserved("10.0.0.0/8", "private (RFC 1918)"),
          reserved("100.64.0.0/10", "shared address space, carrier-grade NAT (RFC 6598)"),
          reserved("127.0.0.0/8", "loopback (RFC 1122)"),
          reserved("169.254.0.0/16", "link-local (RFC 3927)"),
          reserved("172.16.0.0/12", "private (RFC 1918)"),
          reserved("192.0.0.0/24", "reserved for IETF protocol assignments (RFC 6890)"),
          reserved("192.88.99.0/24", "the deprecated 6to4 relay anycast (RFC 7526)"),
          reserved("192.168.0.0/16", "private (RFC 1918)"),
          reserved("198.18.0.0/15", "reserved for benchmarking (RFC 2544)"),
          reserved("224.0.0.0/4", "multicast (RFC 5771)"),
          reserved("240.0.0.0/4", "reserved (RFC 1112)"),
          reserved("255.255.255.255/32", "limited broadcast (RFC 919)"),
          reserved("::/128", "unspecified (RFC 4291)"),
          reserved("::1/128", "loopback (RFC 4291)"),
          reserved("64:ff9b:1::/48", "local-use IPv4/IPv6 translation (RFC 8215)"),
          reserved("100::/64", "discard-only (RFC 6666)"),
          reserved("100:0:0:1::/64", "the dummy IPv6 prefix (RFC 9780)"),
          // 2001::/23 is not globally reachable except the blocks IANA marks reachable and Teredo,
          // which is judged by the IPv4 addresses it carries.
          new Reserved(
              Cidr.parse("2001::/23"),
              "reserved for IETF protocol assignments (RFC 2928)",
              List.of(
                  Cidr.parse("2001::/32"),
                  Cidr.parse("2001:1::1/128"),
                  Cidr.parse("2001:1::2/128"),
                  Cidr.parse("2001:1::3/128"),
                  Cidr.parse("2001:3::/32"),
                  Cidr.parse("2001:4:112::/48"),
                  Cidr.parse("2001:20::/28"),
                  Cidr.parse("2001:30::/28"))),
          reserved("5f00::/16", "reserved for segment routing SIDs (RFC 9602)"),
          reserved("fc00::/7", "private (unique local, RFC 4193)"),
          reserved("fe80::/10", "link-local (RFC 4291)"),
          reserved("fec0::/10", "the deprecated site-local (RFC 3879)"),
          reserved("ff00::/8", "multicast (RFC 4291)"));

  private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");

  private static final byte[] MAPPED_PREFIX = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0
  };

  /** Where an IPv6 form keeps the IPv4 address it carries. */
  private enum Carrier {
    MAPPED("IPv4-mapped, ::ffff:0:0/96 (RFC 4291)", null, 96, false),
    COMPATIBLE("IPv4-compatible, ::/96 (RFC 4291)", "::/96", 96, false),
    NAT64("NAT64, 64:ff9b::/96 (RFC 6052)", "64:ff9b::/96", 96, false),
    // RFC 6052's /48 layout: octets 1-2 in bits 48-63, bits 64-71 zero, octets 3-4 in bits 72-87.
    NAT64_LOCAL("local-use NAT64, 64:ff9b:1::/48 (RFC 8215)", "64:ff9b:1::/48", -1, false),
    SIX_TO_FOUR("6to4, 2002::/16 (RFC 3056)", "2002::/16", 16, false),
    TEREDO_SERVER("Teredo server, 2001::/32 (RFC 4380)", "2001::/32", 32, false),
    // The Teredo client's address is kept inverted in the last 32 bits.
    TEREDO_CLIENT("Teredo client, 2001::/32 (RFC 4380)", "2001::/32", 96, true);

    final String name;
    final Cidr range;
    final int start;
    final boolean inverted;

    Carrier(String name, String range, int start, boolean inverted) {
      this.name = name;
      // The JDK reads ::ffff:a.b.c.d as IPv4, so the mapped range is built from its bytes.
      this.range = range == null ? Cidr.of(MAPPED_PREFIX, 96) : Cidr.parse(range);
      this.start = start;
      this.inverted = inverted;
    }

    /** The IPv4 block {@code address} carries: as many of its 32 bits as the prefix fixes. */
    Cidr carried(Cidr address) {
      byte[] v6 = address.bytes();
      int p = address.prefixLength();
      byte[] v4 = new byte[4];
      int known;
      if (start < 0) {
        v4 = new byte[] {v6[6], v6[7], v6[9], v6[10]};
        known = p <= 64 ? clamp(p - 48, 16) : p <= 72 ? 16 : Math.min(32, 16 + (p - 72));
      } else {
        System.arraycopy(v6, start / 8, v4, 0, 4);
        known = clamp(p - start, 32);
      }
      if (inverted) {
        for (int i = 0; i < 4; i++) {
          v4[i] = (byte) ~v4[i];
        }
      }
      return Cidr.of(v4, known);
    }

    private static int clamp(int bits, int most) {
      return Math.max(0, Math.min(most, bits));
    }
  }

  private final List<Cidr> never;

  AddressPolicy(List<Cidr> never) {
    this.never = List.copyOf(never);
  }

  private static Reserved reserved(String range, String why) {
    return new Reserved(Cidr.parse(range), why, List.of());
  }

  /** Why the address may not be blocked; empty when it may. The reason names the range. */
  Optional<String> refusal(Cidr address) {
    int broadest = address.isIpv4() ? BROADEST_IPV4 : BROADEST_IPV6;
    if (address.prefixLength() < broadest) {
      return Optional.of(address + " is broader than /" + broadest + "; block narrower prefixes");
    }
    List<Carrier> carriers = carriers(address);
    for (Carrier carrier : carriers) {
      Cidr carried = carrier.carried(address);
      Optional<String> inner = refusal(carried);
      if (inner.isPresent()) {
        return Optional.of(
            address + " carries the IPv4 " + carried + " (" + carrier.name + "): " + inner.get());
      }
    }
    for (Reserved reserved : RESERVED) {
      if (reserved.range().overlaps(address)
          && reserved.except().stream().noneMatch(e -> e.contains(address))) {
        return Optional.of(
            address
                + " is "
                + reserved.why()
                + ", in "
                + reserved.range()
                + ": not a globally reachable address");
      }
    }
    if (!address.isIpv4() && carriers.isEmpty() && !GLOBAL_UNICAST.contains(address)) {
      return Optional.of(
          address
              + " is outside "
              + GLOBAL_UNICAST
              + ", IPv6 global unicast (IANA IPv6 Address Space): not a globally reachable"
              + " address");
    }
    for (Cidr protectedRange : never) {
      if (protectedRange.overlaps(address)) {
        return Optional.of(
            address + " is in " + protectedRange + " on " + BlockSettings.BLOCK_NEVER);
      }
    }
    return Optional.empty();
  }

  /** The forms of IPv6 address that carry an IPv4 one and hold {@code address}. */
  private static List<Carrier> carriers(Cidr address) {
    List<Carrier> found = new ArrayList<>();
    if (address.isIpv4()) {
      return found;
    }
    for (Carrier carrier : Carrier.values()) {
      boolean unspecifiedOrLoopback =
          carrier == Carrier.COMPATIBLE
              && (Cidr.parse("::/127").contains(address) || address.prefixLength() < 96);
      if (carrier.range.contains(address) && !unspecifiedOrLoopback) {
        found.add(carrier);
      }
    }
    return found;
  }
}
