package org.heard.response;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of responses stored lately, each with its content hash, held in memory so that a key
 * reused with other answers is refused (409) also while the database is away, as it is when the
 * database can be asked. Filled as responses are stored here, and from the database at start-up (and
 * every half minute when other instances may share it). Both are kept as 64-bit digests: a hundred
 * thousand keys take a few megabytes; a false match needs two 64-bit collisions at once.
 */
final class RecentKeys {
  private final Map<Long, Long> hashById;

  RecentKeys(int capacity) {
    this.hashById = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized void remember(String id, String contentHash) {
    if (id != null && contentHash != null) {
      hashById.put(digest(id), digest(contentHash));
    }
  }

  synchronized void forget(String id) {
    hashById.remove(digest(id));
  }

  /** Whether a response stored under {@code id} had other content; false when unknown or the same. */
  synchronized boolean reusedWithOtherContent(String id, String contentHash) {
    Long known = hashById.get(digest(id));
    return known != null && known != digest(contentHash);
  }

  private static long digest(String value) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(sha).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
