package org.heard.erasure;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Tells every instance on the database about an erasure, so each drops what it holds of it outside
 * the database (its spool's waiting records and files, its theme models, its memory of keys) within
 * seconds, not at its next rebuild. An erasure writes one signal (ids and respondent key: no text, no
 * number); every instance reads the signals newer than it last saw every {@link #POLL} and applies
 * those written elsewhere. Signals are kept a day, so an instance started within that day also
 * applies them to a spool it kept on disk.
 */
public final class ErasureSignals {
  public static final String COLLECTION = "erasure_signals";
  public static final Duration POLL = Duration.ofSeconds(2);
  static final Duration KEPT = Duration.ofDays(1);
  /** Instances' clocks differ a little: each read goes back this far, and seen signals are skipped. */
  private static final Duration SKEW = Duration.ofSeconds(30);

  /** One erasure as every instance applies it to what it holds itself. */
  public record Signal(Set<String> responseIds, String respondentKey) {
  }

  /** What an instance does with an erasure made elsewhere. */
  public interface Apply {
    Future<Void> apply(Signal signal);
  }

  private final MongoClient mongo;
  private final Clock clock;
  private final String instance = UUID.randomUUID().toString();
  private final Map<String, Instant> seen = new HashMap<>();
  private Instant readFrom;
  private boolean reading;

  public ErasureSignals(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
    this.readFrom = clock.instant().minus(KEPT);
  }

  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("at", 1), new IndexOptions().name("at"));
  }

  /** Records an erasure made by this instance, for the others. */
  Future<Void> announce(Set<String> responseIds, String respondentKey) {
    String id = UUID.randomUUID().toString();
    Instant at = clock.instant();
    synchronized (this) {
      seen.put(id, at);
    }
    return mongo.insert(COLLECTION, new JsonObject().put("_id", id).put("instance", instance)
        .put("at", new JsonObject().put("$date", at.toString()))
        .put("responseIds", new JsonArray(List.copyOf(responseIds))).put("respondentKey", respondentKey)).mapEmpty();
  }

  /** Applies, in order, every signal written by another instance since the last read. */
  public Future<Void> poll(Apply apply) {
    Instant from;
    synchronized (this) {
      if (reading) {
        return Future.succeededFuture();
      }
      reading = true;
      from = readFrom;
    }
    Instant now = clock.instant();
    JsonObject query = new JsonObject().put("at", new JsonObject().put("$gte", new JsonObject().put("$date", from.toString())));
    return mongo.findWithOptions(COLLECTION, query, new FindOptions().setSort(new JsonObject().put("at", 1)))
        .compose(signals -> {
          Future<Void> chain = Future.succeededFuture();
          for (JsonObject signal : signals) {
            String id = signal.getString("_id");
            boolean fresh;
            synchronized (this) {
              fresh = seen.putIfAbsent(id, now) == null;
            }
            if (fresh && !instance.equals(signal.getString("instance"))) {
              Set<String> ids = new HashSet<>();
              signal.getJsonArray("responseIds", new JsonArray()).forEach(r -> ids.add((String) r));
              Signal erasure = new Signal(ids, signal.getString("respondentKey"));
              chain = chain.compose(v -> apply.apply(erasure));
            }
          }
          return chain;
        })
        .onSuccess(v -> {
          synchronized (this) {
            readFrom = now.minus(SKEW);
            seen.values().removeIf(at -> at.isBefore(now.minus(SKEW.multipliedBy(4))));
          }
        })
        .onComplete(v -> {
          synchronized (this) {
            reading = false;
          }
        });
  }

  /** Deletes signals older than a day: every instance has applied them long since. */
  public Future<Void> deleteOld() {
    return mongo.removeDocuments(COLLECTION, new JsonObject().put("at", new JsonObject()
        .put("$lt", new JsonObject().put("$date", clock.instant().minus(KEPT).toString())))).mapEmpty();
  }
}
