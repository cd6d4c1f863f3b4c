package org.sentinelplaybooks.clients.network;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address or CIDR block, held as its network address and prefix length. Only
 * literals are parsed (never a host name, so no DNS lookup); host bits below the prefix are
 * cleared, so {@code 203.0.113.45/24} is {@code 203.0.113.0/24}.
 */
public final class Cidr {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final byte[] network;
  private final int prefix;

  private Cidr(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * Parses {@code address} or {@code address/prefix}.
   *
   * @throws IllegalArgumentException naming the value and what is wrong with it
   */
  public static Cidr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("an empty address");
    }
    String value = text.trim();
    int slash = value.indexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    boolean v4 = IPV4.matcher(address).matches();
    if (!v4 && !IPV6.matcher(address).matches()) {
      throw new IllegalArgumentException("'" + value + "' is not an IPv4 or IPv6 address or CIDR");
    }
    if (v4 && !octetsInRange(address)) {
      throw new IllegalArgumentException("'" + value + "' has an octet above 255");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + value + "' is not a valid IP address", e);
    }
    if (v4 != (bytes.length == 4)) {
      throw new IllegalArgumentException(
          "'" + value + "' is an IPv4-mapped IPv6 address; give the IPv4 address");
    }
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String length = value.substring(slash + 1);
      if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
        throw new IllegalArgumentException(
            "'" + value + "' has a bad prefix length; expected /0 to /" + bits);
      }
      prefix = Integer.parseInt(length);
    }
    return new Cidr(mask(bytes, prefix), prefix);
  }

  /** The block of {@code prefix} bits of {@code address} (4 or 16 bytes); host bits cleared. */
  public static Cidr of(byte[] address, int prefix) {
    if ((address.length != 4 && address.length != 16)
        || prefix < 0
        || prefix > address.length * 8) {
      throw new IllegalArgumentException(
          "not an IPv4 or IPv6 block: " + address.length + " bytes /" + prefix);
    }
    return new Cidr(mask(address, prefix), prefix);
  }

  /** The network address's bytes (4 for IPv4, 16 for IPv6), a copy. */
  public byte[] bytes() {
    return network.clone();
  }

  /**
   * The JDK takes an IPv4-shaped literal with an octet above 255 for a host name and looks it up in
   * DNS; such a literal is refused before it gets there.
   */
  private static boolean octetsInRange(String dottedQuad) {
    for (String octet : dottedQuad.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] masked = bytes.clone();
    for (int i = 0; i < masked.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      masked[i] &= (byte) (0xFF << (8 - keep));
    }
    return masked;
  }

  public boolean isIpv4() {
    return network.length == 4;
  }

  public int prefixLength() {
    return prefix;
  }

  /** One address ({@code /32} or {@code /128}). */
  public boolean isSingleAddress() {
    return prefix == network.length * 8;
  }

  /** True when every address of {@code other} is in this block. */
  public boolean contains(Cidr other) {
    return network.length == other.network.length
        && prefix <= other.prefix
        && java.util.Arrays.equals(network, mask(other.network, prefix));
  }

  /** True when the two blocks share an address. */
  public boolean overlaps(Cidr other) {
    return contains(other) || other.contains(this);
  }

  /** The network address alone, e.g. {@code 203.0.113.45} or {@code 2001:db8::}. */
  public String address() {
    try {
      String text = InetAddress.getByAddress(network).getHostAddress();
      return isIpv4() ? text : compress(text);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Always with the prefix length, e.g. {@code 203.0.113.45/32}: what CIDR-only APIs take. */
  public String toCidrString() {
    return address() + "/" + prefix;
  }

  /** The address alone for a single address, the CIDR otherwise: the canonical form. */
  @Override
  public String toString() {
    return isSingleAddress() ? address() : toCidrString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr cidr
        && prefix == cidr.prefix
        && java.util.Arrays.equals(network, cidr.network);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(network) * 31 + prefix;
  }

  /** How many addresses the block holds. */
  public BigInteger size() {
    return BigInteger.ONE.shiftLeft(network.length * 8 - prefix);
  }

  /** RFC 5952 form: lower case, the longest run of zero groups as {@code ::}. */
  private static String compress(String full) {
    String[] groups = full.toLowerCase(Locale.ROOT).split(":");
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < groups.length; ) {
      int j = i;
      while (j < groups.length && groups[j].replaceFirst("^0+", "").isEmpty()) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < groups.length; i++) {
      if (i == bestStart) {
        out.append(i == 0 ? "::" : ":");
        i += bestLength - 1;
        continue;
      }
      out.append(groups[i].replaceFirst("^0+(?=.)", ""));
      if (i < groups.length - 1) {
        out.append(':');
      }
    }
    return out.toString();
  }
}
