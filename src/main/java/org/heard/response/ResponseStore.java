package org.heard.response;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.LinkedHashMap;
import org.heard.error.HeardException;
import org.heard.store.Documents;
import org.heard.store.StoreErrors;

/**
 * The {@code responses} collection. A response's {@code _id} is derived from its channel's
 * idempotency key, so a repeated submission collides on the primary key: one atomic insert is
 * enough to store a response exactly once, without transactions.
 */
public final class ResponseStore {
  public static final String COLLECTION = "responses";

  private final MongoClient mongo;
  private final List<Consumer<JsonObject>> storedListeners = new CopyOnWriteArrayList<>();

  public ResponseStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** Called with each newly stored response document (from any channel, and from the spool's drain). */
  public void onStored(Consumer<JsonObject> listener) {
    storedListeners.add(listener);
  }

  /** Indexes for the digest and export reads (by survey and time). Run at start-up. */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION,
        new JsonObject().put("surveyId", 1).put("receivedAt", 1),
        new IndexOptions().name("survey_received"));
  }

  /**
   * Stores the response unless one with the same id exists. A repeat with the same content
   * (same {@code contentHash}) is not an error: the result says it was not created. A repeat with
   * different content is a conflict: an idempotency key must not be reused for other answers.
   */
  public Future<Boolean> insertOnce(Response response, String contentHash) {
    return insertOnce(toDocument(response).put("contentHash", contentHash));
  }

  /** The same, for a stored-form document that carries its {@code contentHash} (as the spool keeps it). */
  public Future<Boolean> insertOnce(JsonObject document) {
    String contentHash = document.getString("contentHash");
    String id = document.getString("_id");
    return mongo.insert(COLLECTION, document.copy())
        .map(inserted -> {
          storedListeners.forEach(listener -> listener.accept(document));
          return true;
        })
        .recover(error -> {
          if (StoreErrors.isUnreachable(error)) {
            return Future.failedFuture(error);
          }
          // A duplicate key, or any refusal the store reports in its own words (the embedded store,
          // after a crash, may say "already existed" without the duplicate-key code): look it up.
          return mongo.findOne(COLLECTION, new JsonObject().put("_id", id),
                  new JsonObject().put("contentHash", 1))
              .compose(existing -> {
                if (existing == null) {
                  return Future.failedFuture(error);
                }
                if (contentHash.equals(existing.getString("contentHash"))) {
                  return Future.succeededFuture(false);
                }
                return Future.failedFuture(new HeardException.Conflict("idempotency-key-reused",
                    "This idempotency key was already used for a different response; use a new key for new answers."));
              });
        });
  }


  public Future<Response> findById(String id) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null)
        .map(document -> document == null ? null : fromDocument(document));
  }

  public Future<Long> countForSurvey(String surveyId) {
    return mongo.count(COLLECTION, new JsonObject().put("surveyId", surveyId));
  }

  static JsonObject toDocument(Response response) {
    return new JsonObject()
        .put("_id", response.id())
        .put("surveyId", response.surveyId())
        .put("surveyVersion", response.surveyVersion())
        .put("channel", response.channel().key())
        .put("receivedAt", Documents.date(response.receivedAt()))
        .put("language", response.language())
        .put("answers", new JsonObject(new LinkedHashMap<>(response.answers())))
        .put("provenance", new JsonObject(new LinkedHashMap<>(response.provenance())))
        .put("complete", response.complete());
  }

  static Response fromDocument(JsonObject document) {
    return new Response(
        document.getString("_id"),
        document.getString("surveyId"),
        document.getInteger("surveyVersion"),
        Channel.valueOf(document.getString("channel").toUpperCase(java.util.Locale.ROOT)),
        Documents.instant(document.getJsonObject("receivedAt")),
        document.getString("language"),
        Documents.plainMap(document.getJsonObject("answers")),
        Documents.plainMap(document.getJsonObject("provenance")),
        document.getBoolean("complete", true));
  }
}
