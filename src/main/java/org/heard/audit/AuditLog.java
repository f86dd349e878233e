package org.heard.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.store.Documents;

/**
 * The append-only {@code audit_log} collection. Heard only ever inserts into it: there is no update
 * or delete path in the code (on a real MongoDB, give Heard's user a role without remove on it).
 * An action that must be audited writes its entry first and fails if the entry cannot be written.
 */
public final class AuditLog {
  public static final String COLLECTION = "audit_log";
  /** The most entries one read returns; filters narrow it down. */
  public static final int MAX_RESULTS = 500;

  private final MongoClient mongo;
  private final Clock clock;

  public AuditLog(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  public Future<Void> createIndexes() {
    // The log newest first, by action, and by actor and action (the audit page's filters).
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("at", -1), new IndexOptions().name("at"))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("action", 1).put("at", -1),
            new IndexOptions().name("action_at")))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("actor", 1).put("action", 1)
            .put("at", -1), new IndexOptions().name("actor_action_at")));
  }

  /** Writes what {@code by} did now, to which records, with which details. */
  public Future<Void> record(Actor by, AuditAction action, List<String> records, Map<String, Object> details) {
    return record(new AuditEvent(Instant.now(clock), by.accountId(), by.roleKey(), action, records, details));
  }

  public Future<Void> record(AuditEvent event) {
    JsonObject document = new JsonObject()
        .put("at", Documents.date(event.at()))
        .put("actor", event.actor())
        .put("role", event.role())
        .put("action", event.action().key())
        .put("records", new JsonArray(event.records()))
        .put("details", new JsonObject(new LinkedHashMap<>(event.details())));
    return mongo.insert(COLLECTION, document).mapEmpty();
  }

  /** Filters for reading the log; null means "any". */
  public record Query(String actor, AuditAction action, String record, Instant from, Instant to) {
  }

  /** Matching entries, newest first, at most {@link #MAX_RESULTS}. */
  public Future<List<AuditEvent>> find(Query query) {
    JsonObject filter = new JsonObject();
    if (query.actor() != null) {
      filter.put("actor", query.actor());
    }
    if (query.action() != null) {
      filter.put("action", query.action().key());
    }
    if (query.record() != null) {
      filter.put("records", query.record());
    }
    if (query.from() != null || query.to() != null) {
      JsonObject range = new JsonObject();
      if (query.from() != null) {
        range.put("$gte", Documents.date(query.from()));
      }
      if (query.to() != null) {
        range.put("$lt", Documents.date(query.to()));
      }
      filter.put("at", range);
    }
    FindOptions options = new FindOptions().setSort(new JsonObject().put("at", -1)).setLimit(MAX_RESULTS);
    return mongo.findWithOptions(COLLECTION, filter, options).map(found -> found.stream().map(d -> new AuditEvent(
        Documents.instant(d.getJsonObject("at")),
        d.getString("actor"),
        d.getString("role"),
        AuditAction.fromKey(d.getString("action")),
        d.getJsonArray("records", new JsonArray()).stream().map(String::valueOf).toList(),
        Documents.plainMap(d.getJsonObject("details")))).toList());
  }
}
