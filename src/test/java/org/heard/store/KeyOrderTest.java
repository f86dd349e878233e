package org.heard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

/**
 * The order KeyOrder computes must be H2's own (by serialised bytes), or lookups in store files
 * written before would miss: checked on random keys of every kind it orders, and for the kinds it
 * leaves to H2.
 */
class KeyOrderTest {
  private static final ObjectDataType H2 = new ObjectDataType();
  private static final char[] CHARS = {'a', 'b', 'z', 'A', '0', '9', '#', '-', '\u0000', '\u007f', '\u0080', '\u00e9',
      '\u07ff', '\u0800', '\u4e2d', '\ud83d', '\ude00', '\uffff'};

  @Test
  void ordersKeysOfStringsNullsAndMissingAsH2Does() throws Exception {
    Random random = new Random(22);
    for (int size = 1; size <= 3; size++) {
      // An index's keys all have its number of fields.
      List<KeyValue> keys = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        keys.add(randomKey(random, size));
      }
      int decided = 0;
      for (KeyValue a : keys) {
        for (KeyValue b : keys) {
          int fast = KeyOrder.compare(a, b);
          if (fast != KeyOrder.UNKNOWN) {
            decided++;
            assertEquals(Integer.signum(H2.compare(a, b)), fast, a + " against " + b);
          }
        }
      }
      assertTrue(decided > keys.size() * keys.size() * 3 / 4, "most pairs are ordered without serialising: " + decided);
    }
  }

  @Test
  void keysReadBackFromTheirBytesOrderTheSame() throws Exception {
    // Keys in a page are deserialised copies: "missing" is then another object, strings other instances.
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      KeyValue a = randomKey(random, 2);
      KeyValue copy = roundTrip(a);
      KeyValue b = randomKey(random, 2);
      int fast = KeyOrder.compare(copy, b);
      if (fast != KeyOrder.UNKNOWN) {
        assertEquals(Integer.signum(H2.compare(copy, b)), fast);
      }
      assertEquals(0, KeyOrder.compare(a, copy) == KeyOrder.UNKNOWN ? 0 : KeyOrder.compare(a, copy));
    }
  }

  @Test
  void longStringsAndOtherTypesAreLeftToH2WhenTheyCannotBeOrderedFromValues() {
    String longText = "x".repeat(70_000);
    KeyValue longKey = new KeyValue(longText);
    KeyValue shortKey = new KeyValue("y");
    assertEquals(Integer.signum(H2.compare(longKey, shortKey)), KeyOrder.compare(longKey, shortKey));
    assertEquals(KeyOrder.UNKNOWN, KeyOrder.compare(new KeyValue("a", new Date(1)), new KeyValue("a", new Date(2))));
    assertEquals(KeyOrder.UNKNOWN, KeyOrder.compare(new KeyValue(1L), new KeyValue(2L)));
    String same = "same";
    assertEquals(KeyOrder.UNKNOWN, KeyOrder.compare(new KeyValue(same, same), new KeyValue("same", "other")),
        "a value written twice in one key is a back-reference");
    assertEquals(-1, KeyOrder.compare(new KeyValue("a", new Date(1)), new KeyValue("b", new Date(0))),
        "decided by the first value, before the dates");
  }

  private static KeyValue randomKey(Random random, int size) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int kind = random.nextInt(10);
      values.add(kind == 0 ? null : kind == 1 ? Missing.getInstance() : randomString(random));
    }
    // A key's values are never the same object twice here (but "missing"): that case is left to H2.
    return new KeyValue(values);
  }

  private static String randomString(Random random) {
    int length = random.nextInt(4) == 0 ? random.nextInt(3) : 30 + random.nextInt(4);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(random.nextInt(3) == 0 ? CHARS[random.nextInt(CHARS.length)] : (char) ('a' + random.nextInt(3)));
    }
    return new String(text.toString().toCharArray());
  }

  private static KeyValue roundTrip(KeyValue key) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(key);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (KeyValue) in.readObject();
    }
  }
}
