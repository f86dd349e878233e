package org.heard.erasure;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heard.analysis.AnalysisQueue;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.paper.EntryStore;
import org.heard.privacy.Pseudonyms;
import org.heard.response.ResponseEvents;
import org.heard.response.ResponseStore;
import org.heard.sms.NumberStore;
import org.heard.sms.OutboundQueue;
import org.heard.sms.SmsService;
import org.heard.spool.Spool;
import org.heard.store.Database;
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
public final class ErasureService {
  private static final int RETENTION_BATCH = 1_000;

  private final ResponseStore responses;
  private final ResponseEvents events;
  private final EntryStore entries;
  private final NumberStore numbers;
  private final OutboundQueue outbound;
  private final AnalysisQueue analysis;
  private final SurveyCatalog catalog;
  private final Pseudonyms pseudonyms;
  private final SmsService sms;
  private final Spool spool;
  private final Database database;
  private final Vertx vertx;
  private final AuditLog audit;
  private final ErasureSignals signals;
  private final Clock clock;

  /** The stores that hold something of a respondent, each erased through its own owner. */
  public record Stores(ResponseStore responses, EntryStore entries, NumberStore numbers, OutboundQueue outbound,
                       AnalysisQueue analysis, Spool spool, Database database) {
  }

  public ErasureService(Vertx vertx, Stores stores, ResponseEvents events, SurveyCatalog catalog, Pseudonyms pseudonyms,
      SmsService sms, AuditLog audit, ErasureSignals signals, Clock clock) {
    this.responses = stores.responses();
    this.entries = stores.entries();
    this.numbers = stores.numbers();
    this.outbound = stores.outbound();
    this.analysis = stores.analysis();
    this.spool = stores.spool();
    this.database = stores.database();
    this.vertx = vertx;
    this.events = events;
    this.catalog = catalog;
    this.pseudonyms = pseudonyms;
    this.sms = sms;
    this.audit = audit;
    this.signals = signals;
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
    // The trimmed text must not stay readable in the embedded store's old pages either.
    return chain.compose(n -> n == 0 ? Future.succeededFuture(0) : database.dropDeadPages().map(n));
  }

  private Future<Integer> retain(SurveyDefinition survey) {
    Instant cutoff = Instant.now(clock).minus(Duration.ofDays(survey.retentionDays()));
    List<String> textIds = survey.questions().stream().filter(q -> q.type() == QuestionType.TEXT).map(Question::id).toList();
    return responses.findPastRetention(survey.id(), cutoff, RETENTION_BATCH)
        .compose(found -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (JsonObject response : found) {
            chain = chain.compose(n -> trim(survey, textIds, response).map(v -> n + 1));
          }
          return chain;
        });
  }

  private Future<Void> trim(SurveyDefinition survey, List<String> textIds, JsonObject response) {
    JsonArray corrections = new JsonArray();
    response.getJsonArray("corrections", new JsonArray()).forEach(c -> {
      if (!textIds.contains(((JsonObject) c).getString("questionId"))) {
        corrections.add(c);
      }
    });
    String respondentKey = response.getJsonObject("provenance", new JsonObject()).getString("respondentKey");
    return responses.trimText(response.getString("_id"), textIds, corrections, Instant.now(clock))
        .compose(r -> entries.trimText(response.getString("_id"), textIds))
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
    if (phone != null && pseudonyms.phoneNumber(phone).isEmpty()) {
      return Future.failedFuture(new HeardException.Invalid("invalid-erasure", "Say what to erase.",
          List.of(new FieldError("phoneNumber", "invalid", "Enter a phone number in any usual form, like 07700 900123"
              + " or +44 7700 900123 (this one is not a phone number of a possible length)"))));
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
    // What the digest counts take out again; the number tells whether a running recount counted it.
    JsonObject fields = new JsonObject().put("_id", 1).put("surveyId", 1).put("channel", 1).put("receivedAt", 1)
        .put("answers", 1).put("seq", 1);
    return responses.findOfRespondentOrId(respondentKey, responseId, fields)
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
          return audit.record(admin, AuditAction.ERASURE, records, Map.of("by", phone != null ? "phone-number" : key != null
                      ? "respondent-key" : "response-id", "responses", ids.size()))
              .compose(v -> spool.erase(ids, respondentKey).otherwiseEmpty())
              .compose(v -> responses.removeAll(ids))
              .compose(v -> entries.removeFor(ids, respondentKey))
              .compose(v -> respondentKey == null ? Future.succeededFuture() : outbound.removeFor(respondentKey))
              .compose(v -> respondentKey == null ? Future.succeededFuture(false) : numbers.remove(respondentKey))
              .compose(smsRecord -> analysis.forget(ids).map(smsRecord))
              .compose(smsRecord -> scrubFiles(ids, respondentKey).map(smsRecord))
              .compose(smsRecord -> database.dropDeadPages().map(smsRecord))
              .compose(smsRecord -> signals.announce(ids, respondentKey).map(smsRecord))
              .map(smsRecord -> new Erased(List.copyOf(ids), smsRecord))
              .onSuccess(erased -> {
                found.forEach(events::erased);
                ids.forEach(events::forgotten);
              });
        });
  }

  /**
   * An erasure made through another instance: this instance's spool (waiting records, then its
   * files), its analysis batch not yet written, and its memory of the responses.
   */
  public Future<Void> applyElsewhere(ErasureSignals.Signal signal) {
    return spool.erase(signal.responseIds(), signal.respondentKey()).otherwiseEmpty()
        .compose(v -> scrubFiles(signal.responseIds(), signal.respondentKey()))
        .compose(v -> analysis.forget(signal.responseIds()))  // its batch not yet written, too
        .onSuccess(v -> signal.responseIds().forEach(events::forgotten));
  }

  /** Reads the erasures other instances made and applies them here. */
  public Future<Void> applyErasuresElsewhere() {
    return signals.poll(this::applyElsewhere);
  }

  /**
   * The spool's files too: its segments and rejected log are rewritten without the erased records,
   * so the erased text cannot be read from them once the erasure is answered.
   */
  private Future<Void> scrubFiles(Set<String> ids, String respondentKey) {
    return vertx.executeBlocking(() -> {
      spool.scrub(ids, respondentKey);
      return null;
    }, false);
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
