package org.heard.sms;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.heard.auth.SecretTokens;
import org.heard.privacy.Pseudonyms;
import org.heard.store.Documents;
import org.heard.store.StoreErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.heard.store.GuardIndex;

/**
 * Every text Heard sends on its own (follow-ups, replies to messages kept through an outage) is a
 * document in {@code sms_outbound} before anything is sent, keyed by what it answers, so it is
 * queued once however often that is retried. Any instance takes the next due message with one
 * atomic claim (a lease), so each is sent by one instance at a time; a claim left by a crash is
 * taken over once its lease ends, and Twilio is asked whether the message went before it is ever
 * sent again. Sending is paced by one document in {@code sms_send_rate} that all instances share,
 * so together they keep to the provider's rate.
 */
public final class OutboundQueue {
  private static final Logger LOG = LoggerFactory.getLogger(OutboundQueue.class);
  public static final String COLLECTION = "sms_outbound";
  public static final String RATE = "sms_send_rate";
  static final int MAX_ATTEMPTS = 6;
  private static final String PACE = "pace";
  /** Longer than one request to Twilio (15 s) and its pacing: a live claim is never taken over. */
  static final Duration LEASE = Duration.ofMinutes(2);
  /** How long a message waits while its number's inbound messages wait in the spool (a STOP may be among them). */
  private static final Duration HELD = Duration.ofSeconds(5);
  private static final long MAX_BACKOFF_MS = 5 * 60_000;

  /**
   * A text to send. {@code encryptedTo} is the number it goes to (encrypted), or null to use the
   * contact the respondent's consent kept, read just before sending.
   */
  public record Message(String id, String respondentKey, String encryptedTo, String text, String purpose,
      String about) {
  }

  private final Vertx vertx;
  private final MongoClient mongo;
  private final NumberStore numbers;
  private final Pseudonyms pseudonyms;
  private final SmsSender sender;
  private final Predicate<String> heldBack;
  private final Clock clock;
  private final long firstBackoffMs;
  private final String instance = "i-" + SecretTokens.random(6);
  private final AtomicBoolean delivering = new AtomicBoolean();

  /**
   * @param sender   null when no SMS account is configured: messages wait in the queue
   * @param heldBack whether a respondent key has inbound messages still waiting to be applied
   */
  public OutboundQueue(Vertx vertx, MongoClient mongo, NumberStore numbers, Pseudonyms pseudonyms, SmsSender sender,
      Predicate<String> heldBack, Clock clock, long firstBackoffMs) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.numbers = numbers;
    this.pseudonyms = pseudonyms;
    this.sender = sender;
    this.heldBack = heldBack;
    this.clock = clock;
    this.firstBackoffMs = firstBackoffMs;
  }

  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("state", 1).put("dueAt", 1),
            new IndexOptions().name("due"))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("state", 1).put("leaseUntil", 1),
            new IndexOptions().name("lease")))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("respondentKey", 1),
            new IndexOptions().name("respondent")))
        .compose(v -> GuardIndex.on(mongo, COLLECTION, "owner"));
  }

  /** Whether an SMS account is configured, so queued messages go out. */
  public boolean canSend() {
    return sender != null;
  }

  /** Queues a message; false if one with this id was queued before (it is never sent twice). */
  public Future<Boolean> enqueue(Message message) {
    Instant now = clock.instant();
    JsonObject document = new JsonObject()
        .put("_id", message.id())
        .put("respondentKey", message.respondentKey())
        .put("text", message.text())
        .put("purpose", message.purpose())
        .put("about", message.about())
        .put("state", "queued")
        .put("attempts", 0)
        .put("createdAt", Documents.date(now))
        .put("dueAt", Documents.date(now));
    if (message.encryptedTo() != null) {
      document.put("to", message.encryptedTo());
    }
    return mongo.insert(COLLECTION, document).map(true)
        .recover(error -> StoreErrors.isDuplicateKey(error) ? Future.succeededFuture(false)
            : Future.failedFuture(error))
        .onSuccess(queued -> {
          if (queued) {
            deliver();
          }
        });
  }

  /** Forgets every message to this respondent (an erasure): those still queued are never sent. */
  public Future<Long> removeFor(String respondentKey) {
    return mongo.removeDocuments(COLLECTION, new JsonObject().put("respondentKey", respondentKey))
        .map(removed -> removed == null ? 0L : removed.getRemovedCount());
  }

  /** Sends everything due, one at a time at the shared pace; run every second and after each enqueue. */
  public Future<Integer> deliver() {
    if (sender == null || !delivering.compareAndSet(false, true)) {
      return Future.succeededFuture(0);
    }
    return deliverFrom(0).onComplete(done -> delivering.set(false));
  }

  private Future<Integer> deliverFrom(int delivered) {
    return claim().compose(claimed -> claimed.isEmpty() ? Future.succeededFuture(delivered)
        : deliverOne(claimed.get()).compose(v -> deliverFrom(delivered + 1)));
  }

  /** The next message to send: one whose lease ran out (a crash mid-send) first, else the next due. */
  private Future<Optional<JsonObject>> claim() {
    Instant now = clock.instant();
    JsonObject lease = new JsonObject().put("owner", instance).put("leaseUntil", Documents.date(now.plus(LEASE)));
    JsonObject stale = new JsonObject().put("state", "sending")
        .put("leaseUntil", new JsonObject().put("$lt", Documents.date(now)));
    return claimOne(stale, lease.copy().put("checkFirst", true), new JsonObject().put("leaseUntil", 1))
        .compose(taken -> taken.isPresent() ? Future.succeededFuture(taken)
            : claimOne(new JsonObject().put("state", "queued").put("dueAt", new JsonObject().put("$lte", Documents.date(now))),
                lease.put("state", "sending"), new JsonObject().put("dueAt", 1)));
  }

  private Future<Optional<JsonObject>> claimOne(JsonObject query, JsonObject set, JsonObject sort) {
    return mongo.findOneAndUpdateWithOptions(COLLECTION, query, new JsonObject().put("$set", set),
            new FindOptions().setSort(sort), new UpdateOptions().setReturningNewDocument(true))
        .map(Optional::ofNullable);
  }

  private Future<Void> deliverOne(JsonObject message) {
    String key = message.getString("respondentKey");
    if (heldBack.test(key)) {
      return requeue(message, HELD.toMillis(), false, message.getBoolean("checkFirst", false));
    }
    return numbers.load(key).compose(state -> {
      if (state.optedOut()) {
        return finish(message, "not-sent", "opted-out", null);
      }
      String encrypted = message.getString("to", state.contact());
      if (encrypted == null) {
        return finish(message, "not-sent", "no-contact", null);
      }
      String to = pseudonyms.decryptContact(encrypted);
      String text = message.getString("text");
      Future<Optional<String>> already = message.getBoolean("checkFirst", false)
          ? sender.findSent(to, text, Documents.instant(message.getJsonObject("createdAt")))
          : Future.succeededFuture(Optional.empty());
      return already.transform(found -> {
        if (found.failed()) {
          LOG.warn("could not ask the SMS provider whether message {} went; asking again later", message.getString("_id"));
          return requeue(message, backoff(message, 0), true, true);
        }
        if (found.result().isPresent()) {
          return finish(message, "sent", null, found.result().get());
        }
        return slot().compose(v -> sender.post(to, text)).compose(result -> record(message, text, result));
      });
    });
  }

  private Future<Void> record(JsonObject message, String text, SmsSender.Result result) {
    if (result instanceof SmsSender.Accepted accepted) {
      numbers.countUsage(0, List.of(SmsSegments.count(text)))
          .onFailure(e -> LOG.warn("could not count SMS usage: {}", e.getClass().getSimpleName()));
      return finish(message, "sent", null, accepted.sid());
    }
    if (result instanceof SmsSender.Refused refused) {
      return finish(message, "not-sent", refused.reason(), null);
    }
    SmsSender.Retry retry = (SmsSender.Retry) result;
    return message.getInteger("attempts", 0) + 1 >= MAX_ATTEMPTS
        ? finish(message, "not-sent", (retry.maybeSent() ? "unconfirmed: " : "") + retry.reason(), null)
        : requeue(message, backoff(message, retry.afterMillis()), true, retry.maybeSent());
  }

  private long backoff(JsonObject message, long providerAsked) {
    long exponential = firstBackoffMs << Math.min(20, message.getInteger("attempts", 0));
    return Math.min(MAX_BACKOFF_MS, Math.max(providerAsked, exponential));
  }

  private Future<Void> requeue(JsonObject message, long afterMillis, boolean countAttempt, boolean checkFirst) {
    JsonObject set = new JsonObject().put("state", "queued").put("checkFirst", checkFirst)
        .put("dueAt", Documents.date(clock.instant().plusMillis(afterMillis)))
        .put("attempts", message.getInteger("attempts", 0) + (countAttempt ? 1 : 0));
    return ownedUpdate(message, new JsonObject().put("$set", set).put("$unset", new JsonObject().put("owner", "")
        .put("leaseUntil", "")));
  }

  /** Settles a message; the encrypted number is dropped once nothing more will be sent. */
  private Future<Void> finish(JsonObject message, String state, String reason, String providerSid) {
    JsonObject set = new JsonObject().put("state", state).put("settledAt", Documents.date(clock.instant()));
    if (reason != null) {
      set.put("reason", reason);
    }
    if (providerSid != null) {
      set.put("providerSid", providerSid);
    }
    return ownedUpdate(message, new JsonObject().put("$set", set).put("$unset", new JsonObject().put("to", "")
        .put("owner", "").put("leaseUntil", "").put("checkFirst", "")));
  }

  /** Changes a claimed message only while this instance still holds its claim. */
  private Future<Void> ownedUpdate(JsonObject message, JsonObject update) {
    JsonObject mine = new JsonObject().put("_id", message.getString("_id")).put("owner", instance);
    return mongo.updateCollection(COLLECTION, mine, update).mapEmpty();
  }

  /**
   * Waits for this send's slot: slots are {@code 1 / perSecond} apart, taken in turn from one
   * document every instance shares (a version-checked update, retried when another instance took
   * the slot first), so together the instances keep an even pace.
   */
  private Future<Void> slot() {
    JsonObject pace = new JsonObject().put("_id", PACE);
    return mongo.findOne(RATE, pace, null).compose(found -> {
      long now = clock.millis();
      long next = found == null ? 0 : found.getLong("next", 0L);
      long slot = Math.max(now, next);
      JsonObject taken = new JsonObject().put("next", slot + 1000L / sender.perSecond());
      Future<Boolean> claimed = found == null
          ? mongo.insert(RATE, pace.copy().mergeIn(taken)).map(true)
              .recover(e -> StoreErrors.isDuplicateKey(e) ? Future.succeededFuture(false) : Future.failedFuture(e))
          : mongo.updateCollection(RATE, pace.copy().put("next", next), new JsonObject().put("$set", taken))
              .map(result -> result.getDocMatched() == 1);
      return claimed.compose(ok -> ok ? after(slot - now) : slot());
    });
  }

  private Future<Void> after(long millis) {
    if (millis <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(millis, id -> promise.complete());
    return promise.future();
  }
}
