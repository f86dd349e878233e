package org.heard.webform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code web_drafts} collection: one document per form token, read and replaced by {@code _id}. */
public final class DraftStore {
  public static final String COLLECTION = "web_drafts";

  private final MongoClient mongo;

  public DraftStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<FormDraft> find(String token) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", token), null)
        .map(doc -> doc == null ? null : new FormDraft(doc.getString("_id"), doc.getString("surveyId"),
            doc.getString("language"), plain(doc.getJsonObject("answers")), doc.getString("submittedResponseId")));
  }

  public Future<Void> save(FormDraft draft) {
    JsonObject doc = new JsonObject()
        .put("_id", draft.token())
        .put("surveyId", draft.surveyId())
        .put("language", draft.language())
        .put("answers", new JsonObject(new LinkedHashMap<>(draft.answers())))
        .put("submittedResponseId", draft.submittedResponseId())
        .put("updatedAt", new JsonObject().put("$date", Instant.now().toString()));
    return mongo.save(COLLECTION, doc).mapEmpty();
  }

  /**
   * Deletes drafts untouched for longer than {@code age}: abandoned forms are personal data with no
   * purpose. Run periodically; the embedded store has no TTL indexes.
   */
  public Future<Long> deleteUntouchedFor(Duration age) {
    String cutoff = Instant.now().minus(age).toString();
    return mongo.removeDocuments(COLLECTION,
            new JsonObject().put("updatedAt", new JsonObject().put("$lt", new JsonObject().put("$date", cutoff))))
        .map(result -> result == null ? 0L : result.getRemovedCount());
  }

  private static Map<String, Object> plain(JsonObject json) {
    Map<String, Object> result = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(e -> result.put(e.getKey(), e.getValue() instanceof JsonArray a ? new ArrayList<>(a.getList())
          : e.getValue()));
    }
    return result;
  }
}
