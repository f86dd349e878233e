package org.heard.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.store.Documents;
import org.heard.store.StoreErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code staff} collection: one document per account, keyed by its lower-cased email so the
 * primary key itself keeps emails unique. Passwords are Argon2id hashes, computed on worker threads.
 */
public final class StaffAccounts {
  public static final String COLLECTION = "staff";
  /** Failed logins in a row that lock an account, and for how long. */
  public static final int MAX_FAILED_LOGINS = 5;
  public static final Duration LOCKOUT = Duration.ofMinutes(15);
  public static final int MIN_PASSWORD_LENGTH = 12;
  private static final Logger LOG = LoggerFactory.getLogger(StaffAccounts.class);

  private final PasswordWork passwords;
  private final MongoClient mongo;
  private final PasswordHasher hasher;
  private final Clock clock;

  public StaffAccounts(PasswordWork passwords, MongoClient mongo, PasswordHasher hasher, Clock clock) {
    this.passwords = passwords;
    this.mongo = mongo;
    this.hasher = hasher;
    this.clock = clock;
  }

  /** The accounts of a role (the first administrator's check). */
  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("role", 1), new IndexOptions().name("role"));
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
            : hash(password.get())
                .compose(hash -> mongo.insert(COLLECTION, document(email.get(), Role.ADMIN, hash)).map(id -> true))
                .recover(error -> {
                  if (!StoreErrors.isDuplicateKey(error)) {
                    return Future.failedFuture(error);
                  }
                  // The email belongs to an existing non-admin account: never promote it silently.
                  LOG.warn("{} names an existing account that is not an administrator; no administrator was created",
                      "HEARD_ADMIN_EMAIL");
                  return Future.succeededFuture(false);
                }));
  }

  /** Adds an account; an email already in use is a conflict. */
  public Future<StaffAccount> create(String email, Role role, String password) {
    List<FieldError> problems = new ArrayList<>();
    if (email == null || !email.trim().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+") || email.length() > 254) {
      problems.add(new FieldError("email", "invalid_email", "Enter an email address, like name@example.org"));
    }
    if (role == null) {
      problems.add(new FieldError("role", "not_an_option", "Choose a role"));
    }
    passwordProblem(password).ifPresent(problems::add);
    if (!problems.isEmpty()) {
      return Future.failedFuture(new HeardException.Invalid("invalid-account", "The account details need correcting.",
          problems));
    }
    return hash(password)
        .compose(hash -> {
          JsonObject document = document(email, role, hash);
          return mongo.insert(COLLECTION, document).map(id -> fromDocument(document));
        })
        .recover(error -> Future.failedFuture(StoreErrors.isDuplicateKey(error)
            ? new HeardException.Invalid("invalid-account", "The account details need correcting.",
                List.of(new FieldError("email", "already_exists", "There is already an account for this email")))
            : error));
  }

  public static Optional<FieldError> passwordProblem(String password) {
    if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
      return Optional.of(new FieldError("password", "too_short",
          "Enter a password of at least " + MIN_PASSWORD_LENGTH + " characters"));
    }
    if (password.length() > 1024) {
      return Optional.of(new FieldError("password", "too_long", "Enter a password of at most 1024 characters"));
    }
    return Optional.empty();
  }

  public Future<Optional<StaffAccount>> find(String email) {
    if (email == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", normalizeEmail(email)), null)
        .map(document -> Optional.ofNullable(document).map(StaffAccounts::fromDocument));
  }

  public Future<StaffAccount> get(String id) {
    return find(id).compose(found -> found.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
        new HeardException.NotFound("unknown-account", "There is no staff account with that email."))));
  }

  public Future<List<StaffAccount>> list() {
    return mongo.findWithOptions(COLLECTION, new JsonObject(), new FindOptions().setSort(new JsonObject().put("_id", 1)))
        .map(found -> found.stream().map(StaffAccounts::fromDocument).toList());
  }

  public Future<Void> setRole(String id, Role role) {
    return set(id, new JsonObject().put("role", role.key()));
  }

  public Future<Void> setDisabled(String id, boolean disabled) {
    return set(id, new JsonObject().put("disabled", disabled));
  }

  /** Sets a new password and lifts any lock. */
  public Future<Void> resetPassword(String id, String password) {
    Optional<FieldError> problem = passwordProblem(password);
    if (problem.isPresent()) {
      return Future.failedFuture(new HeardException.Invalid("invalid-password", "The new password needs correcting.",
          List.of(problem.get())));
    }
    return hash(password).compose(hash -> set(id, new JsonObject().put("passwordHash", hash)
        .put("failedLogins", 0).putNull("lockedUntil")));
  }

  /** Whether the password is this account's; slow on purpose, on the password worker. */
  public Future<Boolean> passwordMatches(StaffAccount account, String password) {
    return passwords.run(() -> hasher.matches(password, account.passwordHash()));
  }

  /** Spends the time of a real check, so a wrong email takes as long to refuse as a wrong password. */
  public Future<Boolean> checkAgainstNobody(String password) {
    return passwords.runUnlessBusy(() -> hasher.matches(password, DUMMY_HASH) && false, false);
  }

  /**
   * Counts a sign-in attempt against the account before its password is checked, so parallel
   * guesses can never exceed the lockout: completes with the attempt's number (1 to {@link
   * #MAX_FAILED_LOGINS}), or 0 when the account is locked or its attempts are used up.
   */
  public Future<Integer> reserveAttempt(String id) {
    JsonObject now = Documents.date(Instant.now(clock));
    JsonObject open = new JsonObject().put("_id", normalizeEmail(id))
        .put("failedLogins", new JsonObject().put("$lt", MAX_FAILED_LOGINS))
        .put("$or", new JsonArray()
            .add(new JsonObject().putNull("lockedUntil"))
            .add(new JsonObject().put("lockedUntil", new JsonObject().put("$lt", now))));
    UpdateOptions returnNew = new UpdateOptions().setReturningNewDocument(true);
    return mongo.findOneAndUpdateWithOptions(COLLECTION, open,
            new JsonObject().put("$inc", new JsonObject().put("failedLogins", 1)).put("$set",
                new JsonObject().put("attemptAt", now)),
            new FindOptions(), returnNew)
        .compose(updated -> updated != null ? Future.succeededFuture(updated.getInteger("failedLogins", 0))
            // Attempts counted long ago and never settled (a crash mid-check) do not lock anyone out for good.
            : mongo.findOneAndUpdateWithOptions(COLLECTION, new JsonObject().put("_id", normalizeEmail(id))
                    .putNull("lockedUntil")
                    .put("attemptAt", new JsonObject().put("$lt", Documents.date(Instant.now(clock).minus(LOCKOUT)))),
                new JsonObject().put("$set", new JsonObject().put("failedLogins", 1).put("attemptAt", now)),
                new FindOptions(), returnNew)
                .map(reset -> reset == null ? 0 : 1));
  }

  /** An attempt counted but never checked (the password worker was full): it does not count. */
  public Future<Void> releaseAttempt(String id) {
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", normalizeEmail(id))
            .put("failedLogins", new JsonObject().put("$gt", 0)),
        new JsonObject().put("$inc", new JsonObject().put("failedLogins", -1))).mapEmpty();
  }

  /** The last allowed attempt failed: the account is locked for {@link #LOCKOUT}. */
  public Future<Void> lock(String id) {
    return set(id, new JsonObject().put("failedLogins", 0)
        .put("lockedUntil", Documents.date(Instant.now(clock).plus(LOCKOUT))));
  }

  public Future<Void> recordSuccess(String id) {
    return set(id, new JsonObject().put("failedLogins", 0).putNull("lockedUntil"));
  }

  private Future<Void> set(String id, JsonObject fields) {
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", normalizeEmail(id)),
            new JsonObject().put("$set", fields))
        .compose(result -> result.getDocMatched() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new HeardException.NotFound("unknown-account",
                "There is no staff account with that email.")));
  }

  private Future<String> hash(String password) {
    return passwords.run(() -> hasher.hash(password));
  }

  private JsonObject document(String email, Role role, String passwordHash) {
    return new JsonObject()
        .put("_id", normalizeEmail(email))
        .put("email", email.trim())
        .put("role", role.key())
        .put("passwordHash", passwordHash)
        .put("disabled", false)
        .put("failedLogins", 0)
        .put("createdAt", Documents.date(Instant.now(clock)));
  }

  private static StaffAccount fromDocument(JsonObject d) {
    JsonObject locked = d.getJsonObject("lockedUntil");
    return new StaffAccount(d.getString("_id"), d.getString("email"), Role.fromKey(d.getString("role")),
        d.getString("passwordHash"), d.getBoolean("disabled", false), d.getInteger("failedLogins", 0),
        locked == null ? null : Documents.instant(locked), Documents.instant(d.getJsonObject("createdAt")));
  }

  public static String normalizeEmail(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  /** A hash of a random password nobody knows, for {@link #checkAgainstNobody}. */
  private static final String DUMMY_HASH = new PasswordHasher().hash(UUID.randomUUID().toString());
}
