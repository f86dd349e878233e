package org.heard.themes;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heard.store.Documents;
import org.heard.store.StoreErrors;

/**
 * The {@code theme_models} and {@code theme_assignments} collections. Per survey: the last build's
 * themes (ids, labels, centres, "anchors": the most central comments' ids, no text) and spaces,
 * from which the next build keeps the same theme ids and other instances take the model instead of
 * building it again; each comment's theme (by key) in chunks of assignments; and the build lease,
 * so one instance builds a survey's themes at a time.
 */
public final class ThemeAnchors {
  public static final String COLLECTION = "theme_models";
  public static final String ASSIGNMENTS = "theme_assignments";
  private static final int CHUNK = 5_000;

  private final MongoClient mongo;
  private final Clock clock;

  public ThemeAnchors(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(ASSIGNMENTS, new JsonObject().put("survey", 1).put("generation", 1),
        new IndexOptions().name("survey_generation")).mapEmpty();
  }

  /** The themes of the survey's last build (for keeping ids), or none. */
  public Future<List<ThemeModel.Theme>> load(String surveyId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", surveyId), null)
        .map(doc -> doc == null || doc.getJsonArray("themes") == null ? List.of() : ThemeModelCodec.themes(doc));
  }

  /**
   * Takes the survey's build lease for {@code lease} unless another instance holds it; completes
   * with whether this instance may build.
   */
  Future<Boolean> claimBuild(String surveyId, String instance, Duration lease) {
    long now = clock.millis();
    JsonObject free = new JsonObject().put("_id", surveyId).put("$or", new JsonArray()
        .add(new JsonObject().put("leaseUntil", new JsonObject().put("$lt", now)))
        .add(new JsonObject().put("leaseUntil", new JsonObject().put("$exists", false)))
        .add(new JsonObject().put("leaseBy", instance)));
    JsonObject take = new JsonObject().put("$set", new JsonObject().put("leaseBy", instance)
        .put("leaseUntil", now + lease.toMillis()));
    return mongo.updateCollectionWithOptions(COLLECTION, free, take, new UpdateOptions().setUpsert(true))
        .map(result -> result.getDocMatched() > 0 || result.getDocUpsertedId() != null)
        // The lease document exists and another instance holds it: the upsert's insert collides.
        .recover(error -> StoreErrors.isDuplicateKey(error) ? Future.succeededFuture(false) : Future.failedFuture(error));
  }

  Future<Void> releaseBuild(String surveyId, String instance) {
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", surveyId).put("leaseBy", instance),
        new JsonObject().put("$set", new JsonObject().put("leaseUntil", 0L))).mapEmpty();
  }

  /** The generation (build time in ms) of the survey's stored model, or 0 when there is none. */
  Future<Long> generation(String surveyId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", surveyId), new JsonObject().put("generation", 1))
        .map(doc -> doc == null ? 0L : doc.getLong("generation", 0L));
  }

  /**
   * Stores a built model: its assignments first (under its generation), then the model document
   * that points at them, then the older generations' assignments are removed.
   */
  public Future<Void> save(ThemeModel model) {
    long generation = model.builtAt().toEpochMilli();
    List<BulkOperation> chunks = new ArrayList<>();
    List<ThemeModel.Assignment> all = new ArrayList<>(model.assignments());
    for (int from = 0, part = 0; from < all.size(); from += CHUNK, part++) {
      JsonArray keys = new JsonArray();
      JsonArray themes = new JsonArray();
      JsonArray centrality = new JsonArray();
      for (ThemeModel.Assignment a : all.subList(from, Math.min(all.size(), from + CHUNK))) {
        keys.add(a.item().key());
        themes.add(a.themeId());
        centrality.add(a.centrality());
      }
      chunks.add(BulkOperation.createInsert(new JsonObject().put("_id", model.surveyId() + "|" + generation + "|" + part)
          .put("survey", model.surveyId()).put("generation", generation)
          .put("keys", keys).put("themes", themes).put("centrality", centrality)));
    }
    JsonObject set = ThemeModelCodec.themes(model).put("builtAt", Documents.date(model.builtAt()))
        .put("builtAtText", model.builtAt().toString()).put("generation", generation)
        .put("comments", model.builtFrom());
    Future<Void> written = chunks.isEmpty() ? Future.succeededFuture()
        : mongo.bulkWrite(ASSIGNMENTS, chunks).<Void>mapEmpty()
            .recover(error -> StoreErrors.isDuplicateKey(error) ? Future.succeededFuture() : Future.failedFuture(error));
    return written
        .compose(v -> mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", model.surveyId()),
            new JsonObject().put("$set", set).put("$inc", new JsonObject().put("builds", 1)),
            new UpdateOptions().setUpsert(true)))
        .compose(v -> mongo.removeDocuments(ASSIGNMENTS, new JsonObject().put("survey", model.surveyId())
            .put("generation", new JsonObject().put("$ne", generation))))
        .mapEmpty();
  }

  /** The stored model document and its assignments by key (theme id, centrality), or null when none is stored. */
  Future<Stored> loadModel(String surveyId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", surveyId), null).compose(doc -> {
      if (doc == null || doc.getLong("generation") == null) {
        return Future.succeededFuture(null);
      }
      long generation = doc.getLong("generation");
      return mongo.findWithOptions(ASSIGNMENTS, new JsonObject().put("survey", surveyId).put("generation", generation),
          new FindOptions()).map(chunks -> {
            Map<String, Object[]> byKey = new HashMap<>();
            for (JsonObject chunk : chunks) {
              JsonArray keys = chunk.getJsonArray("keys");
              JsonArray themes = chunk.getJsonArray("themes");
              JsonArray centrality = chunk.getJsonArray("centrality");
              for (int i = 0; i < keys.size(); i++) {
                byKey.put(keys.getString(i), new Object[] {themes.getString(i), ((Number) centrality.getValue(i)).doubleValue()});
              }
            }
            return new Stored(doc, generation, byKey);
          });
    });
  }

  record Stored(JsonObject doc, long generation, Map<String, Object[]> assignments) {
  }
}
