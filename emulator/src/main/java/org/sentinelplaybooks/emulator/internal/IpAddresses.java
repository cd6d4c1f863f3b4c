package org.sentinelplaybooks.emulator.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strict parsing of IP address literals, CIDR blocks and ranges, without any name lookup. */
final class IpAddresses {
  private static final Pattern IPV4 =
      Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
  private static final Pattern IPV6_CHARACTERS = Pattern.compile("^[0-9A-Fa-f:.]+$");
  private static final Pattern PREFIX_LENGTH = Pattern.compile("^\\d{1,3}$");

  private IpAddresses() {}

  /** The four octets of a dotted-quad IPv4 address, or null. */
  static int[] ipv4(String text) {
    Matcher m = IPV4.matcher(text);
    if (!m.matches()) {
      return null;
    }
    int[] octets = new int[4];
    for (int i = 0; i < 4; i++) {
      octets[i] = Integer.parseInt(m.group(i + 1));
      if (octets[i] > 255) {
        return null;
      }
    }
    return octets;
  }

  static boolean isIpv4(String text) {
    return ipv4(text) != null;
  }

  /** The 16 bytes of an IPv6 address literal, or null. */
  static byte[] ipv6(String text) {
    if (!text.contains(":") || !IPV6_CHARACTERS.matcher(text).matches()) {
      return null;
    }
    try {
      // In brackets the JDK parses the literal and never falls back to a name lookup.
      InetAddress address = InetAddress.getByName("[" + text + "]");
      if (address instanceof Inet6Address) {
        return address.getAddress();
      }
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
      return mapped;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static boolean isIpv6(String text) {
    return ipv6(text) != null;
  }

  static boolean isIpv4Cidr(String text) {
    int slash = text.indexOf('/');
    return slash > 0
        && isIpv4(text.substring(0, slash))
        && prefixLength(text.substring(slash + 1), 32);
  }

  static boolean isIpv6Cidr(String text) {
    int slash = text.indexOf('/');
    return slash > 0
        && isIpv6(text.substring(0, slash))
        && prefixLength(text.substring(slash + 1), 128);
  }

  /** {@code a-b} with two IPv4 addresses, the first not above the second. */
  static boolean isIpv4Range(String text) {
    int dash = text.indexOf('-');
    if (dash <= 0) {
      return false;
    }
    int[] from = ipv4(text.substring(0, dash));
    int[] to = ipv4(text.substring(dash + 1));
    return from != null && to != null && value(from) <= value(to);
  }

  /** Whether the text looks like it was meant as an IPv6 address, CIDR block or range. */
  static boolean looksIpv6(String text) {
    return text.contains(":");
  }

  /**
   * Private, loopback, link-local, unspecified and unique-local addresses: the ones that are not
   * reachable from the internet.
   */
  static boolean isInternal(String text) {
    int[] v4 = ipv4(text);
    if (v4 != null) {
      return v4[0] == 10
          || v4[0] == 127
          || v4[0] == 0
          || (v4[0] == 172 && v4[1] >= 16 && v4[1] <= 31)
          || (v4[0] == 192 && v4[1] == 168)
          || (v4[0] == 169 && v4[1] == 254)
          || (v4[0] == 100 && v4[1] >= 64 && v4[1] <= 127);
    }
    byte[] v6 = ipv6(text);
    if (v6 == null) {
      return false;
    }
    boolean mappedV4 = true;
    for (int i = 0; i < 10; i++) {
      mappedV4 &= v6[i] == 0;
    }
    if (mappedV4 && v6[10] == (byte) 0xff && v6[11] == (byte) 0xff) {
      return isInternal(
          (v6[12] & 0xff) + "." + (v6[13] & 0xff) + "." + (v6[14] & 0xff) + "." + (v6[15] & 0xff));
    }
    boolean zeroUpTo15 = true;
    for (int i = 0; i < 15; i++) {
      zeroUpTo15 &= v6[i] == 0;
    }
    return (zeroUpTo15 && (v6[15] == 0 || v6[15] == 1))
        || (v6[0] & 0xfe) == 0xfc
        || ((v6[0] & 0xff) == 0xfe && (v6[1] & 0xc0) == 0x80)
        || ((v6[0] & 0xff) == 0xfe && (v6[1] & 0xc0) == 0xc0);
  }

  private static boolean prefixLength(String text, int max) {
    return PREFIX_LENGTH.matcher(text).matches() && Integer.parseInt(text) <= max;
  }

  private static long value(int[] octets) {
    return ((long) octets[0] << 24) | ((long) octets[1] << 16) | (octets[2] << 8) | octets[3];
  }
}
