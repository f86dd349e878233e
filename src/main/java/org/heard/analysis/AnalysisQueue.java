package org.heard.analysis;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.heard.auth.SecretTokens;
import org.heard.store.StoreErrors;
import org.heard.store.GuardIndex;

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

  /** The claims' indexes: by exact entry on both stores, the read of pending entries on MongoDB. */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("state", 1).put("notBefore", 1),
        new IndexOptions().name("state_due"))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("items._id", 1),
            new IndexOptions().name("items")))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("owner", 1).put("state", 1),
            new IndexOptions().name("owner_state")))
        .compose(v -> GuardIndex.on(mongo, COLLECTION, "owner"))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION,
            new JsonObject().put("_id", 1).put("state", 1).put("notBefore", 1),
            new IndexOptions().name("id_state_due").unique(true)));
  }

  /**
   * One claimed entry. {@code again}: analyse even if the response already has an analysis (its text
   * was corrected); otherwise an entry for an analysed response is simply done.
   */
  public record Entry(String responseId, String surveyId, int attempts, boolean again, JsonObject response,
                      List<JsonObject> items) {

    /** A batch of newly stored responses, written as one document (see {@link #flush}). */
    public boolean batch() {
      return items != null;
    }

    /** One response of a batch, as an entry of its own. */
    static Entry of(JsonObject item) {
      return new Entry(item.getString("_id"), item.getString("surveyId"), 1, false, item.getJsonObject("response"), null);
    }
  }

  /** The responses of a claimed batch, each as an entry. */
  public static List<Entry> items(Entry batch) {
    return batch.items().stream().map(Entry::of).toList();
  }

  /** Most responses in one batch document. */
  static final int BATCH_ITEMS = 100;

  public Future<Void> enqueue(String responseId, String surveyId, boolean again) {
    return mongo.insert(COLLECTION, entry(responseId, surveyId, again, null))
        .onSuccess(id -> known.add(responseId, 0L)).<Void>mapEmpty()
        .recover(error -> StoreErrors.isDuplicateKey(error) ? Future.succeededFuture() : Future.failedFuture(error));
  }

  /**
   * An entry; {@code response} is what the analysis needs of the response (its texts, language,
   * time, channel, area and monitoring answers), so the worker need not read the response again.
   * Without it the worker reads the response.
   */
  private JsonObject entry(String responseId, String surveyId, boolean again, JsonObject response) {
    JsonObject entry = new JsonObject().put("_id", responseId).put("surveyId", surveyId)
        .put("state", "pending").put("attempts", 0).put("notBefore", 0L).put("enqueuedAt", clock.millis())
        .put("again", again);
    if (response != null) {
      entry.put("response", response);
    }
    return entry;
  }

  /**
   * Entries waiting to be written together. Newly stored responses are queued in batches (one bulk
   * insert every {@link #flush} instead of one insert per response on the ingest path). An entry
   * lost with the process is found again by the start-up sweep, because its response has no analysis.
   */
  private final List<JsonObject> batch = new ArrayList<>();

  /** Queues a response at the next {@link #flush}, with what its analysis needs of it. */
  public void enqueueSoon(String responseId, String surveyId, JsonObject response) {
    synchronized (batch) {
      batch.add(entry(responseId, surveyId, false, response));
    }
  }

  /** Entries done, removed together at the next flush (a done entry left behind is only skipped). */
  private final List<String> finished = new ArrayList<>();

  public void doneSoon(Entry entry) {
    synchronized (finished) {
      finished.add(entry.responseId());
    }
  }

  /**
   * Writes the batched entries (unordered, so one already queued does not stop the rest); on a
   * failure other than duplicates they are kept for the next flush. Completes with how many were sent.
   */
  public Future<Integer> flush() {
    return removeFinished().otherwiseEmpty().compose(v -> insertBatch());
  }

  private Future<Void> removeFinished() {
    List<String> ids;
    synchronized (finished) {
      if (finished.isEmpty()) {
        return Future.succeededFuture();
      }
      ids = new ArrayList<>(finished);
      finished.clear();
    }
    return mongo.removeDocuments(COLLECTION, new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(ids))))
        .<Void>mapEmpty()
        .onFailure(error -> {
          synchronized (finished) {
            finished.addAll(ids);
          }
        });
  }

  /** The batch insert under way, if any: an erasure waits for it, so it cannot land after the erasure. */
  private Future<Integer> inserting = Future.succeededFuture(0);

  private Future<Integer> insertBatch() {
    List<JsonObject> entries;
    synchronized (batch) {
      if (batch.isEmpty()) {
        return Future.succeededFuture(0);
      }
      entries = new ArrayList<>(batch);
      batch.clear();
      inserting = writeBatch(entries);
      return inserting;
    }
  }

  private Future<Integer> writeBatch(List<JsonObject> entries) {
    // One document per batch of responses: the store writes one document for a hundred responses
    // instead of one each (on the embedded store a queue insert costs as much as the response's own).
    List<BulkOperation> inserts = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < entries.size(); i += BATCH_ITEMS) {
      List<JsonObject> items = entries.subList(i, Math.min(entries.size(), i + BATCH_ITEMS));
      ids.add("batch-" + SecretTokens.random(12));
      inserts.add(BulkOperation.createInsert(new JsonObject()
          .put("_id", ids.get(ids.size() - 1)).put("state", "pending").put("attempts", 0)
          .put("notBefore", 0L).put("enqueuedAt", clock.millis()).put("items", new JsonArray(new ArrayList<>(items)))));
    }
    return mongo.bulkWriteWithOptions(COLLECTION, inserts, new BulkWriteOptions(false))
        .onSuccess(written -> ids.forEach(id -> known.add(id, 0L)))
        .map(entries.size())
        .recover(error -> {
          if (StoreErrors.isDuplicateKey(error)) {
            return Future.succeededFuture(entries.size());
          }
          synchronized (batch) {
            batch.addAll(0, entries);
          }
          return Future.failedFuture(error);
        });
  }

  /**
   * Claims the next entry that is due, or completes with null when none is. The claim names the entry
   * exactly ({@code _id}, {@code state} and the {@code notBefore} last seen, so a lease taken meanwhile
   * by another instance makes it miss), which the unique {@code id_state_due} index serves on the
   * embedded store too: a filter "any pending entry due by now" would read the whole queue there at
   * every claim, and a backlog of 10,000 comments made that most of the store's work. The entries
   * come from what this instance queued, and, once it knows of none due, from one read of the
   * pending entries' ids (others' entries, expired leases, entries from before a restart), at most
   * every {@link #REFRESH_MS}.
   */
  public Future<Entry> claim(String owner) {
    long now = clock.millis();
    Map.Entry<String, Long> next = known.nextDue(now);
    if (next == null) {
      if (!known.mayRefresh(now)) {
        return Future.succeededFuture(null);
      }
      return mongo.findWithOptions(COLLECTION, new JsonObject().put("state", "pending"),
              new FindOptions().setFields(new JsonObject().put("_id", 1).put("notBefore", 1)))
          .compose(pending -> {
            pending.forEach(entry -> known.add(entry.getString("_id"), entry.getLong("notBefore", 0L)));
            return known.anyDue(now) ? claim(owner) : Future.succeededFuture(null);
          });
    }
    JsonObject exactly = new JsonObject().put("_id", next.getKey()).put("state", "pending")
        .put("notBefore", next.getValue());
    JsonObject lease = new JsonObject()
        .put("$set", new JsonObject().put("notBefore", now + LEASE_MS).put("owner", owner))
        .put("$inc", new JsonObject().put("attempts", 1));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, exactly, lease, new FindOptions(),
            new UpdateOptions().setReturningNewDocument(true))
        .compose(doc -> doc == null ? claim(owner) : Future.succeededFuture(
            new Entry(doc.getString("_id"), doc.getString("surveyId"), doc.getInteger("attempts", 1),
                doc.getBoolean("again", false), doc.getJsonObject("response"),
                doc.getJsonArray("items") == null ? null
                    : doc.getJsonArray("items").stream().map(JsonObject.class::cast).toList())));
  }

  /** How often at most the pending entries are read when this instance knows of none due. */
  static final long REFRESH_MS = 1_000;
  private final KnownEntries known = new KnownEntries(REFRESH_MS);

  /** A response of a batch whose analysis failed: queued on its own, to be retried after the first back-off. */
  public Future<Void> retryAlone(Entry item, String reason) {
    JsonObject entry = entry(item.responseId(), item.surveyId(), false, item.response())
        .put("attempts", 1).put("notBefore", clock.millis() + retryBaseMs).put("lastError", reason);
    return mongo.insert(COLLECTION, entry).onSuccess(id -> known.add(item.responseId(), entry.getLong("notBefore")))
        .<Void>mapEmpty()
        .recover(error -> StoreErrors.isDuplicateKey(error) ? Future.succeededFuture() : Future.failedFuture(error));
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
        .onSuccess(updated -> {
          if (set.containsKey("notBefore") && updated != null && updated.getDocModified() > 0) {
            known.add(entry.responseId(), set.getLong("notBefore"));
          }
        })
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

  /** Queues every listed response id (to analyse {@code again}, or never analysed); duplicates are ignored. */
  public Future<Integer> enqueueAll(List<String[]> idAndSurvey, boolean again) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (String[] pair : idAndSurvey) {
      chain = chain.compose(n -> enqueue(pair[0], pair[1], again).map(v -> n + 1));
    }
    return chain;
  }

  /** Forgets these responses (an erasure): their own entries, and their places in batches still waiting. */
  public Future<Void> forget(Collection<String> responseIds) {
    if (responseIds.isEmpty()) {
      return Future.succeededFuture();
    }
    Future<Integer> pending;
    synchronized (batch) {
      batch.removeIf(entry -> responseIds.contains(entry.getString("_id")));
      pending = inserting;
    }
    JsonArray ids = new JsonArray(new ArrayList<>(responseIds));
    return pending.transform(done -> mongo.removeDocuments(COLLECTION, new JsonObject().put("_id", new JsonObject().put("$in", ids)))
        .compose(removed -> mongo.updateCollectionWithOptions(COLLECTION,
            new JsonObject().put("items._id", new JsonObject().put("$in", ids)),
            new JsonObject().put("$pull", new JsonObject().put("items", new JsonObject().put("_id",
                new JsonObject().put("$in", ids)))),
            new UpdateOptions().setMulti(true))))
        .mapEmpty();
  }
}
