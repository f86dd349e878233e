package org.heard.response;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Response inserts grouped: while a write is in flight, the responses that arrive meanwhile wait and
 * go together in the next one (one unordered insert command for all, and on the embedded store one
 * for their number listings). On the embedded store each command costs about as much as the
 * documents in it (parsing, a lock, a commit's share), so 16 requests at once cost one command
 * instead of 32. Each caller still hears of its own document only: inserted, or the store's refusal
 * of it alone (a duplicate key, say), which the unordered command reports per document.
 */
final class InsertBatches {
  /** Writes in flight at once: one filling while one is written keeps the store busy without queueing in it. */
  private static final int IN_FLIGHT = 2;
  /** Documents per command at most (a command's size stays far below the 16 MB limit). */
  private static final int MOST = 256;
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().setOrdered(false);

  private record Pending(JsonObject document, Promise<Void> stored) {
  }

  private final MongoClient mongo;
  private final String collection;
  /** Where numbers are listed (the embedded store), or null. */
  private final String numbers;
  private final List<Pending> waiting = new ArrayList<>();
  private int inFlight;

  InsertBatches(MongoClient mongo, String collection, String numbers) {
    this.mongo = mongo;
    this.collection = collection;
    this.numbers = numbers;
  }

  /**
   * Inserts the document (carrying its {@code seq}) and lists its number; fails as a single insert
   * would: with the store's own error for this document (duplicate key), or the command's.
   */
  Future<Void> insert(JsonObject document) {
    Promise<Void> stored = Promise.promise();
    synchronized (this) {
      waiting.add(new Pending(document, stored));
    }
    drain();
    return stored.future();
  }

  private void drain() {
    while (true) {
      List<Pending> batch;
      synchronized (this) {
        if (inFlight >= IN_FLIGHT || waiting.isEmpty()) {
          return;
        }
        int size = Math.min(MOST, waiting.size());
        batch = new ArrayList<>(waiting.subList(0, size));
        waiting.subList(0, size).clear();
        inFlight++;
      }
      write(batch).onComplete(done -> {
        synchronized (this) {
          inFlight--;
        }
        drain();
      });
    }
  }

  private Future<Void> write(List<Pending> batch) {
    Future<Void> listed = numbers == null ? Future.succeededFuture() : mongo.bulkWriteWithOptions(numbers,
        batch.stream().map(p -> {
          String seq = p.document().getString(ResponseSequence.FIELD);
          return BulkOperation.createReplace(new JsonObject().put("_id", seq),
              new JsonObject().put("_id", seq).put("response", p.document().getString("_id")), true);
        }).toList(), UNORDERED).mapEmpty();
    Future<Void> inserted = mongo.bulkWriteWithOptions(collection,
        batch.stream().map(p -> BulkOperation.createInsert(p.document().copy())).toList(), UNORDERED).mapEmpty();
    return Future.join(listed, inserted).transform(both -> {
      Map<Integer, Throwable> refused = refusals(inserted, batch.size());
      for (int i = 0; i < batch.size(); i++) {
        Throwable own = refused.get(i);
        if (own == null && inserted.failed() && !(inserted.cause() instanceof MongoBulkWriteException)) {
          own = inserted.cause();  // the whole command failed (the store away, say): every document with it
        }
        if (own == null && listed.failed()) {
          own = ownError(listed.cause());  // stored but not listed: the caller's failure makes the spool write it again
        }
        if (own == null) {
          batch.get(i).stored().complete();
        } else {
          batch.get(i).stored().fail(own);
        }
      }
      return Future.<Void>succeededFuture();
    });
  }

  /** A grouped write's failure in the store's own code (the first document's), as a single write's would be. */
  private static Throwable ownError(Throwable failure) {
    if (failure instanceof MongoBulkWriteException bulk && !bulk.getWriteErrors().isEmpty()) {
      BulkWriteError first = bulk.getWriteErrors().get(0);
      return new RefusedInsert(first.getCode(), first.getMessage());
    }
    return failure;
  }

  /** The documents the store refused by their place in the command, each with its own error. */
  private static Map<Integer, Throwable> refusals(Future<Void> inserted, int size) {
    Map<Integer, Throwable> refused = new HashMap<>();
    if (inserted.failed() && inserted.cause() instanceof MongoBulkWriteException bulk) {
      for (BulkWriteError error : bulk.getWriteErrors()) {
        refused.put(error.getIndex(), new RefusedInsert(error.getCode(), error.getMessage()));
      }
      if (bulk.getWriteConcernError() != null) {
        // Written but not confirmed as durable: every document of the command counts as not stored.
        for (int i = 0; i < size; i++) {
          refused.putIfAbsent(i, new RefusedInsert(bulk.getWriteConcernError().getCode(),
              bulk.getWriteConcernError().getMessage()));
        }
      }
    }
    return refused;
  }

  /**
   * The store's refusal of one document of a grouped insert, with the store's code and words (a
   * duplicate key, 11000; a full disk, 14031, which callers take for the store being away).
   */
  static final class RefusedInsert extends MongoException {
    RefusedInsert(int code, String message) {
      super(code, message);
    }
  }
}
