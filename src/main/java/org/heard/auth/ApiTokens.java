package org.heard.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.heard.error.HeardException;
import org.heard.store.Documents;

/**
 * Bearer tokens for the staff JSON API ({@code staff_tokens}), stored under their hash, valid for
 * {@link #LIFETIME}. Each has a public id (shown in lists, used to revoke) that cannot be used to
 * authenticate. A token acts with its account's current role, and stops working as soon as the
 * account is disabled.
 */
public final class ApiTokens {
  public static final String COLLECTION = "staff_tokens";
  public static final Duration LIFETIME = Duration.ofHours(8);
  static final int TOKEN_BYTES = 32;

  private final MongoClient mongo;
  private final Clock clock;

  public ApiTokens(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  public record Issued(String token, String id, Instant expiresAt) {
  }

  public record TokenInfo(String id, String accountId, Instant createdAt, Instant expiresAt) {
  }

  public Future<Issued> issue(String accountId) {
    String token = SecretTokens.random(TOKEN_BYTES);
    String id = SecretTokens.random(9);
    Instant now = Instant.now(clock);
    Instant expires = now.plus(LIFETIME);
    JsonObject document = new JsonObject()
        .put("_id", SecretTokens.hash(token))
        .put("tokenId", id)
        .put("accountId", accountId)
        .put("createdAt", Documents.date(now))
        .put("expiresAt", Documents.date(expires));
    return mongo.insert(COLLECTION, document).map(x -> new Issued(token, id, expires));
  }

  /** The account a live token belongs to. */
  public Future<Optional<String>> accountOf(String token) {
    if (!SecretTokens.plausible(token, TOKEN_BYTES)) {
      return Future.succeededFuture(Optional.empty());
    }
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", SecretTokens.hash(token)), null)
        .map(document -> Optional.ofNullable(document)
            .filter(d -> Instant.now(clock).isBefore(Documents.instant(d.getJsonObject("expiresAt"))))
            .map(d -> d.getString("accountId")));
  }

  /** Live tokens, newest first. */
  public Future<List<TokenInfo>> list() {
    JsonObject live = new JsonObject().put("expiresAt",
        new JsonObject().put("$gt", Documents.date(Instant.now(clock))));
    return mongo.findWithOptions(COLLECTION, live, new FindOptions().setSort(new JsonObject().put("createdAt", -1)))
        .map(found -> found.stream().map(d -> new TokenInfo(d.getString("tokenId"), d.getString("accountId"),
            Documents.instant(d.getJsonObject("createdAt")), Documents.instant(d.getJsonObject("expiresAt")))).toList());
  }

  /** Indexes for revoking by public id and by account. Run at start-up. */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("tokenId", 1),
            new IndexOptions().name("token_id").unique(true))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("accountId", 1),
            new IndexOptions().name("account")))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("expiresAt", 1),
            new IndexOptions().name("expires")));
  }

  /** Ends every token of an account (a password reset, a disable, a role change): none comes back. */
  public Future<Void> revokeAll(String accountId) {
    return mongo.removeDocuments(COLLECTION, new JsonObject().put("accountId", accountId)).mapEmpty();
  }

  /** Revokes by public id; completes with the account it belonged to. */
  public Future<String> revoke(String tokenId) {
    return mongo.findOneAndDelete(COLLECTION, new JsonObject().put("tokenId", tokenId == null ? "" : tokenId))
        .compose(deleted -> deleted == null
            ? Future.failedFuture(new HeardException.NotFound("unknown-token", "There is no live token with that id."))
            : Future.succeededFuture(deleted.getString("accountId")));
  }
}
