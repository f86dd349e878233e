package org.heard.store;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Finds by string {@code _id} ({@code {_id: "x"}} or {@code {_id: {$in: [...]}}}) answered straight from
 * the embedded store's data map. mongo-java-server answers them through its {@code _id} index, whose
 * keys H2 compares by serialising both sides to bytes at every step of a lookup, and then checks each
 * document against the whole {@code $in} list: a thousand ids cost about as much as reading the
 * whole collection would. The data map is keyed by the {@code _id} itself, and H2 compares strings as
 * strings, so here each id is one quick lookup. The answer is the one MongoDB gives (the documents
 * with those ids, projected); anything else (another filter, a sort, a skip, a projection this does
 * not handle) goes to the store's own query engine, so a result never depends on which path ran.
 */
final class IdReads {
  /** The data map of collection {@code db.coll} in mongo-java-server's H2 layout. */
  private static final String DATA_MAP_PREFIX = "databases.";
  /** Fields of a find command that do not change its result. */
  private static final Set<String> NEUTRAL = Set.of("find", "filter", "projection", "batchSize", "limit",
      "singleBatch", "$db", "lsid", "$readPreference", "$clusterTime", "readConcern", "maxTimeMS", "comment",
      "txnNumber", "apiVersion", "apiStrict", "apiDeprecationErrors");
  /** Finds answered here since start (tests check the quick path is the one taken). */
  private static final AtomicLong ANSWERED = new AtomicLong();

  private IdReads() {
  }

  /** The reply to {@code message} if it is a find this answers, else null (the store's engine answers it). */
  static Document answer(MVStore store, MongoMessage message) {
    Document command = message.getDocument();
    if (command.isEmpty() || !"find".equals(command.keySet().iterator().next())
        || !(command.get("find") instanceof String collection) || collection.startsWith("system.")
        || !NEUTRAL.containsAll(command.keySet())) {
      return null;
    }
    List<String> ids = ids(command.get("filter"));
    Fields fields = Fields.of(command.get("projection"));
    int limit = command.get("limit") instanceof Number n ? Math.abs(n.intValue()) : 0;
    String database = message.getDatabaseName();
    String mapName = DATA_MAP_PREFIX + database + "." + collection;
    if (ids == null || fields == null || database == null || !store.hasMap(mapName)) {
      return null;
    }
    MVMap<Object, Document> data = store.openMap(mapName);
    List<Document> found = new ArrayList<>();
    for (String id : ids) {
      Document document = data.get(id);
      if (document != null) {
        found.add(fields.project(document));
        if (limit > 0 && found.size() >= limit) {
          break;
        }
      }
    }
    ANSWERED.incrementAndGet();
    Document cursor = new Document();
    cursor.put("id", 0L);
    cursor.put("ns", database + "." + collection);
    cursor.put("firstBatch", found);
    Document reply = new Document();
    reply.put("cursor", cursor);
    reply.put("ok", 1.0);
    return reply;
  }

  static long answered() {
    return ANSWERED.get();
  }

  /** The ids a filter asks for, in order and once each, or null when it asks for anything else. */
  private static List<String> ids(Object filter) {
    if (!(filter instanceof Document document) || document.size() != 1 || !document.containsKey("_id")) {
      return null;
    }
    Object value = document.get("_id");
    if (value instanceof String id) {
      return List.of(id);
    }
    if (!(value instanceof Document operator) || operator.size() != 1
        || !(operator.get("$in") instanceof Collection<?> values)) {
      return null;
    }
    TreeSet<String> ids = new TreeSet<>();
    for (Object id : values) {
      if (!(id instanceof String string)) {
        return null;
      }
      ids.add(string);
    }
    return new ArrayList<>(ids);
  }

  /** A projection of top-level fields to include (with or without {@code _id}); all fields when empty. */
  private record Fields(Set<String> included, boolean withId) {
    static Fields of(Object projection) {
      if (projection == null) {
        return new Fields(Set.of(), true);
      }
      if (!(projection instanceof Document document)) {
        return null;
      }
      Set<String> included = new TreeSet<>();
      boolean withId = true;
      for (String field : document.keySet()) {
        Object value = document.get(field);
        boolean include = value instanceof Boolean b ? b : value instanceof Number n && n.doubleValue() != 0;
        boolean exclude = value instanceof Boolean b ? !b : value instanceof Number n && n.doubleValue() == 0;
        if (field.equals("_id") && (include || exclude)) {
          withId = include;
        } else if (include && !field.contains(".") && !field.startsWith("$")) {
          included.add(field);
        } else {
          return null;
        }
      }
      // {_id: 0} alone excludes _id from whole documents: not handled here.
      return !withId && included.isEmpty() ? null : new Fields(included, withId);
    }

    Document project(Document document) {
      if (included.isEmpty()) {
        return document;
      }
      Document projected = new Document();
      if (withId && document.containsKey("_id")) {
        projected.put("_id", document.get("_id"));
      }
      for (String field : document.keySet()) {
        if (included.contains(field)) {
          projected.put(field, document.get(field));
        }
      }
      return projected;
    }
  }
}
