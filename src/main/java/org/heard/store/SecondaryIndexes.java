package org.heard.store;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Non-unique indexes on the embedded store: mongo-java-server accepts them but keeps nothing (an
 * empty index that serves no query), and at every opening of the store it reads each collection
 * whole twice per such index to "fill" it: at 100,000 responses that was most of an 18 s start.
 * So a {@code createIndexes} command reaches the store with its unique indexes only (the rest,
 * declared for MongoDB, are answered as created), and those an older Heard created are dropped
 * once ({@link Database}).
 */
final class SecondaryIndexes {
  private SecondaryIndexes() {
  }

  /**
   * Strips the non-unique indexes from a {@code createIndexes} command, in place; returns the reply
   * when none is left (nothing to do), else null (send the rest on).
   */
  static Document strip(Document command) {
    if (command.isEmpty() || !"createIndexes".equals(command.keySet().iterator().next())
        || !(command.get("indexes") instanceof List<?> specs)) {
      return null;
    }
    List<Object> kept = new ArrayList<>();
    for (Object spec : specs) {
      if (spec instanceof Document index && (Boolean.TRUE.equals(index.get("unique")) || primaryKey(index))) {
        kept.add(spec);
      }
    }
    if (kept.size() == specs.size()) {
      return null;
    }
    if (kept.isEmpty()) {
      return new Document("ok", 1.0);
    }
    command.put("indexes", kept);
    return null;
  }

  /** Whether an index description (from {@code listIndexes}) is one the embedded store keeps nothing for. */
  static boolean isSecondary(Map<String, Object> index) {
    return !Boolean.TRUE.equals(index.get("unique")) && !"_id_".equals(index.get("name"));
  }

  private static boolean primaryKey(Document index) {
    return index.get("key") instanceof Document key && key.keySet().equals(java.util.Set.of("_id"));
  }
}
