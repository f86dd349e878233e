package org.heard.bench;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.List;

/**
 * Responses a benchmark writes straight into the store, numbered as Heard numbers them: Heard reads a
 * survey's responses by number (see {@code ResponseSequence}), so a document without one is invisible
 * to exports and theme builds until an admin's recount numbers it. On the embedded store each number
 * is also listed by {@code _id} in {@code response_numbers}; a MongoDB ignores the list.
 */
public final class StoredNumbers {
  private StoredNumbers() {
  }

  /** The number of the {@code n}th response of a survey, as Heard writes it. */
  public static String seq(String surveyId, long n) {
    return surveyId + "#" + n;
  }

  /** Stores these responses (each with its {@code seq}) and lists their numbers. */
  public static void insert(MongoClient mongo, List<JsonObject> responses) throws Exception {
    mongo.bulkWrite("response_numbers", responses.stream().map(r -> BulkOperation.createInsert(
            new JsonObject().put("_id", r.getString("seq")).put("response", r.getString("_id")))).toList())
        .toCompletionStage().toCompletableFuture().get();
    mongo.bulkWrite("responses", responses.stream().map(BulkOperation::createInsert).toList())
        .toCompletionStage().toCompletableFuture().get();
  }

  /** Moves the survey's counter to at least {@code size}, so readers look at numbers below it. */
  public static void publish(MongoClient mongo, String surveyId, long size) throws Exception {
    mongo.updateCollectionWithOptions("response_sequences", new JsonObject().put("_id", surveyId),
            new JsonObject().put("$max", new JsonObject().put("next", size)), new UpdateOptions().setUpsert(true))
        .toCompletionStage().toCompletableFuture().get();
  }
}
