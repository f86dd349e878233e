package org.heard.health;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.heard.auth.SecretTokens;
import org.heard.error.HeardException;
import org.heard.store.Documents;

/**
 * Tokens that read {@code /metrics} and nothing else ({@code metrics_tokens}), for a Prometheus
 * server on another host: they do not expire, since a scrape configuration cannot sign in again,
 * and an administrator revokes them. Stored under their hash, listed by a public id and a name.
 */
public final class MetricsTokens {
  public static final String COLLECTION = "metrics_tokens";
  private static final int TOKEN_BYTES = 32;

  public record Issued(String token, String id) {
  }

  public record Info(String id, String name, String createdBy, Instant createdAt) {
  }

  private final MongoClient mongo;
  private final Clock clock;

  public MetricsTokens(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /** A unique index on the public id serves revoking (the token's own hash is {@code _id}). */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("tokenId", 1),
        new IndexOptions().name("token_id").unique(true)).mapEmpty();
  }

  public Future<Issued> issue(String name, String createdBy) {
    String token = SecretTokens.random(TOKEN_BYTES);
    String id = SecretTokens.random(9);
    return mongo.insert(COLLECTION, new JsonObject().put("_id", SecretTokens.hash(token)).put("tokenId", id)
            .put("name", name).put("createdBy", createdBy).put("createdAt", Documents.date(Instant.now(clock))))
        .map(x -> new Issued(token, id));
  }

  /** Whether the token is a live metrics token. */
  public Future<Boolean> valid(String token) {
    if (token == null || token.length() > 100) {
      return Future.succeededFuture(false);
    }
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", SecretTokens.hash(token)), new JsonObject())
        .map(found -> found != null);
  }

  public Future<List<Info>> list() {
    return mongo.findWithOptions(COLLECTION, new JsonObject(), new FindOptions().setSort(new JsonObject().put("createdAt", -1)))
        .map(found -> found.stream().map(d -> new Info(d.getString("tokenId"), d.getString("name"), d.getString("createdBy"),
            Documents.instant(d.getJsonObject("createdAt")))).toList());
  }

  /** Revokes by public id; completes with the token's name. */
  public Future<String> revoke(String tokenId) {
    return mongo.findOneAndDelete(COLLECTION, new JsonObject().put("tokenId", tokenId == null ? "" : tokenId))
        .compose(deleted -> deleted == null
            ? Future.failedFuture(new HeardException.NotFound("unknown-token", "There is no metrics token with that id."))
            : Future.succeededFuture(deleted.getString("name")));
  }
}
