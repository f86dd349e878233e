package org.heard.response;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A number for every stored response of a survey ({@code seq: "community-safety#1234"}), so a
 * survey's responses can be listed by key. The embedded store serves only exact lookups by a unique
 * index, never a range or a non-unique field: without listable keys, reading a survey means one
 * query over the whole collection, which holds the collection (every insert waits) and the whole
 * answer in memory until done. With them, readers ask for a thousand numbers at a time by the
 * unique {@code seq} index. Numbers come from a counter per survey in blocks of {@link #BLOCK}, so
 * an instance asks the database once per block; a block an instance stops in, a repeated
 * submission or an erasure leaves gaps, which readers skip.
 *
 * <p>On the embedded store, a lookup by {@code seq} goes through mongo-java-server's index, which H2
 * searches by serialising keys at every comparison (slow), while a lookup by {@code _id} is quick
 * ({@code store.IdReads}). There each number is also listed in {@code response_numbers} as
 * {@code {_id: seq, response: id}}, and a chunk is read as two lookups by {@code _id}. A MongoDB serves
 * {@code seq} by its index and needs no list.
 */
public final class ResponseSequence {
  public static final String COLLECTION = "response_sequences";
  /** {@code {_id: "survey#n", response: responseId}}: the numbers by {@code _id} (embedded store only). */
  public static final String NUMBERS = "response_numbers";
  static final String FIELD = "seq";
  /** Numbers taken from the counter at a time, and the numbers a reader asks for at a time. */
  static final int BLOCK = 1000;
  /** The marker that every response of this database has a number; not a survey id (those never hold "#"). */
  private static final String ALL_NUMBERED = "#all-numbered";
  /** The marker that every numbered response of this database is listed in {@link #NUMBERS}. */
  private static final String ALL_LISTED = "#all-listed";

  private final MongoClient mongo;
  /** Per survey, the next number to hand out and the end of its block (guarded by this). */
  private final Map<String, long[]> blocks = new HashMap<>();
  private final Map<String, Future<long[]>> taking = new HashMap<>();

  public ResponseSequence(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The key for the next response of a survey. */
  public synchronized Future<String> next(String surveyId) {
    long[] block = blocks.get(surveyId);
    if (block != null && block[0] < block[1]) {
      return Future.succeededFuture(key(surveyId, block[0]++));
    }
    Future<long[]> taken = taking.get(surveyId);
    if (taken == null) {
      // Registered before the database is asked, so an answer that comes at once (on this thread,
      // inside this lock) still finds it to remove: a finished take never stays behind.
      Promise<long[]> promise = Promise.promise();
      taken = promise.future();
      taking.put(surveyId, taken);
      takeBlock(surveyId).onComplete(result -> {
        synchronized (this) {
          taking.remove(surveyId, promise.future());
          if (result.succeeded()) {
            blocks.put(surveyId, result.result());
          }
        }
        promise.handle(result);
      });
    }
    return taken.compose(done -> next(surveyId));
  }

  private Future<long[]> takeBlock(String surveyId) {
    return mongo.findOneAndUpdateWithOptions(COLLECTION, new JsonObject().put("_id", surveyId),
            new JsonObject().put("$inc", new JsonObject().put("next", BLOCK)), new FindOptions(),
            new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
        .map(counter -> {
          long end = counter.getLong("next");
          return new long[] {end - BLOCK, end};
        });
  }

  /** How many numbers a survey has handed out so far (some unused): its keys are below this. */
  public Future<Long> size(String surveyId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", surveyId), new JsonObject().put("next", 1))
        .map(counter -> counter == null ? 0L : counter.getLong("next", 0L));
  }

  /** Every survey that has numbered a response, with its size (the counters are one small document per survey). */
  public Future<Map<String, Long>> sizes() {
    return mongo.find(COLLECTION, new JsonObject()).map(counters -> {
      Map<String, Long> sizes = new HashMap<>();
      for (JsonObject counter : counters) {
        if (!counter.getString("_id").startsWith("#")) {
          sizes.put(counter.getString("_id"), counter.getLong("next", 0L));
        }
      }
      return sizes;
    });
  }

  /** Whether the responses stored before numbering existed have been numbered (see ResponseStore). */
  Future<Boolean> allNumbered() {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", ALL_NUMBERED), null).map(found -> found != null);
  }

  Future<Void> markAllNumbered() {
    return mongo.save(COLLECTION, new JsonObject().put("_id", ALL_NUMBERED)).mapEmpty();
  }

  /** Whether every numbered response is listed in {@link #NUMBERS} (see ResponseStore). */
  Future<Boolean> allListed() {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", ALL_LISTED), null).map(found -> found != null);
  }

  Future<Void> markAllListed() {
    return mongo.save(COLLECTION, new JsonObject().put("_id", ALL_LISTED)).mapEmpty();
  }

  /** Lists a response's number (embedded store); a repeat of one already listed is no error. */
  Future<Void> list(String seq, String responseId) {
    return mongo.save(NUMBERS, new JsonObject().put("_id", seq).put("response", responseId)).mapEmpty();
  }

  /**
   * After a repeat of a stored response: the number just listed for the repeat goes, and the stored
   * response's own is listed again (so a retry after a failed listing is never left unread).
   */
  Future<Void> relist(String repeatSeq, String storedSeq, String responseId) {
    Future<Void> unlisted = repeatSeq.equals(storedSeq) ? Future.succeededFuture()
        : mongo.removeDocument(NUMBERS, new JsonObject().put("_id", repeatSeq)).mapEmpty();
    return storedSeq == null ? unlisted : unlisted.compose(v -> list(storedSeq, responseId));
  }

  /** Lists these numbers ({@code seq} to response id) at once, as {@link #list} does one. */
  Future<Void> listAll(Map<String, String> responseBySeq) {
    if (responseBySeq.isEmpty()) {
      return Future.succeededFuture();
    }
    List<BulkOperation> saves = new ArrayList<>();
    responseBySeq.forEach((seq, id) -> saves.add(BulkOperation.createReplace(new JsonObject().put("_id", seq),
        new JsonObject().put("_id", seq).put("response", id), true)));
    return mongo.bulkWrite(NUMBERS, saves).mapEmpty();
  }

  /** The response ids listed for these numbers, by number (a number handed out but never used is absent). */
  Future<Map<String, String>> listed(JsonArray seqs) {
    return mongo.find(NUMBERS, new JsonObject().put("_id", new JsonObject().put("$in", seqs))).map(found -> {
      Map<String, String> bySeq = new HashMap<>();
      found.forEach(number -> bySeq.put(number.getString("_id"), number.getString("response")));
      return bySeq;
    });
  }

  /** The keys of chunk {@code chunk} of a survey: numbers {@code chunk * BLOCK} up to the next chunk. */
  static JsonArray chunkKeys(String surveyId, long chunk) {
    List<Object> keys = new ArrayList<>(BLOCK);
    for (long n = chunk * BLOCK; n < (chunk + 1) * BLOCK; n++) {
      keys.add(key(surveyId, n));
    }
    return new JsonArray(keys);
  }

  /** How many chunks hold a survey's keys when it has handed out {@code size} numbers. */
  static long chunks(long size) {
    return (size + BLOCK - 1) / BLOCK;
  }

  static String key(String surveyId, long n) {
    return surveyId + "#" + n;
  }

  /** The number of a key made by {@link #key} ({@code "survey#1234"}), or -1 for none or another form. */
  public static long number(String key) {
    int hash = key == null ? -1 : key.lastIndexOf('#');
    try {
      return hash < 0 ? -1 : Long.parseLong(key.substring(hash + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
