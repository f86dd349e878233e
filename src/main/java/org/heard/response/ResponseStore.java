package org.heard.response;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.heard.error.HeardException;
import org.heard.store.ChunkedReadStream;
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

  private static final JsonObject KEY_FIELDS = new JsonObject().put("_id", 1).put("contentHash", 1)
      .put("receivedAt", 1);

  private final Vertx vertx;
  private final MongoClient mongo;
  private final ResponseEvents events;
  private final ResponseSequence sequence;
  private final boolean embedded;
  private final ResponseNumbering numbering;
  private final InsertBatches inserts;

  /**
   * {@code embedded}: the database is the embedded store, which serves no range of {@code receivedAt}
   * by an index and looks up quickly only by {@code _id} (so numbers are listed there: see
   * {@link ResponseSequence}); else a MongoDB.
   */
  public ResponseStore(Vertx vertx, MongoClient mongo, ResponseEvents events, boolean embedded) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.events = events;
    this.sequence = new ResponseSequence(mongo);
    this.embedded = embedded;
    this.inserts = new InsertBatches(mongo, COLLECTION, embedded ? ResponseSequence.NUMBERS : null);
    this.numbering = new ResponseNumbering(new ResponseNumbering.Responses() {
      @Override
      public Future<List<JsonObject>> find(JsonObject filter, JsonObject fields) {
        return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setFields(fields));
      }

      @Override
      public Future<Void> write(List<BulkOperation> operations) {
        return mongo.bulkWrite(COLLECTION, operations).mapEmpty();
      }
    }, sequence, embedded);
  }

  /**
   * Indexes for the recent-keys read on MongoDB (by survey and time), the two guarded updates and the
   * numbered reads. The embedded store uses an index only when a filter's keys are exactly the
   * index's and carry no operator, and only unique indexes at all: the guards are written as equality
   * with null ("not analysed yet", "never corrected") under unique indexes on {@code _id} and the
   * guarded field, and whole-survey reads go by the unique {@code seq} ({@link ResponseSequence}),
   * or each would scan the whole collection. Run at start-up.
   */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION,
            new JsonObject().put("surveyId", 1).put("receivedAt", 1), new IndexOptions().name("survey_received"))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("_id", 1).put("analysedAt", 1),
            new IndexOptions().name("id_analysed").unique(true)))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("_id", 1).put("revision", 1),
            new IndexOptions().name("id_revision").unique(true)))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put(ResponseSequence.FIELD, 1),
            new IndexOptions().name("seq").unique(true).sparse(true)))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("provenance.respondentKey", 1),
            new IndexOptions().name("respondent").sparse(true)));  // an erasure (MongoDB; the embedded store scans)
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
    if (document.getString(ResponseSequence.FIELD) == null) {
      return sequence.next(document.getString("surveyId"))
          .compose(seq -> insertOnce(document.copy().put(ResponseSequence.FIELD, seq)));
    }
    String contentHash = document.getString("contentHash");
    String id = document.getString("_id");
    // Listed at the same time as stored: a number listed for a response stored already under another
    // number (a repeat) is skipped by readers, who keep only a response whose own seq is the number.
    return inserts.insert(document)
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
                  return embedded ? sequence.relist(document.getString(ResponseSequence.FIELD),
                      existing.getString(ResponseSequence.FIELD), id).map(false) : Future.succeededFuture(false);
                }
                return Future.failedFuture(keyReused());
              });
        });
  }


  public Future<Response> findById(String id) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null)
        .map(document -> document == null ? null : fromDocument(document));
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

  /** Every response of a survey, in number order (exports). */
  public ReadStream<JsonObject> streamSurvey(String surveyId) {
    return streamSurvey(surveyId, null, null);
  }

  /** A survey's responses received in [from, to) (either may be null: open). */
  public ReadStream<JsonObject> streamSurvey(String surveyId, Instant from, Instant to) {
    Predicate<JsonObject> inRange = response -> {
      Instant received = Documents.instant(response.getJsonObject("receivedAt"));
      return (from == null || !received.isBefore(from)) && (to == null || received.isBefore(to));
    };
    return numbered(sequence.size(surveyId).map(size -> Map.of(surveyId, size)), null, inRange);
  }

  /** The analysed responses of a survey, with only {@code fields} and {@code analysedAt} (theme builds). */
  public ReadStream<JsonObject> streamAnalysed(String surveyId, JsonObject fields) {
    return numbered(sequence.size(surveyId).map(size -> Map.of(surveyId, size)), fields.copy().put("analysedAt", 1),
        response -> response.getValue("analysedAt") != null);
  }

  /**
   * Responses never analysed or analysed by an older version of the text analysis, with their
   * survey, answers and {@code analysedAt} (the start-up sweep).
   */
  public ReadStream<JsonObject> streamNeedingAnalysis(int version) {
    JsonObject fields = new JsonObject().put("surveyId", 1).put("answers", 1).put("analysedAt", 1)
        .put("analysisVersion", 1);
    return numbered(sequence.sizes(), fields, response -> !Integer.valueOf(version).equals(
        response.getInteger("analysisVersion")));
  }

  /** How many numbers each survey has handed out (its counter): numbers from then on are higher. */
  public Future<Map<String, Long>> numberedSizes() {
    return sequence.sizes();
  }

  /** Every stored response numbered below {@code sizes} (from {@link #numberedSizes}), with only {@code fields} (a recount). */
  public ReadStream<JsonObject> streamAll(JsonObject fields, Map<String, Long> sizes) {
    return numbered(Future.succeededFuture(sizes), fields, response -> true);
  }

  /**
   * The responses of these surveys (with their sizes), a chunk of numbers at a time by the unique
   * {@code seq} index, those {@code keep} accepts; {@code fields} null for whole documents (it must
   * hold what {@code keep} reads).
   */
  private ReadStream<JsonObject> numbered(Future<Map<String, Long>> sizes, JsonObject fields,
      Predicate<JsonObject> keep) {
    Future<List<Map.Entry<String, Long>>> spans = sizes.map(bySurvey -> bySurvey.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> Map.entry(e.getKey(), ResponseSequence.chunks(e.getValue()))).toList());
    Future<Long> chunks = spans.map(list -> list.stream().mapToLong(Map.Entry::getValue).sum());
    return new ChunkedReadStream<>(vertx, chunks, index -> spans.compose(list -> {
      long at = index;
      for (Map.Entry<String, Long> span : list) {
        if (at < span.getValue()) {
          return readChunk(span.getKey(), at, fields, keep);
        }
        at -= span.getValue();
      }
      return Future.succeededFuture(List.of());
    }));
  }

  private Future<List<JsonObject>> readChunk(String surveyId, long chunk, JsonObject fields, Predicate<JsonObject> keep) {
    JsonArray keys = ResponseSequence.chunkKeys(surveyId, chunk);
    FindOptions options = new FindOptions().setBatchSize(ResponseSequence.BLOCK);
    if (fields != null) {
      options.setFields(fields.copy().put(ResponseSequence.FIELD, 1));
    }
    if (!embedded) {
      JsonObject query = new JsonObject().put(ResponseSequence.FIELD, new JsonObject().put("$in", keys));
      return mongo.findWithOptions(COLLECTION, query, options).map(found -> found.stream().filter(keep).toList());
    }
    return sequence.listed(keys).compose(bySeq -> bySeq.isEmpty() ? Future.succeededFuture(List.<JsonObject>of())
        : mongo.findWithOptions(COLLECTION, new JsonObject().put("_id", new JsonObject().put("$in",
                new JsonArray(new ArrayList<>(bySeq.values())))), options)
            .map(found -> found.stream()
                .filter(response -> response.getString("_id").equals(bySeq.get(response.getString(ResponseSequence.FIELD))))
                .filter(keep).toList()));
  }

  /**
   * Numbers (and, on the embedded store, lists) the responses stored before numbers existed; once per
   * database. Completes with how many were numbered.
   */
  public Future<Integer> numberOldResponses() {
    return numbering.numberOldResponses();
  }

  /**
   * Numbers every response without a number, whatever the markers say: documents written behind
   * Heard's back (a restore, a tool) are found by an admin's recount. One scan of the collection.
   */
  public Future<Integer> numberUnnumbered() {
    return numbering.numberUnnumbered();
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
    if (!embedded) {
      JsonObject query = new JsonObject().put("surveyId", surveyId)
          .put("receivedAt", new JsonObject().put("$gte", Documents.date(since)));
      return mongo.findWithOptions(COLLECTION, query, new FindOptions().setLimit(limit).setFields(KEY_FIELDS));
    }
    return sequence.size(surveyId)
        .compose(size -> keysDown(surveyId, ResponseSequence.chunks(size) - 1, since, limit, new ArrayList<>()));
  }

  /**
   * From the newest chunk of numbers down. The embedded store serves one process, which takes its
   * blocks of numbers in time order: below a chunk whose responses are all older than {@code since}
   * there are no newer ones. (Instances sharing a MongoDB hold blocks side by side: there the
   * {@code survey_received} index serves the range instead.)
   */
  private Future<List<JsonObject>> keysDown(String surveyId, long chunk, Instant since, int limit,
      List<JsonObject> found) {
    if (chunk < 0 || found.size() >= limit) {
      return Future.succeededFuture(found);
    }
    return readChunk(surveyId, chunk, KEY_FIELDS, response -> true).compose(responses -> {
      boolean anyRecent = false;
      for (JsonObject response : responses) {
        if (!Documents.instant(response.getJsonObject("receivedAt")).isBefore(since) && found.size() < limit) {
          found.add(response);
          anyRecent = true;
        }
      }
      return !responses.isEmpty() && !anyRecent ? Future.succeededFuture(found)
          : keysDown(surveyId, chunk - 1, since, limit, found);
    });
  }

  /** Up to {@code limit} responses of a survey received before {@code cutoff} and not yet trimmed. */
  public Future<List<JsonObject>> findPastRetention(String surveyId, Instant cutoff, int limit) {
    Predicate<JsonObject> due = response -> !response.containsKey("retainedAt")
        && Documents.instant(response.getJsonObject("receivedAt")).isBefore(cutoff);
    Promise<List<JsonObject>> done = Promise.promise();
    List<JsonObject> found = new ArrayList<>();
    ReadStream<JsonObject> stream = numbered(sequence.size(surveyId).map(size -> Map.of(surveyId, size)), null, due);
    stream.handler(response -> {
      found.add(response);
      if (found.size() >= limit) {
        stream.pause();
        done.tryComplete(found);
      }
    }).exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete(found));
    return done.future();
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
