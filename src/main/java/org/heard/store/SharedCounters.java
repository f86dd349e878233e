package org.heard.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Counts in fixed time windows shared by every instance on one database (rate limits that hold
 * across instances): one document per key and window in {@code rate_windows}, {@code {_id:
 * "<key>@<window start>", n, expiresAt}}, added to with one atomic find-and-update by {@code _id}
 * (an upsert). MongoDB deletes windows once past through a TTL index on {@code expiresAt}. Keys are
 * the caller's: never a person's address or token in clear (callers pass a keyed digest).
 */
public final class SharedCounters {
  public static final String COLLECTION = "rate_windows";

  private final MongoClient mongo;

  public SharedCounters(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The TTL index (MongoDB removes a window a minute or so after it ends); run at start-up. */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("expiresAt", 1),
        new IndexOptions().name("expires").expireAfter(0L, TimeUnit.SECONDS));
  }

  /** Adds one to {@code key} in the window of {@code lengthMs} holding {@code nowMs}; completes with its count. */
  public Future<Long> add(String key, long lengthMs, long nowMs) {
    JsonObject update = new JsonObject().put("$inc", new JsonObject().put("n", 1))
        .put("$setOnInsert", new JsonObject().put("expiresAt", Documents.date(Instant.ofEpochMilli(windowEnd(lengthMs, nowMs)))));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, new JsonObject().put("_id", windowId(key, lengthMs, nowMs)), update,
            new FindOptions().setFields(new JsonObject().put("n", 1)),
            new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
        .map(window -> window == null ? 1L : window.getLong("n", 1L));
  }

  /** The count of {@code key} in the window holding {@code nowMs} (0 when nothing was added). */
  public Future<Long> read(String key, long lengthMs, long nowMs) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", windowId(key, lengthMs, nowMs)), new JsonObject().put("n", 1))
        .map(window -> window == null ? 0L : window.getLong("n", 0L));
  }

  /** Forgets {@code key}'s count in the window holding {@code nowMs}. */
  public Future<Void> clear(String key, long lengthMs, long nowMs) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", windowId(key, lengthMs, nowMs))).mapEmpty();
  }

  /** When the window of {@code lengthMs} holding {@code nowMs} ends. */
  public static long windowEnd(long lengthMs, long nowMs) {
    return nowMs - Math.floorMod(nowMs, lengthMs) + lengthMs;
  }

  private static String windowId(String key, long lengthMs, long nowMs) {
    return key + "@" + (nowMs - Math.floorMod(nowMs, lengthMs));
  }
}
