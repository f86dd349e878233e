package org.heard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random bearer secrets (session cookies, API tokens, CSRF tokens) and the hashes they are stored
 * under: the database never holds a secret that would let someone who reads it sign in.
 */
public final class SecretTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretTokens() {
  }

  /** A random URL-safe token of {@code bytes} random bytes (base64url, no padding). */
  public static String random(int bytes) {
    byte[] raw = new byte[bytes];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  public static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Whether two secrets are equal, compared in constant time; a missing one never matches. */
  public static boolean same(String expected, String presented) {
    return expected != null && presented != null && MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether a presented token could be one of ours (cheap check before any database read). */
  static boolean plausible(String token, int bytes) {
    int length = (bytes * 4 + 2) / 3;
    return token != null && token.length() == length && token.matches("[A-Za-z0-9_-]+");
  }
}
