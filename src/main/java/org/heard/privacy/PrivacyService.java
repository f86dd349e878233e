package org.heard.privacy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditEvent;
import org.heard.audit.AuditLog;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.paper.EntryStore;
import org.heard.response.ResponseStore;
import org.heard.sms.NumberStore;
import org.heard.sms.SmsService;
import org.heard.spool.Spool;
import org.heard.store.Documents;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;

/**
 * Retention and erasure. After a survey's {@code retention_days}, a response's free text (and any
 * correction history holding it) is deleted, and the consent that kept an SMS number to text back
 * is withdrawn; closed answers stay for the statistics. An administrator can erase everything held
 * about one respondent (by phone number or respondent key) or one response: responses, SMS state
 * and contact details, double-entry keyings and waiting spool records, and the erasure is audited.
 */
public final class PrivacyService {
  private static final int RETENTION_BATCH = 1_000;

  private final MongoClient mongo;
  private final SurveyCatalog catalog;
  private final Pseudonyms pseudonyms;
  private final SmsService sms;
  private final Spool spool;
  private final AuditLog audit;
  private final Clock clock;

  public PrivacyService(MongoClient mongo, SurveyCatalog catalog, Pseudonyms pseudonyms, SmsService sms, Spool spool,
      AuditLog audit, Clock clock) {
    this.mongo = mongo;
    this.catalog = catalog;
    this.pseudonyms = pseudonyms;
    this.sms = sms;
    this.spool = spool;
    this.audit = audit;
    this.clock = clock;
  }

  // ---- retention -------------------------------------------------------------------------------

  /** Applies every survey's retention period once; completes with how many responses were trimmed. */
  public Future<Integer> applyRetention() {
    Future<Integer> chain = Future.succeededFuture(0);
    for (SurveyDefinition survey : catalog.all()) {
      if (survey.retentionDays() != null) {
        chain = chain.compose(total -> retain(survey).map(n -> total + n));
      }
    }
    return chain;
  }

  private Future<Integer> retain(SurveyDefinition survey) {
    Instant cutoff = Instant.now(clock).minus(Duration.ofDays(survey.retentionDays()));
    List<String> textIds = survey.questions().stream().filter(q -> q.type() == QuestionType.TEXT).map(Question::id).toList();
    JsonObject query = new JsonObject().put("surveyId", survey.id())
        .put("receivedAt", new JsonObject().put("$lt", Documents.date(cutoff)))
        .put("retainedAt", new JsonObject().put("$exists", false));
    return mongo.findWithOptions(ResponseStore.COLLECTION, query, new FindOptions().setLimit(RETENTION_BATCH))
        .compose(found -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (JsonObject response : found) {
            chain = chain.compose(n -> trim(survey, textIds, response).map(v -> n + 1));
          }
          return chain;
        });
  }

  private Future<Void> trim(SurveyDefinition survey, List<String> textIds, JsonObject response) {
    JsonObject unset = new JsonObject();
    textIds.forEach(id -> unset.put("answers." + id, ""));
    // The text analysis (redacted text, key phrases, sentence vectors) is derived from the free text.
    unset.put("analysis", "");
    JsonArray corrections = new JsonArray();
    response.getJsonArray("corrections", new JsonArray()).forEach(c -> {
      if (!textIds.contains(((JsonObject) c).getString("questionId"))) {
        corrections.add(c);
      }
    });
    JsonObject update = new JsonObject()
        .put("$set", new JsonObject().put("retainedAt", Documents.date(Instant.now(clock))).put("corrections", corrections));
    if (!unset.isEmpty()) {
      update.put("$unset", unset);
    }
    String respondentKey = response.getJsonObject("provenance", new JsonObject()).getString("respondentKey");
    return mongo.updateCollection(ResponseStore.COLLECTION, new JsonObject().put("_id", response.getString("_id")), update)
        .compose(r -> respondentKey == null ? Future.succeededFuture() : sms.withdrawConsent(respondentKey, survey.id()));
  }

  // ---- erasure ---------------------------------------------------------------------------------

  /** What to erase: exactly one of a phone number, a respondent key or a response id. */
  public record Request(String phoneNumber, String respondentKey, String responseId) {
  }

  /** What was erased. */
  public record Erased(List<String> responseIds, boolean smsRecord) {
  }

  public Future<Erased> erase(StaffUser admin, Request request) {
    String phone = blank(request.phoneNumber());
    String key = blank(request.respondentKey());
    String responseId = blank(request.responseId());
    int given = (phone == null ? 0 : 1) + (key == null ? 0 : 1) + (responseId == null ? 0 : 1);
    if (given != 1) {
      return Future.failedFuture(new HeardException.Invalid("invalid-erasure", "Say what to erase.",
          List.of(new FieldError("phoneNumber", "one_required",
              "Enter exactly one of: a phone number, a respondent key, or a response id"))));
    }
    if (phone != null && !phone.matches("\\+?[0-9 ()-]{6,20}")) {
      return Future.failedFuture(new HeardException.Invalid("invalid-erasure", "Say what to erase.",
          List.of(new FieldError("phoneNumber", "invalid", "Enter the phone number as the person gave it, like +44 7700 900123"))));
    }
    if (key != null && !key.matches("[0-9a-f]{40}")) {
      return Future.failedFuture(new HeardException.Invalid("invalid-erasure", "Say what to erase.",
          List.of(new FieldError("respondentKey", "invalid", "A respondent key is 40 hexadecimal characters"))));
    }
    if (responseId != null && !responseId.matches("[0-9a-f]{32}")) {
      return Future.failedFuture(new HeardException.Invalid("invalid-erasure", "Say what to erase.",
          List.of(new FieldError("responseId", "invalid", "A response id is 32 hexadecimal characters"))));
    }
    String respondentKey = phone != null ? pseudonyms.respondentKey(phone) : key;
    JsonObject query = respondentKey != null
        ? new JsonObject().put("provenance.respondentKey", respondentKey)
        : new JsonObject().put("_id", responseId);
    JsonObject fields = new JsonObject().put("_id", 1).put("surveyId", 1).put("channel", 1).put("receivedAt", 1)
        .put("answers", 1);
    return mongo.findWithOptions(ResponseStore.COLLECTION, query, new FindOptions().setFields(fields))
        .compose(found -> {
          Set<String> ids = new HashSet<>();
          found.forEach(d -> ids.add(d.getString("_id")));
          if (responseId != null) {
            ids.add(responseId);
          }
          List<String> records = new ArrayList<>(ids);
          if (respondentKey != null) {
            records.add(respondentKey);
          }
          // The erasure is audited first: if that cannot be written, nothing is erased.
          return audit.record(new AuditEvent(Instant.now(clock), admin.accountId(), admin.role().key(),
                  AuditAction.ERASURE, records, Map.of("by", phone != null ? "phone-number" : key != null
                      ? "respondent-key" : "response-id", "responses", ids.size())))
              .compose(v -> spool.erase(ids, respondentKey).otherwiseEmpty())
              .compose(v -> ids.isEmpty() ? Future.succeededFuture()
                  : mongo.removeDocuments(ResponseStore.COLLECTION,
                      new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids))))))
              .compose(v -> ids.isEmpty() ? Future.succeededFuture()
                  : mongo.removeDocuments(EntryStore.COLLECTION,
                      new JsonObject().put("responseId", new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids))))))
              .compose(v -> respondentKey == null ? Future.succeededFuture(null)
                  : mongo.removeDocuments(NumberStore.COLLECTION, new JsonObject().put("_id", respondentKey)))
              .compose(removed -> ids.isEmpty() ? Future.succeededFuture(removed)
                  : mongo.removeDocuments(org.heard.analysis.AnalysisQueue.COLLECTION,
                      new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids)))))
                  // ...and from batches of new responses waiting for analysis.
                  .compose(r -> mongo.updateCollectionWithOptions(org.heard.analysis.AnalysisQueue.COLLECTION,
                      new JsonObject().put("items._id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids)))),
                      new JsonObject().put("$pull", new JsonObject().put("items", new JsonObject().put("_id",
                          new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids)))))),
                      new io.vertx.ext.mongo.UpdateOptions().setMulti(true)))
                  .map(removed))
              .map(removed -> new Erased(List.copyOf(ids), removed != null && removed.getRemovedCount() > 0))
              .onSuccess(erased -> found.forEach(doc -> erasedListeners.forEach(l -> l.accept(doc))));
        });
  }

  /**
   * Called with each erased response as it was (id, survey, channel, time, answers): theme models
   * drop it and digest counts take it out.
   */
  public void onErased(java.util.function.Consumer<JsonObject> listener) {
    erasedListeners.add(listener);
  }

  private final List<java.util.function.Consumer<JsonObject>> erasedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
