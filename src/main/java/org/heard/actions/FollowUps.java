package org.heard.actions;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import org.heard.store.Documents;
import org.heard.store.StoreErrors;

/**
 * The {@code sms_followups} collection: one record per published action and respondent, written
 * before the message is sent, so nobody is texted about the same action twice.
 */
public final class FollowUps {
  public static final String COLLECTION = "sms_followups";

  private final MongoClient mongo;
  private final Clock clock;

  public FollowUps(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /** Records that this respondent is being texted about this action; false if that was recorded before. */
  public Future<Boolean> claim(String actionId, String respondentKey) {
    JsonObject record = new JsonObject().put("_id", id(actionId, respondentKey)).put("actionId", actionId)
        .put("respondentKey", respondentKey).put("state", "sending").put("at", Documents.date(clock.instant()));
    return mongo.insert(COLLECTION, record).map(true)
        .recover(error -> StoreErrors.isDuplicateKey(error) ? Future.succeededFuture(false) : Future.failedFuture(error));
  }

  public Future<Void> sent(String actionId, String respondentKey) {
    return state(actionId, respondentKey, new JsonObject().put("state", "sent"));
  }

  public Future<Void> notSent(String actionId, String respondentKey, String reason) {
    return state(actionId, respondentKey, new JsonObject().put("state", "not-sent").put("reason", reason));
  }

  private Future<Void> state(String actionId, String respondentKey, JsonObject fields) {
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", id(actionId, respondentKey)),
        new JsonObject().put("$set", fields)).mapEmpty();
  }

  private static String id(String actionId, String respondentKey) {
    return actionId + "|" + respondentKey;
  }
}
