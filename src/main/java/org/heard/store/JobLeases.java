package org.heard.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Leases through the database for the jobs that only one of the instances sharing it should run at a
 * time (sweeps and deletions of shared records). One document per job in {@code job_leases}:
 * {@code {_id: job, owner, until}}. An instance holds a job while its lease lasts and renews it at
 * each run; another takes it once it has run out, so an instance that crashed releases its jobs by
 * itself, and one that stops cleanly hands them back at once. One instance alone (the embedded
 * store) always holds every lease.
 */
public final class JobLeases {
  public static final String COLLECTION = "job_leases";

  private final MongoClient mongo;
  private final Clock clock;
  private final String owner = UUID.randomUUID().toString();

  public JobLeases(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /** The leases an instance hands back at a clean stop. */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("owner", 1), new IndexOptions().name("owner"));
  }

  /** This instance's name in the leases it holds. */
  public String owner() {
    return owner;
  }

  /**
   * Takes or renews the lease on {@code job} for {@code length}; completes with whether this instance
   * holds it now.
   */
  public Future<Boolean> hold(String job, Duration length) {
    Instant now = clock.instant();
    JsonObject lease = new JsonObject().put("owner", owner).put("until", Documents.date(now.plus(length)));
    JsonObject mineOrFree = new JsonObject().put("_id", job).put("$or", new JsonArray()
        .add(new JsonObject().put("owner", owner))
        .add(new JsonObject().put("until", new JsonObject().put("$lt", Documents.date(now)))));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, mineOrFree, new JsonObject().put("$set", lease),
            new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
        .compose(taken -> taken != null ? Future.succeededFuture(true)
            // No lease yet, or another instance's still running: only the first insert wins.
            : mongo.insert(COLLECTION, lease.copy().put("_id", job)).map(true)
                .recover(error -> StoreErrors.isDuplicateKey(error) ? Future.succeededFuture(false)
                    : Future.failedFuture(error)));
  }

  /** Hands back every lease this instance holds (a clean stop), so another takes them at its next run. */
  public Future<Void> releaseAll() {
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("owner", owner),
        new JsonObject().put("$set", new JsonObject().put("until", Documents.date(Instant.EPOCH))),
        new UpdateOptions().setMulti(true)).mapEmpty();
  }
}
