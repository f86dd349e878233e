package org.heard.sms;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.heard.error.HeardException;
import org.heard.privacy.Pseudonyms;
import org.heard.response.Channel;
import org.heard.response.ResponseService;
import org.heard.response.Submission;
import org.heard.spool.Backlog;
import org.heard.store.StoreErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs SMS conversations: applies each inbound message to its number's state in one
 * version-checked write (retried if another instance wrote first), then stores the responses of
 * conversations that ended. Ended conversations wait in the number's outbox until their response
 * is stored, so a database hiccup delays a response but never drops it; a periodic sweep retries
 * them and ends idle conversations.
 */
public final class SmsService {
  private static final Logger LOG = LoggerFactory.getLogger(SmsService.class);
  /** Conflicting writes to one number happen only when its messages race; a few retries settle it. */
  private static final int MAX_ATTEMPTS = 10;
  private static final int SWEEP_BATCH = 500;

  private final Vertx vertx;
  private final NumberStore numbers;
  private final SmsDialogue dialogue;
  private final ResponseService responses;
  private final Pseudonyms pseudonyms;
  private final Clock clock;
  private final Backlog backlog;
  private final OutboundQueue outbound;
  /** Inbound messages kept in the spool while the database is away (the number encrypted). */
  public static final String SPOOL_KIND = "sms-inbound";
  /** The outbound queue's purpose for replies sent after an outage. */
  public static final String REPLY = "reply";

  public SmsService(Vertx vertx, NumberStore numbers, SmsDialogue dialogue, ResponseService responses,
      Pseudonyms pseudonyms, Backlog backlog, OutboundQueue outbound, Clock clock) {
    this.vertx = vertx;
    this.backlog = backlog;
    this.outbound = outbound;
    backlog.register(SPOOL_KIND, this::receiveQueued);
    this.numbers = numbers;
    this.dialogue = dialogue;
    this.responses = responses;
    this.pseudonyms = pseudonyms;
    this.clock = clock;
  }

  /**
   * Handles one inbound message and returns the messages to reply with. The same provider message
   * id gets the same reply while it is the number's latest message (nothing once a later one
   * came), and changes nothing the second time.
   */
  public Future<List<String>> receive(String from, String body, String messageSid) {
    if (backlog.queueing()) {
      return queue(from, body, messageSid);
    }
    return receive(pseudonyms.respondentKey(from), from, body, messageSid, 1).recover(error -> {
      if (!StoreErrors.isUnreachable(error)) {
        return Future.failedFuture(error);
      }
      backlog.startQueueing();
      return queue(from, body, messageSid);
    });
  }

  /**
   * The database is away: keep the message (durably, the number encrypted) and handle it in order
   * when the database is back. STOP, HELP and START are answered at once, from the spool: an opt-out
   * is confirmed when it is on disk, and from then on the outbound queue holds everything for this
   * number until the STOP is applied. Other messages are answered after the outage, if still the latest.
   */
  private Future<List<String>> queue(String from, String body, String messageSid) {
    JsonObject waiting = backlog.spool().waitingWithId(messageSid);
    if (waiting != null) {
      // A replay of a message already kept: the same answer, nothing kept twice.
      return Future.succeededFuture(strings(waiting.getJsonArray("repliedAtOnce")));
    }
    List<String> atOnce = dialogue.replyWithoutState(body).orElse(null);
    JsonObject record = new JsonObject()
        .put("id", messageSid)
        .put("respondentKey", pseudonyms.respondentKey(from))
        .put("from", pseudonyms.encryptContact(from))
        .put("body", body)
        .put("messageSid", messageSid);
    if (atOnce != null) {
      record.put("repliedAtOnce", new JsonArray(atOnce));
    }
    return backlog.spool().append(SPOOL_KIND, record).map(seq -> atOnce == null ? List.<String>of() : atOnce)
        .recover(error -> Future.failedFuture(new HeardException.Unavailable("store-unavailable",
            "Messages cannot be taken right now (the database and the local spool are both unavailable).", error)));
  }

  /**
   * A message kept through an outage is applied now. Its reply is queued to be sent only if it was
   * not answered at once and no later message from the number is still waiting (that one's reply
   * supersedes it); the queue's id is the message's, so a replay after a crash never sends it twice.
   */
  private Future<Void> receiveQueued(JsonObject record) {
    String key = record.getString("respondentKey");
    String from = pseudonyms.decryptContact(record.getString("from"));
    String messageSid = record.getString("messageSid");
    return receive(key, from, record.getString("body"), messageSid, 1).compose(reply -> {
      JsonObject latest = backlog.spool().waitingFrom(key);
      // Only a later text supersedes this one's reply (a consent from a web form, say, does not).
      boolean superseded = latest != null && latest.containsKey("messageSid")
          && !messageSid.equals(latest.getString("messageSid"));
      if (reply.isEmpty() || record.containsKey("repliedAtOnce") || superseded) {
        return Future.succeededFuture();
      }
      if (!outbound.canSend()) {
        LOG.warn("a queued SMS was answered but no sender is configured (TWILIO_ACCOUNT_SID): the reply was not sent");
        return Future.succeededFuture();
      }
      Future<Void> queued = Future.succeededFuture();
      for (int part = 0; part < reply.size(); part++) {
        OutboundQueue.Message message = new OutboundQueue.Message("reply|" + messageSid + "|" + part, key,
            record.getString("from"), reply.get(part), REPLY, messageSid);
        queued = queued.compose(v -> outbound.enqueue(message).mapEmpty());
      }
      return queued;
    });
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }

  private Future<List<String>> receive(String key, String from, String body, String messageSid, int attempt) {
    return numbers.load(key).compose(state -> {
      if (state.processed(messageSid)) {
        return Future.succeededFuture(state.repeatReply(messageSid));
      }
      Instant now = clock.instant();
      SmsDialogue.Outcome outcome = dialogue.handle(state, from, body, now);
      NumberState next = outcome.state().remembering(messageSid, outcome.reply(), now);
      return numbers.save(next).compose(saved -> {
        if (!saved) {
          return retry(attempt, () -> receive(key, from, body, messageSid, attempt + 1));
        }
        numbers.countUsage(1, outcome.reply().stream().map(SmsSegments::count).toList())
            .onFailure(e -> LOG.warn("could not count SMS usage: {}", e.toString()));
        return storeFinished(key)
            .recover(error -> {
              LOG.warn("an ended SMS conversation waits in its outbox for the next sweep: {}", error.toString());
              return Future.succeededFuture();
            })
            .map(v -> outcome.reply());
      });
    });
  }

  /**
   * Records a consent to be texted about one survey, given on the web or paper with the number
   * (encrypted): the number joins those a "you said, we did" text reaches, unless it sent STOP.
   * Idempotent: recording the same consent again changes nothing that matters.
   */
  public Future<Void> recordConsent(String respondentKey, String surveyId, String encryptedContact, String language) {
    return recordConsent(respondentKey, surveyId, encryptedContact, language, 1);
  }

  private Future<Void> recordConsent(String key, String surveyId, String contact, String language, int attempt) {
    return numbers.load(key).compose(state -> {
      NumberState consented = state.withConsent(surveyId, true, contact);
      // A conversation under way speaks its own language; otherwise texts follow the form's.
      NumberState next = state.conversation() == null ? consented.withLanguage(language) : consented;
      return numbers.save(next).compose(saved -> saved ? Future.<Void>succeededFuture()
          : retry(attempt, () -> recordConsent(key, surveyId, contact, language, attempt + 1)));
    });
  }

  /** Withdraws a number's consent for one survey (retention): its contact goes when no consent is left. */
  public Future<Void> withdrawConsent(String respondentKey, String surveyId) {
    return withdrawConsent(respondentKey, surveyId, 1);
  }

  private Future<Void> withdrawConsent(String key, String surveyId, int attempt) {
    return numbers.load(key).compose(state -> {
      if (state.version() == 0 || !state.consents().containsKey(surveyId)) {
        return Future.succeededFuture();
      }
      return numbers.save(state.withConsent(surveyId, false, null)).compose(saved -> saved
          ? Future.<Void>succeededFuture() : retry(attempt, () -> withdrawConsent(key, surveyId, attempt + 1)));
    });
  }

  /** Ends idle conversations and stores every response still waiting in an outbox. */
  public Future<Void> sweep() {
    Instant now = clock.instant();
    return numbers.idleSince(now.minus(dialogue.idleTimeout()), SWEEP_BATCH)
        .compose(keys -> forEach(keys, key -> expire(key, 1)))
        .compose(v -> numbers.withOutbox(SWEEP_BATCH))
        .compose(keys -> forEach(keys, this::storeFinished));
  }

  private Future<Void> expire(String key, int attempt) {
    return numbers.load(key).compose(state -> {
      NumberState next = dialogue.expireIfIdle(state, clock.instant());
      if (next == state) {
        return Future.succeededFuture();
      }
      return numbers.save(next).compose(saved -> saved ? storeFinished(key)
          : retry(attempt, () -> expire(key, attempt + 1)));
    });
  }

  /** Stores the response of each ended conversation of this number, then takes it out of the outbox. */
  private Future<Void> storeFinished(String key) {
    return numbers.load(key).compose(state -> forEach(state.finished(),
        conversation -> store(key, conversation).compose(v -> removeFinished(key, conversation.id(), 1))));
  }

  private Future<Void> store(String key, Conversation conversation) {
    if (conversation.answers().isEmpty()) {
      return Future.succeededFuture();  // nothing was answered: there is no response to keep
    }
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("respondentKey", key);
    provenance.put("keyword", conversation.keyword());
    provenance.put("startedAt", conversation.startedAt().toString());
    provenance.put("endedBy", conversation.endedBy().key());
    Submission submission = new Submission(conversation.surveyId(), Channel.SMS, conversation.id(),
        conversation.language(), conversation.answers(), provenance,
        conversation.endedBy() == Conversation.EndReason.COMPLETED, conversation.startedAt());
    return responses.submit(submission).<Void>mapEmpty().recover(error -> {
      if (error instanceof HeardException.Unavailable || !(error instanceof HeardException)) {
        return Future.failedFuture(error);  // stays in the outbox; the sweep tries again
      }
      // The definition changed under the conversation: keep the answers aside for an administrator.
      LOG.warn("SMS conversation {} for survey {} could not be stored as a response ({}); kept in {}",
          conversation.id(), conversation.surveyId(), error.getMessage(), NumberStore.UNSTORED);
      return numbers.keepUnstored(key, conversation, error.getMessage());
    });
  }

  private Future<Void> removeFinished(String key, String conversationId, int attempt) {
    return numbers.load(key).compose(state -> {
      if (state.finished().stream().noneMatch(c -> c.id().equals(conversationId))) {
        return Future.succeededFuture();
      }
      return numbers.save(state.withoutFinished(conversationId)).compose(saved -> saved
          ? Future.<Void>succeededFuture()
          : retry(attempt, () -> removeFinished(key, conversationId, attempt + 1)));
    });
  }

  /** Tries again after a short random pause, so racing writers fall out of step. */
  private <T> Future<T> retry(int attempt, Supplier<Future<T>> again) {
    if (attempt >= MAX_ATTEMPTS) {
      return Future.failedFuture(new HeardException.Unavailable("sms-busy",
          "Too many messages from this number at once; please send that again.", null));
    }
    Promise<T> promise = Promise.promise();
    vertx.setTimer(1 + ThreadLocalRandom.current().nextInt(5 * attempt),
        id -> again.get().onComplete(promise));
    return promise.future();
  }

  private static <T> Future<Void> forEach(List<T> items, Function<T, Future<Void>> action) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> action.apply(item));
    }
    return chain;
  }

  public Duration idleTimeout() {
    return dialogue.idleTimeout();
  }
}
