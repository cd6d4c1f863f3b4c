package org.sentinelplaybooks.playbooks.identity;

import java.security.SecureRandom;

/**
 * Random passwords that meet Entra ID's complexity rules: 20 characters from all four classes
 * (lower and upper case, digits, symbols), from {@link SecureRandom}, as a {@code char[]} the
 * caller wipes after use.
 */
public final class PasswordGenerator {
  static final int LENGTH = 20;
  private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
  private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  private static final String DIGITS = "23456789";
  private static final String SYMBOLS = "!@#$%^&*()-_=+[]{}?";
  private static final String ALL = LOWER + UPPER + DIGITS + SYMBOLS;

  private final SecureRandom random = new SecureRandom();

  char[] next() {
    char[] password = new char[LENGTH];
    password[0] = pick(LOWER);
    password[1] = pick(UPPER);
    password[2] = pick(DIGITS);
    password[3] = pick(SYMBOLS);
    for (int i = 4; i < LENGTH; i++) {
      password[i] = pick(ALL);
    }
    for (int i = LENGTH - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      char swap = password[i];
      password[i] = password[j];
      password[j] = swap;
    }
    return password;
  }

  private char pick(String characters) {
    return characters.charAt(random.nextInt(characters.length()));
  }
}
