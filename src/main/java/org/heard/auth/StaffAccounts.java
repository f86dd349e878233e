package org.heard.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.heard.store.Documents;
import org.heard.store.StoreErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code staff} collection: one document per account, keyed by its lower-cased email so the
 * primary key itself keeps emails unique.
 */
public final class StaffAccounts {
  public static final String COLLECTION = "staff";
  private static final Logger LOG = LoggerFactory.getLogger(StaffAccounts.class);

  private final Vertx vertx;
  private final MongoClient mongo;
  private final PasswordHasher hasher;
  private final Clock clock;

  public StaffAccounts(Vertx vertx, MongoClient mongo, PasswordHasher hasher, Clock clock) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.hasher = hasher;
    this.clock = clock;
  }

  /**
   * Creates the first administrator from configuration when no enabled administrator exists.
   * Completes with whether an account was created.
   */
  public Future<Boolean> ensureFirstAdmin(Optional<String> email, Optional<String> password) {
    if (email.isEmpty() || password.isEmpty()) {
      return Future.succeededFuture(false);
    }
    JsonObject anyAdmin = new JsonObject().put("role", Role.ADMIN.key()).put("disabled", false);
    return mongo.findOne(COLLECTION, anyAdmin, new JsonObject().put("_id", 1))
        .compose(existing -> existing != null
            ? Future.succeededFuture(false)
            : vertx.executeBlocking(() -> hasher.hash(password.get()))
                .compose(hash -> insertAccount(email.get(), Role.ADMIN, hash)));
  }

  private Future<Boolean> insertAccount(String email, Role role, String passwordHash) {
    JsonObject account = new JsonObject()
        .put("_id", normalizeEmail(email))
        .put("email", email.trim())
        .put("role", role.key())
        .put("passwordHash", passwordHash)
        .put("disabled", false)
        .put("createdAt", Documents.date(Instant.now(clock)));
    return mongo.insert(COLLECTION, account)
        .map(id -> true)
        .recover(error -> {
          if (!StoreErrors.isDuplicateKey(error)) {
            return Future.failedFuture(error);
          }
          // The email belongs to an existing non-admin account: never promote it silently.
          LOG.warn("{} names an existing account that is not an administrator; no administrator was created",
              "HEARD_ADMIN_EMAIL");
          return Future.succeededFuture(false);
        });
  }

  public static String normalizeEmail(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }
}
