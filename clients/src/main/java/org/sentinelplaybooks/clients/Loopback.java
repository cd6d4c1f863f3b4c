package org.sentinelplaybooks.clients;

import java.net.URI;

/** Loopback checks by literal address only: no name is resolved, so DNS can never redirect one. */
public final class Loopback {
  private Loopback() {}

  public static boolean isLoopback(URI uri) {
    String host = uri.getHost();
    if (host == null) {
      return false;
    }
    if (host.equals("[::1]") || host.equals("::1")) {
      return true;
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }
}
