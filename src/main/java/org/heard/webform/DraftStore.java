package org.heard.webform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.heard.sms.TextBack;
import org.heard.store.Documents;
import org.heard.store.StoreErrors;

/**
 * The {@code web_drafts} collection: one document per form token, read and replaced by {@code _id}.
 * While the database is unreachable, drafts are kept in memory instead (up to a bound), so people
 * can carry on through the form; the finished response goes to the durable spool like any other.
 */
public final class DraftStore {
  public static final String COLLECTION = "web_drafts";
  private static final int MAX_FALLBACK_DRAFTS = 20_000;

  private final MongoClient mongo;
  private final Map<String, JsonObject> fallback = new ConcurrentHashMap<>();

  public DraftStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The sweep of abandoned drafts (by last change). */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("updatedAt", 1), new IndexOptions().name("updated"));
  }

  public Future<FormDraft> find(String token) {
    JsonObject kept = fallback.get(token);
    // With the database away, a draft it holds cannot be read: the form starts that page afresh.
    Future<JsonObject> found = kept != null ? Future.succeededFuture(kept)
        : mongo.findOne(COLLECTION, new JsonObject().put("_id", token), null)
            .recover(error -> StoreErrors.isUnreachable(error) ? Future.succeededFuture(null)
                : Future.failedFuture(error));
    return found
        .map(doc -> doc == null ? null : new FormDraft(doc.getString("_id"), doc.getString("surveyId"),
            doc.getString("language"), Documents.plainMap(doc.getJsonObject("answers")),
            seen(doc.getJsonArray("seen")), Documents.plainMap(doc.getJsonObject("aside", new JsonObject())),
            TextBack.Contact.fromDocument(doc.getJsonObject("contacts")), doc.getString("submittedResponseId")));
  }

  public Future<Void> save(FormDraft draft) {
    JsonObject doc = new JsonObject()
        .put("_id", draft.token())
        .put("surveyId", draft.surveyId())
        .put("language", draft.language())
        .put("answers", new JsonObject(new LinkedHashMap<>(draft.answers())))
        .put("seen", new JsonArray(List.copyOf(draft.seen())))
        .put("aside", new JsonObject(new LinkedHashMap<>(draft.aside())))
        .put("contacts", TextBack.Contact.toDocument(draft.contacts()))
        .put("submittedResponseId", draft.submittedResponseId())
        .put("updatedAt", Documents.date(Instant.now()));
    return mongo.save(COLLECTION, doc).<Void>mapEmpty()
        .onSuccess(v -> fallback.remove(draft.token()))
        .recover(error -> {
          if (!StoreErrors.isUnreachable(error) || fallback.size() >= MAX_FALLBACK_DRAFTS) {
            return Future.failedFuture(error);
          }
          fallback.put(draft.token(), doc);
          return Future.succeededFuture();
        });
  }

  private static Set<String> seen(JsonArray ids) {
    Set<String> seen = new LinkedHashSet<>();
    if (ids != null) {
      ids.forEach(id -> seen.add(String.valueOf(id)));
    }
    return seen;
  }

  /**
   * Deletes drafts untouched for longer than {@code age}: abandoned forms are personal data with no
   * purpose. Run periodically; the embedded store has no TTL indexes.
   */
  public Future<Long> deleteUntouchedFor(Duration age) {
    JsonObject cutoff = Documents.date(Instant.now().minus(age));
    return mongo.removeDocuments(COLLECTION, new JsonObject().put("updatedAt", new JsonObject().put("$lt", cutoff)))
        .map(result -> result == null ? 0L : result.getRemovedCount());
  }

}
