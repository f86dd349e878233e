package org.heard.sms;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.store.Documents;
import org.heard.store.StoreErrors;
import org.heard.store.GuardIndex;

/**
 * The {@code sms_numbers} collection: one {@link NumberState} document per respondent key, written
 * only by a version-checked replace (optimistic concurrency, no transactions needed); and the
 * {@code sms_usage} daily counters of messages and segments.
 */
public final class NumberStore {
  public static final String COLLECTION = "sms_numbers";
  public static final String USAGE = "sms_usage";
  /** Answers of conversations that could not become a response (their survey changed), kept for an administrator. */
  public static final String UNSTORED = "sms_unstored";

  private final MongoClient mongo;

  public NumberStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** Indexes for the sweeps (idle conversations, unstored answers). Run at start-up. */
  /** Each survey's consents to be texted back ("you said, we did"), one sparse index per survey. */
  public Future<Void> createConsentIndexes(List<String> surveyIds) {
    Future<Void> chain = Future.succeededFuture();
    for (String surveyId : surveyIds) {
      chain = chain.compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("consents." + surveyId, 1),
          new IndexOptions().name("consent_" + surveyId).sparse(true)));
    }
    return chain;
  }

  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("conversation.lastMessageAt", 1),
            new IndexOptions().name("conversation_idle").sparse(true))
        .compose(v -> mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("outbox", 1),
            new IndexOptions().name("outbox").sparse(true)))
        .compose(v -> GuardIndex.on(mongo, COLLECTION, "version"));
  }

  public Future<NumberState> load(String respondentKey) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", respondentKey), null)
        .map(document -> document == null ? NumberState.fresh(respondentKey) : fromDocument(document));
  }

  /**
   * Writes {@code next} if the stored document is still at the version {@code next} was read at.
   * False means someone else wrote first: read again and redo.
   */
  public Future<Boolean> save(NumberState next) {
    JsonObject document = toDocument(next).put("version", next.version() + 1);
    if (next.version() == 0) {
      return mongo.insert(COLLECTION, document).map(id -> true)
          .recover(error -> StoreErrors.isDuplicateKey(error) ? Future.succeededFuture(false)
              : Future.failedFuture(error));
    }
    JsonObject expected = new JsonObject().put("_id", next.respondentKey()).put("version", next.version());
    return mongo.replaceDocuments(COLLECTION, expected, document).map(result -> result.getDocMatched() == 1);
  }

  /** Numbers with a conversation idle since before {@code cutoff}. */
  public Future<List<String>> idleSince(Instant cutoff, int limit) {
    return keys(new JsonObject().put("conversation.lastMessageAt",
        new JsonObject().put("$lt", Documents.date(cutoff))), limit);
  }

  /** Numbers with ended conversations whose responses are not stored yet. */
  public Future<List<String>> withOutbox(int limit) {
    return keys(new JsonObject().put("outbox", true), limit);
  }

  private Future<List<String>> keys(JsonObject query, int limit) {
    return mongo.findWithOptions(COLLECTION, query,
            new FindOptions().setFields(new JsonObject().put("_id", 1)).setLimit(limit))
        .map(found -> found.stream().map(d -> d.getString("_id")).toList());
  }

  public Future<Void> keepUnstored(String respondentKey, Conversation conversation, String reason) {
    JsonObject document = conversation(conversation)
        .put("_id", conversation.id())
        .put("respondentKey", respondentKey)
        .put("reason", reason);
    return mongo.save(UNSTORED, document).mapEmpty();
  }

  /** Adds to today's (UTC) message and segment counts. */
  public Future<Void> countUsage(int inbound, List<SmsSegments.Count> outbound) {
    JsonObject inc = new JsonObject().put("inbound", inbound).put("outbound", outbound.size());
    for (SmsSegments.Count count : outbound) {
      String field = count.encoding() == SmsSegments.Encoding.GSM7 ? "segmentsGsm7" : "segmentsUcs2";
      inc.put(field, inc.getInteger(field, 0) + count.segments());
    }
    String day = LocalDate.ofInstant(Instant.now(), ZoneOffset.UTC).toString();
    return mongo.updateCollectionWithOptions(USAGE, new JsonObject().put("_id", day),
        new JsonObject().put("$inc", inc), new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  static JsonObject toDocument(NumberState state) {
    JsonObject document = new JsonObject()
        .put("_id", state.respondentKey())
        .put("language", state.language())
        .put("consents", new JsonObject(new LinkedHashMap<>(state.consents())))
        .put("finished", new JsonArray(state.finished().stream().map(NumberStore::conversation).toList()))
        .put("recent", new JsonArray(state.recent().stream().map(NumberStore::processed).toList()));
    if (state.optedOutAt() != null) {
      document.put("optedOutAt", Documents.date(state.optedOutAt()));
    }
    if (state.contact() != null) {
      document.put("contact", state.contact());
    }
    if (state.conversation() != null) {
      document.put("conversation", conversation(state.conversation()));
    }
    if (!state.finished().isEmpty()) {
      // A plain flag the sweep can find (and index) without array operators.
      document.put("outbox", true);
    }
    return document;
  }

  private static JsonObject processed(NumberState.Processed p) {
    JsonObject document = new JsonObject().put("sid", p.messageSid()).put("at", Documents.date(p.at()));
    return p.reply().isEmpty() ? document : document.put("reply", new JsonArray(p.reply()));
  }

  private static JsonObject conversation(Conversation c) {
    JsonObject document = new JsonObject()
        .put("id", c.id())
        .put("surveyId", c.surveyId())
        .put("language", c.language())
        .put("keyword", c.keyword())
        .put("questionId", c.questionId())
        .put("invalidReplies", c.invalidReplies())
        .put("answers", new JsonObject(new LinkedHashMap<>(c.answers())))
        .put("startedAt", Documents.date(c.startedAt()))
        .put("lastMessageAt", Documents.date(c.lastMessageAt()));
    if (c.endedBy() != null) {
      document.put("endedBy", c.endedBy().key());
    }
    return document;
  }

  static NumberState fromDocument(JsonObject d) {
    Map<String, Boolean> consents = new LinkedHashMap<>();
    d.getJsonObject("consents", new JsonObject()).forEach(e -> consents.put(e.getKey(), (Boolean) e.getValue()));
    return new NumberState(
        d.getString("_id"),
        d.getLong("version", 0L),
        d.getString("language"),
        d.containsKey("optedOutAt") ? Documents.instant(d.getJsonObject("optedOutAt")) : null,
        d.getString("contact"),
        consents,
        d.containsKey("conversation") ? conversation(d.getJsonObject("conversation")) : null,
        d.getJsonArray("finished", new JsonArray()).stream().map(o -> conversation((JsonObject) o)).toList(),
        d.getJsonArray("recent", new JsonArray()).stream().map(o -> {
          JsonObject p = (JsonObject) o;
          return new NumberState.Processed(p.getString("sid"),
              p.getJsonArray("reply", new JsonArray()).stream().map(String::valueOf).toList(), Documents.instant(p.getJsonObject("at")));
        }).toList());
  }

  private static Conversation conversation(JsonObject c) {
    return new Conversation(
        c.getString("id"),
        c.getString("surveyId"),
        c.getString("language"),
        c.getString("keyword"),
        c.getString("questionId"),
        c.getInteger("invalidReplies", 0),
        Documents.plainMap(c.getJsonObject("answers")),
        Documents.instant(c.getJsonObject("startedAt")),
        Documents.instant(c.getJsonObject("lastMessageAt")),
        c.containsKey("endedBy") ? Conversation.EndReason.fromKey(c.getString("endedBy")) : null);
  }

  /** Deletes everything kept about one number (an erasure); completes with whether there was a record. */
  public Future<Boolean> remove(String respondentKey) {
    return mongo.removeDocuments(COLLECTION, new JsonObject().put("_id", respondentKey))
        .map(removed -> removed != null && removed.getRemovedCount() > 0);
  }

  /** The numbers that consented to be texted about this survey and have not opted out: key and language. */
  public Future<List<JsonObject>> consentingTo(String surveyId) {
    JsonObject query = new JsonObject().put("consents." + surveyId, true)
        .put("optedOutAt", new JsonObject().put("$exists", false))
        .put("contact", new JsonObject().put("$exists", true));
    return mongo.findWithOptions(COLLECTION, query,
        new FindOptions().setFields(new JsonObject().put("_id", 1).put("language", 1)));
  }
}
