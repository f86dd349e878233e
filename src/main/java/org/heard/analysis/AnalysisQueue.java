package org.heard.analysis;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Clock;
import java.util.List;
import org.heard.store.StoreErrors;

/**
 * The durable queue of responses waiting for text analysis ({@code analysis_queue}, one entry per
 * response, keyed by its id so enqueueing twice is harmless). A worker claims an entry with one
 * atomic find-and-update that sets a lease; another instance cannot claim it while the lease
 * holds, and a crashed worker's lease runs out so the entry is picked up again. Entries leave the
 * queue when their analysis is stored; an entry that keeps failing is marked failed, never dropped.
 */
public final class AnalysisQueue {
  public static final String COLLECTION = "analysis_queue";
  static final int MAX_ATTEMPTS = 5;
  private static final long LEASE_MS = 120_000;

  private final MongoClient mongo;
  private final Clock clock;
  private final long retryBaseMs;

  public AnalysisQueue(MongoClient mongo, Clock clock, long retryBaseMs) {
    this.mongo = mongo;
    this.clock = clock;
    this.retryBaseMs = retryBaseMs;
  }

  /** The claim query's index (a real MongoDB uses it; the embedded store scans the small queue). */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("state", 1).put("notBefore", 1),
        new io.vertx.ext.mongo.IndexOptions().name("state_due"));
  }

  /**
   * One claimed entry. {@code again}: analyse even if the response already has an analysis (its text
   * was corrected); otherwise an entry for an analysed response is simply done.
   */
  public record Entry(String responseId, String surveyId, int attempts, boolean again) {
  }

  public Future<Void> enqueue(String responseId, String surveyId) {
    return enqueue(responseId, surveyId, false);
  }

  public Future<Void> enqueue(String responseId, String surveyId, boolean again) {
    JsonObject entry = new JsonObject().put("_id", responseId).put("surveyId", surveyId)
        .put("state", "pending").put("attempts", 0).put("notBefore", 0L).put("enqueuedAt", clock.millis())
        .put("again", again);
    return mongo.insert(COLLECTION, entry).<Void>mapEmpty()
        .recover(error -> StoreErrors.isDuplicateKey(error) ? Future.succeededFuture() : Future.failedFuture(error));
  }

  /** Claims the next entry that is due, or completes with null when none is. */
  public Future<Entry> claim(String owner) {
    long now = clock.millis();
    JsonObject due = new JsonObject().put("state", "pending").put("notBefore", new JsonObject().put("$lte", now));
    JsonObject lease = new JsonObject()
        .put("$set", new JsonObject().put("notBefore", now + LEASE_MS).put("owner", owner))
        .put("$inc", new JsonObject().put("attempts", 1));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, due, lease,
            new FindOptions().setSort(new JsonObject().put("notBefore", 1)),
            new UpdateOptions().setReturningNewDocument(true))
        .map(doc -> doc == null ? null
            : new Entry(doc.getString("_id"), doc.getString("surveyId"), doc.getInteger("attempts", 1),
                doc.getBoolean("again", false)));
  }

  /** The analysis is stored: the entry leaves the queue (only if this owner still holds it). */
  public Future<Void> done(Entry entry, String owner) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", entry.responseId()).put("owner", owner))
        .mapEmpty();
  }

  /** A failure: retried after a back-off, or marked failed (kept, with the reason) after the last attempt. */
  public Future<Void> failed(Entry entry, String owner, String reason) {
    JsonObject set = new JsonObject().put("lastError", reason);
    if (entry.attempts() >= MAX_ATTEMPTS) {
      set.put("state", "failed").put("failedAt", clock.millis());
    } else {
      set.put("notBefore", clock.millis() + retryBaseMs * (1L << (entry.attempts() - 1)));
    }
    return mongo.updateCollection(COLLECTION,
        new JsonObject().put("_id", entry.responseId()).put("owner", owner), new JsonObject().put("$set", set))
        .mapEmpty();
  }

  /** Hands back an owner's leases at a clean stop: its pending entries are due again at once. */
  public Future<Void> release(String owner) {
    return mongo.updateCollectionWithOptions(COLLECTION,
            new JsonObject().put("owner", owner).put("state", "pending"),
            new JsonObject().put("$set", new JsonObject().put("notBefore", 0L)), new UpdateOptions().setMulti(true))
        .mapEmpty();
  }

  /** Entries waiting (pending) and given up on (failed), for /ready and metrics. */
  public Future<JsonObject> counts() {
    return Future.all(mongo.count(COLLECTION, new JsonObject().put("state", "pending")),
            mongo.count(COLLECTION, new JsonObject().put("state", "failed")))
        .map(all -> new JsonObject().put("pending", (Long) all.resultAt(0)).put("failed", (Long) all.resultAt(1)));
  }

  /** Failed entries go back to pending with fresh attempts (after a fix, say). */
  public Future<Long> retryFailed() {
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("state", "failed"),
            new JsonObject().put("$set", new JsonObject().put("state", "pending").put("attempts", 0).put("notBefore", 0L)),
            new UpdateOptions().setMulti(true))
        .map(result -> result == null ? 0L : result.getDocModified());
  }

  /** Queues every listed response id (those stored but never analysed); duplicates are ignored. */
  public Future<Integer> enqueueAll(List<String[]> idAndSurvey) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (String[] pair : idAndSurvey) {
      chain = chain.compose(n -> enqueue(pair[0], pair[1], false).map(v -> n + 1));
    }
    return chain;
  }
}
