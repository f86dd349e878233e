package org.heard.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Respondent keys (keyed hashes) and encrypted contact numbers. */
class PseudonymsTest {
  private static final String SECRET = "a-test-secret-of-at-least-32-characters!";
  private final Pseudonyms pseudonyms = new Pseudonyms(SECRET);

  @Test
  void theRespondentKeyIsStableAndHidesTheNumber() {
    String key = pseudonyms.respondentKey("+447700900123");
    assertEquals(key, pseudonyms.respondentKey("+44 7700 900123"), "spacing does not make another person");
    assertEquals(40, key.length());
    assertFalse(key.contains("7700900123"));
    assertNotEquals(key, pseudonyms.respondentKey("+447700900124"));
    assertNotEquals(key, new Pseudonyms(SECRET + "x").respondentKey("+447700900123"),
        "another partnership's secret gives another key");
  }

  @Test
  void contactNumbersRoundTripAndNeverRepeatTheirCiphertext() {
    String first = pseudonyms.encryptContact("+447700900123");
    String second = pseudonyms.encryptContact("+447700900123");
    assertTrue(first.startsWith("v1:"));
    assertNotEquals(first, second);
    assertFalse(first.contains("7700900123"));
    assertEquals("+447700900123", pseudonyms.decryptContact(first));
    assertEquals("+447700900123", new Pseudonyms(SECRET).decryptContact(second), "the key is derived, not random");
  }

  @Test
  void alteredOrForeignCiphertextIsRefused() {
    String sealed = pseudonyms.encryptContact("+447700900123");
    int middle = sealed.length() / 2;
    char c = sealed.charAt(middle);
    String altered = sealed.substring(0, middle) + (c == 'A' ? 'B' : 'A') + sealed.substring(middle + 1);
    assertThrows(IllegalArgumentException.class, () -> pseudonyms.decryptContact(altered));
    assertThrows(IllegalArgumentException.class, () -> new Pseudonyms(SECRET + "x").decryptContact(sealed));
    assertThrows(IllegalArgumentException.class, () -> pseudonyms.decryptContact("v0:abc"));
  }
}
