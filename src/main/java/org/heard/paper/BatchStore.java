package org.heard.paper;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.LocalDate;
import java.util.List;
import org.heard.error.ClientText;
import org.heard.error.HeardException;
import org.heard.store.Documents;

/** The {@code paper_batches} collection. */
public final class BatchStore {
  public static final String COLLECTION = "paper_batches";
  /** The document, beside the batches, that counts each survey's printed serials. */
  private static final String COUNTER_PREFIX = "printed-serials:";

  private final MongoClient mongo;

  public BatchStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** A survey's batches. */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("surveyId", 1), new IndexOptions().name("survey"));
  }

  public Future<Batch> insert(Batch batch) {
    JsonObject document = new JsonObject()
        .put("_id", batch.id())
        .put("surveyId", batch.surveyId())
        .put("formCode", batch.formCode())
        .put("venue", batch.venue())
        .put("collectedOn", batch.collectedOn().toString())
        .put("expected", batch.expected())
        .put("note", batch.note())
        .put("createdBy", batch.createdBy())
        .put("createdAt", Documents.date(batch.createdAt()))
        .put("forms", new JsonArray());
    return mongo.insert(COLLECTION, document).map(id -> batch);
  }

  public Future<Batch> get(String surveyId, String batchId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", batchId == null ? "" : batchId), null)
        .compose(document -> document == null || !surveyId.equals(document.getString("surveyId"))
            ? Future.failedFuture(new HeardException.NotFound("unknown-batch",
                "There is no batch '" + ClientText.shorten(String.valueOf(batchId)) + "' for survey " + surveyId + "."))
            : Future.succeededFuture(fromDocument(document)));
  }

  /** Batches of a survey, newest first. */
  public Future<List<Batch>> forSurvey(String surveyId) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("surveyId", surveyId),
            new FindOptions().setSort(new JsonObject().put("createdAt", -1)).setLimit(200))
        .map(found -> found.stream().map(BatchStore::fromDocument).toList());
  }

  public Future<Void> addForm(String batchId, Batch.Form form) {
    JsonObject entry = new JsonObject().put("serial", form.serial()).put("outcome", form.outcome())
        .put("responseId", form.responseId()).put("by", form.by());
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", batchId),
        new JsonObject().put("$push", new JsonObject().put("forms", entry))).mapEmpty();
  }

  private static Batch fromDocument(JsonObject d) {
    return new Batch(d.getString("_id"), d.getString("surveyId"), d.getString("formCode"), d.getString("venue"),
        LocalDate.parse(d.getString("collectedOn")), d.getInteger("expected", 0), d.getString("note"),
        d.getString("createdBy"), Documents.instant(d.getJsonObject("createdAt")),
        d.getJsonArray("forms", new JsonArray()).stream().map(o -> {
          JsonObject f = (JsonObject) o;
          return new Batch.Form(f.getString("serial"), f.getString("outcome"), f.getString("responseId"),
              f.getString("by"));
        }).toList(),
        d.containsKey("printedFirst") ? new Batch.Serials(d.getString("formCode"), d.getInteger("printedFirst"),
            d.getInteger("printedLast")) : null);
  }

  /**
   * The serials to print on a batch's forms: allocated once per batch from the survey's counter (a
   * second print of the batch prints the same ones), so no two batches' printed serials meet.
   */
  public Future<Batch> printedSerials(Batch batch) {
    if (batch.printed() != null) {
      return Future.succeededFuture(batch);
    }
    JsonObject counter = new JsonObject().put("_id", COUNTER_PREFIX + batch.surveyId());
    return mongo.findOneAndUpdateWithOptions(COLLECTION, counter,
            new JsonObject().put("$inc", new JsonObject().put("printed", batch.expected())),
            new FindOptions(), new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
        .compose(updated -> {
          int last = updated.getInteger("printed");
          int first = last - batch.expected() + 1;
          // Only a batch not yet given serials takes these: two prints at once keep the first one's.
          return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", batch.id())
                  .put("printedFirst", new JsonObject().put("$exists", false)),
              new JsonObject().put("$set", new JsonObject().put("printedFirst", first).put("printedLast", last)));
        })
        .compose(v -> get(batch.surveyId(), batch.id()));
  }
}
