package org.heard.export;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.heard.store.Documents;

/**
 * Exports prepared in the background, kept in the database so any instance can hand them over:
 * {@code exports} holds one document per export ({@code {_id, survey, format, name, contentType,
 * by, createdAt, expiresAt, parts, bytes, complete}}) and {@code export_parts} its bytes in parts of
 * at most {@link #PART_BYTES} ({@code {_id: "<export>#<n>", data}}), each read by {@code _id}. An
 * export is kept for {@link #KEPT} and then deleted (a sweep, and a TTL index on MongoDB).
 */
public final class StoredExports {
  public static final String COLLECTION = "exports";
  public static final String PARTS = "export_parts";
  static final int PART_BYTES = 256 * 1024;
  static final Duration KEPT = Duration.ofHours(24);

  /** What is stored about one export. */
  public record Stored(String id, String survey, String name, String contentType, String by, int parts, long bytes,
                       boolean complete, Instant expiresAt) {
  }

  private final MongoClient mongo;
  private final Clock clock;

  public StoredExports(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("expiresAt", 1),
            new IndexOptions().name("expires").expireAfter(0L, TimeUnit.SECONDS))
        .compose(v -> mongo.createIndexWithOptions(PARTS, new JsonObject().put("expiresAt", 1),
            new IndexOptions().name("expires").expireAfter(0L, TimeUnit.SECONDS)));
  }

  /** A new export's record, and where its bytes go; the record is complete once the sink ends. */
  Future<ExportSink> create(String id, String survey, String name, String contentType, String by) {
    Instant expires = clock.instant().plus(KEPT);
    JsonObject record = new JsonObject().put("_id", id).put("survey", survey).put("name", name)
        .put("contentType", contentType).put("by", by).put("createdAt", Documents.date(clock.instant()))
        .put("expiresAt", Documents.date(expires)).put("parts", 0).put("bytes", 0L).put("complete", false);
    return mongo.insert(COLLECTION, record).map(v -> new PartsSink(id, expires));
  }

  public Future<Stored> find(String id) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null).map(found -> found == null ? null
        : new Stored(id, found.getString("survey"), found.getString("name"), found.getString("contentType"),
            found.getString("by"), found.getInteger("parts", 0), found.getLong("bytes", 0L),
            found.getBoolean("complete", false), Documents.instant(found.getJsonObject("expiresAt"))));
  }

  /** Part {@code n} of an export's bytes. */
  public Future<Buffer> part(String id, int n) {
    return mongo.findOne(PARTS, new JsonObject().put("_id", id + "#" + n), null)
        .map(found -> found == null ? null : Buffer.buffer(found.getBinary("data")));
  }

  /** Deletes the exports past their time (and their parts); completes with how many. */
  public Future<Integer> deleteExpired() {
    // One small document per export kept a day: the scan of this collection is cheap.
    return mongo.find(COLLECTION, new JsonObject().put("expiresAt", new JsonObject().put("$lt",
        Documents.date(clock.instant())))).compose(expired -> {
          Future<Void> chain = Future.succeededFuture();
          for (JsonObject export : expired) {
            chain = chain.compose(v -> delete(export.getString("_id"), export.getInteger("parts", 0)));
          }
          return chain.map(expired.size());
        });
  }

  private Future<Void> delete(String id, int parts) {
    JsonArray ids = new JsonArray();
    for (int n = 0; n <= parts; n++) {
      ids.add(id + "#" + n);
    }
    return mongo.removeDocuments(PARTS, new JsonObject().put("_id", new JsonObject().put("$in", ids)))
        .compose(v -> mongo.removeDocument(COLLECTION, new JsonObject().put("_id", id))).mapEmpty();
  }

  /** Collects bytes into parts; while a part is being written, the writer is asked to wait. */
  private final class PartsSink implements ExportSink {
    private final String id;
    private final Instant expires;
    private Buffer pending = Buffer.buffer();
    private int parts;
    private long bytes;
    private Future<Void> writing = Future.succeededFuture();
    private Handler<Void> drain;
    private Handler<Throwable> failed;

    PartsSink(String id, Instant expires) {
      this.id = id;
      this.expires = expires;
    }

    @Override
    public void write(Buffer data) {
      pending.appendBuffer(data);
      bytes += data.length();
      if (pending.length() >= PART_BYTES) {
        flushPart();
      }
    }

    private void flushPart() {
      Buffer part = pending;
      pending = Buffer.buffer();
      int n = parts++;
      writing = writing.compose(v -> mongo.insert(PARTS, new JsonObject().put("_id", id + "#" + n)
              .put("data", part.getBytes()).put("expiresAt", Documents.date(expires))).<Void>mapEmpty())
          .onFailure(error -> {
            if (failed != null) {
              failed.handle(error);
            }
          })
          .onSuccess(v -> {
            if (drain != null && writing.isComplete()) {
              drain.handle(null);
            }
          });
    }

    @Override
    public boolean writeQueueFull() {
      return !writing.isComplete();
    }

    @Override
    public void drainHandler(Handler<Void> handler) {
      drain = handler;
    }

    @Override
    public Future<Void> end() {
      if (pending.length() > 0) {
        flushPart();
      }
      return writing.compose(v -> mongo.updateCollection(COLLECTION, new JsonObject().put("_id", id),
          new JsonObject().put("$set", new JsonObject().put("parts", parts).put("bytes", bytes).put("complete", true))))
          .mapEmpty();
    }

    @Override
    public void abandon() {
      pending = Buffer.buffer();
      writing.onComplete(v -> delete(id, parts));
    }

    @Override
    public void exceptionHandler(Handler<Throwable> handler) {
      failed = handler;
    }
  }
}
