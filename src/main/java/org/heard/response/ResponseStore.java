package org.heard.response;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import org.heard.error.HeardException;
import org.heard.store.Documents;
import org.heard.store.StoreErrors;

/**
 * The {@code responses} collection, and the only code that reads or writes it. A response's
 * {@code _id} is derived from its channel's idempotency key, so a repeated submission collides on
 * the primary key: one atomic insert is enough to store a response exactly once, without
 * transactions. Every newly stored response is announced through {@link ResponseEvents}.
 */
public final class ResponseStore {
  public static final String COLLECTION = "responses";

  private static final int STREAM_BATCH = 1_000;

  private final MongoClient mongo;
  private final ResponseEvents events;

  public ResponseStore(MongoClient mongo, ResponseEvents events) {
    this.mongo = mongo;
    this.events = events;
  }

  /**
   * Indexes for the digest and export reads (by survey and time), and for the two guarded updates.
   * The embedded store uses an index only when a filter's keys are exactly the index's and carry no
   * operator, and only unique indexes at all: the guards are written as equality with null ("not
   * analysed yet", "never corrected") under unique indexes on {@code _id} and the guarded field, or
   * every analysis stored would scan the whole collection. Run at start-up.
   */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION,
            new JsonObject().put("surveyId", 1).put("receivedAt", 1), new IndexOptions().name("survey_received"))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("_id", 1).put("analysedAt", 1),
            new IndexOptions().name("id_analysed").unique(true)))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("_id", 1).put("revision", 1),
            new IndexOptions().name("id_revision").unique(true)));
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
          events.stored(document);
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
                return Future.failedFuture(keyReused());
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

  /** The refusal of an idempotency key already used (stored, or still waiting in the spool) for other answers. */
  static HeardException keyReused() {
    return new HeardException.Conflict("idempotency-key-reused",
        "This idempotency key was already used for a different response; use a new key for new answers.");
  }

  /** The stored document as it is, or null when there is none. */
  public Future<JsonObject> findDocument(String id) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null);
  }

  /** The documents of one respondent (by respondent key) or of one response id, with these fields. */
  public Future<List<JsonObject>> findOfRespondentOrId(String respondentKey, String responseId, JsonObject fields) {
    JsonObject query = respondentKey != null
        ? new JsonObject().put("provenance.respondentKey", respondentKey)
        : new JsonObject().put("_id", responseId);
    return mongo.findWithOptions(COLLECTION, query, new FindOptions().setFields(fields));
  }

  /** Every response of a survey, in store order (exports). */
  public ReadStream<JsonObject> streamSurvey(String surveyId) {
    return streamSurvey(surveyId, null, null);
  }

  /** A survey's responses received in [from, to) (either may be null: open), by the survey_received index. */
  public ReadStream<JsonObject> streamSurvey(String surveyId, Instant from, Instant to) {
    JsonObject query = new JsonObject().put("surveyId", surveyId);
    if (from != null || to != null) {
      JsonObject received = new JsonObject();
      if (from != null) {
        received.put("$gte", Documents.date(from));
      }
      if (to != null) {
        received.put("$lt", Documents.date(to));
      }
      query.put("receivedAt", received);
    }
    return mongo.findBatchWithOptions(COLLECTION, query, new FindOptions().setBatchSize(STREAM_BATCH));
  }

  /** The analysed responses of a survey, with only {@code fields} (theme builds). */
  public ReadStream<JsonObject> streamAnalysed(String surveyId, JsonObject fields) {
    JsonObject query = new JsonObject().put("surveyId", surveyId).put("analysedAt", new JsonObject().put("$exists", true));
    return mongo.findBatchWithOptions(COLLECTION, query, new FindOptions().setFields(fields).setBatchSize(2 * STREAM_BATCH));
  }

  /**
   * Responses never analysed or analysed by an older version of the text analysis, with their
   * survey, answers and {@code analysedAt} (the start-up sweep).
   */
  public ReadStream<JsonObject> streamNeedingAnalysis(int version) {
    return mongo.findBatchWithOptions(COLLECTION, new JsonObject().put("analysisVersion", new JsonObject().put("$ne", version)),
        new FindOptions().setFields(new JsonObject().put("surveyId", 1).put("answers", 1).put("analysedAt", 1))
            .setBatchSize(STREAM_BATCH));
  }

  /** Every stored response, with only {@code fields} (a recount). */
  public ReadStream<JsonObject> streamAll(JsonObject fields) {
    return mongo.findBatchWithOptions(COLLECTION, new JsonObject(),
        new FindOptions().setFields(fields).setBatchSize(STREAM_BATCH));
  }

  /**
   * Stores a response's text analysis. Unless {@code again}, only if none was stored meanwhile, so two
   * workers that ever raced write it once; {@code analysisRuns} counts the writes. Completes with
   * whether it was written.
   */
  public Future<Boolean> storeAnalysis(String id, JsonObject set, boolean again) {
    JsonObject filter = new JsonObject().put("_id", id);
    if (!again) {
      // Null matches a missing field; as plain equality the id_analysed index serves it (see createIndexes).
      filter.putNull("analysedAt");
    }
    return mongo.updateCollection(COLLECTION, filter,
            new JsonObject().put("$set", set).put("$inc", new JsonObject().put("analysisRuns", 1)))
        .map(result -> result != null && result.getDocModified() > 0);
  }

  /**
   * Applies a staff correction if the record is still at {@code revision} (nobody changed it meanwhile):
   * sets {@code fields}, moves to the next revision and appends {@code correction} to its history.
   */
  public Future<Boolean> correct(String id, int revision, JsonObject fields, JsonObject correction) {
    JsonObject filter = new JsonObject().put("_id", id);
    if (revision == 0) {
      filter.putNull("revision");
    } else {
      filter.put("revision", revision);
    }
    JsonObject update = new JsonObject()
        .put("$set", fields.copy().put("revision", revision + 1))
        .put("$push", new JsonObject().put("corrections", correction));
    return mongo.updateCollection(COLLECTION, filter, update).map(result -> result.getDocMatched() == 1);
  }

  /** The id and content hash of up to {@code limit} responses of a survey received since {@code since}. */
  public Future<List<JsonObject>> keysSince(String surveyId, Instant since, int limit) {
    JsonObject query = new JsonObject().put("surveyId", surveyId)
        .put("receivedAt", new JsonObject().put("$gte", Documents.date(since)));
    return mongo.findWithOptions(COLLECTION, query, new FindOptions().setLimit(limit)
        .setFields(new JsonObject().put("_id", 1).put("contentHash", 1)));
  }

  /** Up to {@code limit} responses of a survey received before {@code cutoff} and not yet trimmed. */
  public Future<List<JsonObject>> findPastRetention(String surveyId, Instant cutoff, int limit) {
    JsonObject query = new JsonObject().put("surveyId", surveyId)
        .put("receivedAt", new JsonObject().put("$lt", Documents.date(cutoff)))
        .put("retainedAt", new JsonObject().put("$exists", false));
    return mongo.findWithOptions(COLLECTION, query, new FindOptions().setLimit(limit));
  }

  /**
   * Removes a response's free text past its retention: the answers to {@code textQuestions} and the
   * analysis made of them, keeping {@code corrections} (the history without that text).
   */
  public Future<Void> trimText(String id, List<String> textQuestions, JsonArray corrections, Instant at) {
    JsonObject unset = new JsonObject();
    textQuestions.forEach(q -> unset.put("answers." + q, ""));
    // The text analysis (redacted text, key phrases, sentence vectors) is derived from the free text.
    unset.put("analysis", "");
    JsonObject update = new JsonObject()
        .put("$set", new JsonObject().put("retainedAt", Documents.date(at)).put("corrections", corrections))
        .put("$unset", unset);
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", id), update).mapEmpty();
  }

  /** Deletes these responses (an erasure). */
  public Future<Void> removeAll(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return mongo.removeDocuments(COLLECTION,
        new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids))))).mapEmpty();
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
        Channel.valueOf(document.getString("channel").toUpperCase(Locale.ROOT)),
        Documents.instant(document.getJsonObject("receivedAt")),
        document.getString("language"),
        Documents.plainMap(document.getJsonObject("answers")),
        Documents.plainMap(document.getJsonObject("provenance")),
        document.getBoolean("complete", true));
  }
}
