package org.heard.store;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;

/**
 * The order H2 keeps the embedded store's unique index keys in, computed without serialising them.
 * H2 compares a key type it does not know (mongo-java-server's {@link KeyValue}) by writing both
 * keys with Java serialisation and comparing the bytes, at every step of every lookup: a profile of
 * ingest had two thirds of the store's insert time there. For keys of strings, nulls and "missing"
 * (every key Heard's indexes hold but dates), this gives the same order from the values: the two
 * streams are equal up to the first value that differs, and there a null is written as one byte
 * (0x70), "missing" as an object (0x73), a string as 0x74 (or 0x7C when over 65,535 bytes), its
 * modified UTF-8 length and bytes. The order must be exactly the one already on disk, or lookups
 * in existing files would miss: {@code KeyOrderTest} checks it against H2's own on random keys.
 */
final class KeyOrder {
  /** The comparison cannot be made from the values (another type, or a value written as a back-reference). */
  static final int UNKNOWN = Integer.MIN_VALUE;
  private static final int MAX_SHORT_UTF = 0xFFFF;

  private KeyOrder() {
  }

  /** The sign of H2's comparison of the two keys' serialised forms, or {@link #UNKNOWN}. */
  static int compare(KeyValue a, KeyValue b) {
    if (a.size() != b.size()) {
      return UNKNOWN;
    }
    for (int i = 0; i < a.size(); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      int rankX = rank(x);
      int rankY = rank(y);
      if (rankX < 0 || rankY < 0 || writtenBefore(a, i) || writtenBefore(b, i)) {
        return UNKNOWN;
      }
      if (rankX != rankY) {
        return rankX < rankY ? -1 : 1;
      }
      if (x instanceof String s && y instanceof String t && !s.equals(t)) {
        return compareStrings(s, t);
      }
    }
    return 0;
  }

  /** The first byte Java serialisation writes for the value, in H2's unsigned order; -1 for other types. */
  private static int rank(Object value) {
    if (value == null) {
      return 0x70;
    }
    if (value instanceof Missing) {
      return 0x73;
    }
    if (value instanceof String s) {
      return utfLength(s) > MAX_SHORT_UTF ? 0x7C : 0x74;
    }
    return -1;
  }

  /** Whether the same object (not null) came earlier in the key: Java serialisation then writes a reference. */
  private static boolean writtenBefore(KeyValue key, int index) {
    Object value = key.get(index);
    if (value == null) {
      return false;
    }
    for (int i = 0; i < index; i++) {
      if (key.get(i) == value) {
        return true;
      }
    }
    return false;
  }

  /** Two different strings of the same tag: by modified UTF-8 length, then by their bytes. */
  private static int compareStrings(String s, String t) {
    int lengths = Long.compare(utfLength(s), utfLength(t));
    if (lengths != 0) {
      return lengths;
    }
    int n = Math.min(s.length(), t.length());
    for (int i = 0; i < n; i++) {
      int x = utfOrder(s.charAt(i));
      int y = utfOrder(t.charAt(i));
      if (x != y) {
        return x < y ? -1 : 1;
      }
    }
    return Integer.compare(s.length(), t.length());
  }

  /** Modified UTF-8 bytes sort as their chars do, but for U+0000 (written as C0 80: after U+007F, before U+0080). */
  private static int utfOrder(char c) {
    return c == 0 ? 0x7F * 2 + 1 : c * 2;
  }

  private static long utfLength(String s) {
    long length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      length += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
    }
    return length;
  }
}
