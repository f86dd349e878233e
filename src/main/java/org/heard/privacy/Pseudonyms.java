package org.heard.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Phone numbers as personal data: stored as a keyed hash (the respondent key) unless the person
 * agreed to be contacted, and then also encrypted (AES-256-GCM) so the partnership can text back.
 * Both keys are derived from {@code HEARD_SECRET}, each for its one purpose.
 */
public final class Pseudonyms {
  private static final String VERSION = "v1";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] CONTACT_AAD = "heard-contact".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec hashKey;
  private final SecretKeySpec typedKey;
  private final SecretKeySpec encryptionKey;
  private final SecureRandom random = new SecureRandom();

  private final PhoneNumbers phones;

  /** Numbers written without a country code are read as British ones. */
  public Pseudonyms(String secret) {
    this(secret, new PhoneNumbers("GB"));
  }

  public Pseudonyms(String secret, PhoneNumbers phones) {
    this.phones = phones;
    byte[] master = secret.getBytes(StandardCharsets.UTF_8);
    this.hashKey = new SecretKeySpec(derive(master, "heard-respondent-key-v1"), "HmacSHA256");
    this.encryptionKey = new SecretKeySpec(derive(master, "heard-contact-encryption-v1"), "AES");
    this.typedKey = new SecretKeySpec(derive(master, "heard-typed-value-v1"), "HmacSHA256");
  }

  /**
   * A short keyed digest of something a person typed that must not be kept (an email field that
   * may hold a password): the same text always gives the same digest, so repeats can be seen.
   */
  public String typedValue(String typed) {
    return HexFormat.of().formatHex(hmac(typedKey, typed.strip().toLowerCase(Locale.ROOT)
        .getBytes(StandardCharsets.UTF_8)), 0, 8);
  }

  /** The number in E.164 if the text is a phone number (in any common form), else empty. */
  public Optional<String> phoneNumber(String typed) {
    return phones.e164(typed);
  }

  /** The same number always gives the same key; the number cannot be read back from it. */
  public String respondentKey(String phoneNumber) {
    return HexFormat.of().formatHex(hmac(hashKey, normalise(phoneNumber).getBytes(StandardCharsets.UTF_8)), 0, 20);
  }

  /** Encrypts a number for later contact; each call gives a different ciphertext. */
  public String encryptContact(String phoneNumber) {
    try {
      byte[] iv = new byte[IV_BYTES];
      random.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(CONTACT_AAD);
      byte[] sealed = cipher.doFinal(normalise(phoneNumber).getBytes(StandardCharsets.UTF_8));
      byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
      System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
      return VERSION + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
    }
  }

  /** Decrypts what {@link #encryptContact} produced; fails if it was altered or another key made it. */
  public String decryptContact(String sealed) {
    if (!sealed.startsWith(VERSION + ":")) {
      throw new IllegalArgumentException("not an encrypted contact of version " + VERSION);
    }
    byte[] data = Base64.getUrlDecoder().decode(sealed.substring(VERSION.length() + 1));
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
      cipher.updateAAD(CONTACT_AAD);
      return new String(cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the encrypted contact is damaged or from another key", e);
    }
  }

  /** Numbers compare without spaces, dashes or brackets, as people and providers write them. */
  private String normalise(String phoneNumber) {
    return phones.normalise(phoneNumber);
  }

  private static byte[] derive(byte[] master, String purpose) {
    return hmac(new SecretKeySpec(master, "HmacSHA256"), purpose.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
