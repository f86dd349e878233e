package org.heard.actions;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;

/**
 * "You said, we did" actions ({@code actions}): what a partner agency did about a theme, its
 * status and date, and a plain-language public summary per language. Published actions are shown
 * to residents; every change is kept in the action's {@code history}.
 */
public final class ActionStore {
  public static final String COLLECTION = "actions";

  private final MongoClient mongo;

  public ActionStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** A survey's actions, and the published ones (the public page). */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("surveyId", 1), new IndexOptions().name("survey"))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("published", 1),
            new IndexOptions().name("published")));
  }

  public Future<Void> insert(JsonObject action) {
    return mongo.insert(COLLECTION, action).mapEmpty();
  }

  public Future<JsonObject> find(String id) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null);
  }

  /** Replaces the action if it is still at {@code version} (two analysts editing at once: the second is told). */
  public Future<Boolean> replace(JsonObject action, int version) {
    return mongo.replaceDocuments(COLLECTION, new JsonObject().put("_id", action.getString("_id")).put("version", version),
        action).map(result -> result != null && result.getDocMatched() == 1);
  }

  public Future<List<JsonObject>> forSurvey(String surveyId) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("surveyId", surveyId),
        new FindOptions().setSort(new JsonObject().put("date", -1).put("_id", 1)));
  }

  public Future<List<JsonObject>> published() {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("published", true),
        new FindOptions().setSort(new JsonObject().put("surveyId", 1).put("date", -1).put("_id", 1)));
  }
}
