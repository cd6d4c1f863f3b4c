package org.sentinelplaybooks.clients;

/**
 * A value that must never be shown: a password, a client secret, a storage key. Its {@code
 * toString} hides it, so it cannot reach a log, a result or an exception message by accident;
 * {@link #reveal()} is called only where the value goes on the wire.
 */
public final class Secret {
  private final String value;

  public Secret(String value) {
    this.value = value;
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "****";
  }
}
