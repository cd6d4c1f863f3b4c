package org.sentinelplaybooks.clients.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
  @ParameterizedTest
  @CsvSource({
    "203.0.113.45, 203.0.113.45, 203.0.113.45/32",
    "203.0.113.45/32, 203.0.113.45, 203.0.113.45/32",
    "203.0.113.45/24, 203.0.113.0/24, 203.0.113.0/24",
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1, 2001:db8::1/128",
    "2001:db8:abcd:12::/48, 2001:db8:abcd::/48, 2001:db8:abcd::/48",
    "::, ::, ::/128",
    "fe80:0:0:0:1:0:0:0/64, fe80::/64, fe80::/64"
  })
  void isHeldInItsCanonicalForm(String given, String canonical, String cidr) {
    Cidr parsed = Cidr.parse(given);
    assertEquals(canonical, parsed.toString());
    assertEquals(cidr, parsed.toCidrString());
    assertEquals(parsed, Cidr.parse(canonical));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.com",
        "203.0.113",
        "203.0.113.256",
        "203.0.113.1/33",
        "203.0.113.1/-1",
        "2001:db8::1/129",
        "::ffff:203.0.113.1",
        "",
        "1:2:3:4:5:6:7:8:9"
      })
  void refusesWhatIsNotAnAddressOrCidrNamingIt(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    assertTrue(text.isEmpty() || e.getMessage().contains(text), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"999.1.1.1", "198.51.100.300", "256.0.0.1/32"})
  void anOctetAbove255IsRefusedAsSuch(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    assertEquals("'" + text + "' has an octet above 255", e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void containmentFollowsThePrefixAndTheFamily() {
    Cidr block = Cidr.parse("203.0.113.0/24");
    assertTrue(block.contains(Cidr.parse("203.0.113.45")));
    assertFalse(block.contains(Cidr.parse("203.0.114.1")));
    assertFalse(Cidr.parse("203.0.113.45").contains(block));
    assertTrue(Cidr.parse("203.0.113.45").overlaps(block));
    assertFalse(Cidr.parse("::/0").contains(Cidr.parse("203.0.113.45")));
    assertTrue(Cidr.parse("2001:db8::/32").contains(Cidr.parse("2001:db8:ffff::1")));
  }

  @Test
  void aBlockIsMadeFromBytesWithItsHostBitsCleared() {
    Cidr block = Cidr.of(new byte[] {(byte) 203, 0, 113, 45}, 24);
    assertEquals("203.0.113.0/24", block.toString());
    assertEquals(Cidr.parse("203.0.113.0/24"), block);
    byte[] bytes = block.bytes();
    bytes[0] = 10;
    assertEquals("203.0.113.0/24", block.toString(), "the bytes handed out are a copy");
    assertThrows(IllegalArgumentException.class, () -> Cidr.of(new byte[5], 8));
    assertThrows(IllegalArgumentException.class, () -> Cidr.of(new byte[4], 33));
  }
}
