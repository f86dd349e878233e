package org.heard.records;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.StaffUser;
import org.heard.error.ClientText;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.response.AnswerValidator;
import org.heard.response.Channel;
import org.heard.response.ResponseEvents;
import org.heard.response.ResponseStore;
import org.heard.store.Documents;
import org.heard.survey.Question;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;

/**
 * Staff access to individual responses: every read is audited before the record is returned, and a
 * correction never overwrites silently. It keeps the previous value, who changed it, when and why in
 * the record's {@code corrections}, and applies only if nobody changed the record meanwhile.
 */
public final class ResponseRecords {
  private final ResponseStore store;
  private final ResponseEvents events;
  private final SurveyCatalog catalog;
  private final AnswerValidator validator;
  private final AuditLog audit;
  private final Clock clock;

  public ResponseRecords(ResponseStore store, ResponseEvents events, SurveyCatalog catalog, AuditLog audit, Clock clock) {
    this.store = store;
    this.events = events;
    this.catalog = catalog;
    this.validator = new AnswerValidator(catalog.partnership());
    this.audit = audit;
    this.clock = clock;
  }

  /** The stored record (as JSON), after writing the audit entry for this read. */
  public Future<JsonObject> view(StaffUser user, String responseId) {
    return find(responseId).compose(document -> audit.record(user, AuditAction.RESPONSE_VIEWED,
            List.of(document.getString("_id")), Map.of("survey", document.getString("surveyId")))
        .map(v -> publicView(document)));
  }

  /** The survey a response belongs to (no audit entry: nothing of the response is shown). */
  public Future<String> surveyOf(String responseId) {
    return find(responseId).map(document -> document.getString("surveyId"));
  }

  private Future<JsonObject> find(String responseId) {
    if (responseId == null || !responseId.matches("[0-9a-f]{32}")) {
      return Future.failedFuture(notFound(responseId));
    }
    return store.findDocument(responseId)
        .compose(document -> document == null ? Future.failedFuture(notFound(responseId))
            : Future.succeededFuture(document));
  }

  private static HeardException notFound(String responseId) {
    return new HeardException.NotFound("unknown-response",
        "There is no response with id '" + ClientText.shorten(String.valueOf(responseId)) + "'.");
  }

  private static JsonObject publicView(JsonObject document) {
    JsonObject view = document.copy();
    view.remove("contentHash");
    view.put("id", view.remove("_id"));
    view.put("receivedAt", Documents.instant(document.getJsonObject("receivedAt")).toString());
    JsonArray corrections = new JsonArray();
    for (Object c : document.getJsonArray("corrections", new JsonArray())) {
      JsonObject correction = ((JsonObject) c).copy();
      correction.put("at", Documents.instant(correction.getJsonObject("at")).toString());
      corrections.add(correction);
    }
    view.put("corrections", corrections);
    return view;
  }

  /**
   * Changes one question of one paper response to {@code value} (null to clear) or marks it
   * {@code mark} ("not-answered", "unreadable"; null for none).
   */
  public Future<JsonObject> correct(StaffUser user, String responseId, String questionId, Object value, String mark,
      String reason) {
    return find(responseId).compose(document -> {
      if (!Channel.PAPER.key().equals(document.getString("channel"))) {
        return Future.failedFuture(new HeardException.Conflict("not-paper",
            "Only responses keyed from paper forms can be corrected by staff."));
      }
      SurveyDefinition survey = catalog.find(document.getString("surveyId")).orElseThrow(() ->
          new HeardException.Conflict("unknown-survey", "This response's survey is no longer defined."));
      Question question = survey.question(questionId == null ? "" : questionId).orElse(null);
      List<FieldError> problems = new ArrayList<>();
      if (question == null) {
        problems.add(new FieldError("question", "unknown_question", "Choose a question of this survey"));
      }
      if (reason == null || reason.isBlank()) {
        problems.add(new FieldError("reason", "required", "Say why it is corrected (e.g. \"checked against the paper form\")"));
      } else if (reason.length() > 500) {
        problems.add(new FieldError("reason", "too_long", "Keep the reason under 500 characters"));
      }
      if (!problems.isEmpty()) {
        return Future.failedFuture(new HeardException.Invalid("invalid-correction", "The correction needs changing.",
            problems));
      }
      Map<String, Object> answers = Documents.plainMap(document.getJsonObject("answers"));
      JsonObject provenance = document.getJsonObject("provenance", new JsonObject());
      Map<String, Object> marks = Documents.plainMap(provenance.getJsonObject("marks"));
      JsonObject from = state(answers.get(questionId), (String) marks.get(questionId));
      if (value == null) {
        answers.remove(questionId);
      } else {
        answers.put(questionId, value);
      }
      if (mark == null) {
        marks.remove(questionId);
      } else {
        marks.put(questionId, mark);
      }
      Map<String, Object> ordered = new LinkedHashMap<>();
      survey.questions().forEach(q -> {
        if (answers.containsKey(q.id())) {
          ordered.put(q.id(), answers.get(q.id()));
        }
      });
      AnswerValidator.Result checked = validator.validate(survey, ordered);
      List<FieldError> errors = checked.errors().stream().filter(e -> !AnswerValidator.REQUIRED.equals(e.code()))
          .map(e -> new FieldError("value", e.code(), "Question '" + e.field() + "' " + e.message()))
          .toList();
      if (!errors.isEmpty()) {
        return Future.failedFuture(new HeardException.Invalid("invalid-correction", "The correction needs changing.",
            errors));
      }
      boolean complete = checked.errors().isEmpty();
      JsonObject to = state(checked.answers().get(questionId), mark);
      if (from.equals(to)) {
        return Future.failedFuture(new HeardException.Invalid("invalid-correction", "The correction needs changing.",
            List.of(new FieldError("value", "unchanged", "That is what the record already says"))));
      }
      int revision = document.getInteger("revision", 0);
      Instant now = Instant.now(clock);
      JsonObject correction = new JsonObject().put("questionId", questionId).put("from", from).put("to", to)
          .put("by", user.accountId()).put("at", Documents.date(now)).put("reason", reason.strip());
      JsonObject fields = new JsonObject()
          .put("answers", new JsonObject(new LinkedHashMap<>(checked.answers())))
          .put("provenance.marks", new JsonObject(marks))
          .put("complete", complete);
      return store.correct(responseId, revision, fields, correction).compose(applied -> {
        if (!applied) {
          return Future.failedFuture(new HeardException.Conflict("changed-meanwhile",
              "Someone else changed this response while you were correcting it. Reload it and try again."));
        }
        JsonObject after = document.copy().put("answers", new JsonObject(new LinkedHashMap<>(checked.answers())));
        events.corrected(document, after);
        return audit.record(user, AuditAction.RESPONSE_CORRECTED, List.of(responseId),
                Map.of("survey", survey.id(), "question", questionId, "revision", revision + 1))
            .map(correction);
      });
    });
  }

  private static JsonObject state(Object value, String mark) {
    JsonObject state = new JsonObject();
    if (value != null) {
      state.put("value", value instanceof List<?> list ? new JsonArray(new ArrayList<>(list)) : value);
    }
    if (mark != null) {
      state.put("mark", mark);
    }
    return state;
  }

}
