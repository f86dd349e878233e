package org.heard.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.heard.store.Documents;

/**
 * Signed-in staff sessions ({@code staff_sessions}), stored under the hash of the cookie value. A
 * session ends after {@link #IDLE} without a request or {@link #ABSOLUTE} after sign-in, at logout,
 * and at once when its account is disabled or its password reset.
 */
public final class StaffSessions {
  public static final String COLLECTION = "staff_sessions";
  public static final Duration IDLE = Duration.ofMinutes(30);
  public static final Duration ABSOLUTE = Duration.ofHours(12);
  static final int TOKEN_BYTES = 32;
  /** Last-seen times are written at most this often, not on every request. */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private final MongoClient mongo;
  private final Clock clock;

  public StaffSessions(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /** A new session: the cookie value (only ever sent to the browser) and its CSRF token. */
  public record Started(String cookieValue, String csrf) {
  }

  /** A live session, as found from its cookie. */
  public record Session(String id, String accountId, String csrf) {
  }

  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("accountId", 1),
            new IndexOptions().name("account"))
        // The expiry sweep's $or: one index per branch.
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("lastSeenAt", 1),
            new IndexOptions().name("last_seen")))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("createdAt", 1),
            new IndexOptions().name("created")));
  }

  public Future<Started> start(String accountId) {
    String token = SecretTokens.random(TOKEN_BYTES);
    String csrf = SecretTokens.random(24);
    Instant now = Instant.now(clock);
    JsonObject document = new JsonObject()
        .put("_id", SecretTokens.hash(token))
        .put("accountId", accountId)
        .put("csrf", csrf)
        .put("createdAt", Documents.date(now))
        .put("lastSeenAt", Documents.date(now));
    return mongo.insert(COLLECTION, document).map(id -> new Started(token, csrf));
  }

  public Future<Optional<Session>> find(String cookieValue) {
    if (!SecretTokens.plausible(cookieValue, TOKEN_BYTES)) {
      return Future.succeededFuture(Optional.empty());
    }
    String id = SecretTokens.hash(cookieValue);
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null).compose(document -> {
      if (document == null) {
        return Future.succeededFuture(Optional.empty());
      }
      Instant now = Instant.now(clock);
      Instant created = Documents.instant(document.getJsonObject("createdAt"));
      Instant lastSeen = Documents.instant(document.getJsonObject("lastSeenAt"));
      if (now.isAfter(created.plus(ABSOLUTE)) || now.isAfter(lastSeen.plus(IDLE))) {
        return end(cookieValue).map(v -> Optional.empty());
      }
      Session session = new Session(id, document.getString("accountId"), document.getString("csrf"));
      if (now.isAfter(lastSeen.plus(TOUCH_EVERY))) {
        return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", id),
            new JsonObject().put("$set", new JsonObject().put("lastSeenAt", Documents.date(now))))
            .map(r -> Optional.of(session));
      }
      return Future.succeededFuture(Optional.of(session));
    });
  }

  public Future<Void> end(String cookieValue) {
    if (!SecretTokens.plausible(cookieValue, TOKEN_BYTES)) {
      return Future.succeededFuture();
    }
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", SecretTokens.hash(cookieValue))).mapEmpty();
  }

  /** Ends every session of an account (disabled, password reset). */
  public Future<Void> endAll(String accountId) {
    return mongo.removeDocuments(COLLECTION, new JsonObject().put("accountId", accountId)).mapEmpty();
  }

  /** Deletes sessions that can no longer be used. Run periodically. */
  public Future<Void> deleteExpired() {
    Instant now = Instant.now(clock);
    return mongo.removeDocuments(COLLECTION, new JsonObject().put("$or", new JsonArray()
        .add(new JsonObject().put("lastSeenAt", new JsonObject().put("$lt", Documents.date(now.minus(IDLE)))))
        .add(new JsonObject().put("createdAt", new JsonObject().put("$lt", Documents.date(now.minus(ABSOLUTE)))))))
        .mapEmpty();
  }
}
