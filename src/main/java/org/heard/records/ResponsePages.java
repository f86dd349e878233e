package org.heard.records;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heard.auth.Role;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.Problem;
import org.heard.http.StaffGate;
import org.heard.http.StaffView;
import org.heard.paper.PaperCodes;
import org.heard.survey.Question;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyChannels;
import org.heard.survey.SurveyDefinition;

/** One response for staff: every read audited; paper responses corrected with their history kept. */
public final class ResponsePages {
  /** What staff read for each provenance fact, instead of its stored name. */
  private static final Map<String, String> PROVENANCE_WORDS = Map.ofEntries(
      Map.entry("formCode", "Form code"), Map.entry("serial", "Serial number"), Map.entry("batchId", "Batch"),
      Map.entry("venue", "Venue"), Map.entry("collectedOn", "Collected on"), Map.entry("enteredBy", "Keyed by"),
      Map.entry("enteredAt", "Keyed at"), Map.entry("verification", "Verification"),
      Map.entry("respondentKey", "Respondent key (not the phone number)"), Map.entry("keyword", "SMS keyword"),
      Map.entry("startedAt", "Started at"), Map.entry("endedBy", "Ended by"),
      Map.entry("idempotencyKey", "Idempotency key"));

  private final StaffView view;
  private final ResponseRecords records;
  private final SurveyCatalog catalog;
  private final PaperCodes codes;

  public ResponsePages(StaffView view, ResponseRecords records, SurveyCatalog catalog) {
    this.view = view;
    this.records = records;
    this.catalog = catalog;
    this.codes = new PaperCodes(catalog.partnership());
  }

  public void show(RoutingContext ctx) {
    String flash = ctx.request().getParam("corrected") != null ? "Correction saved; the previous value is kept below."
        : ctx.request().getParam("resolved") != null ? "Resolved against the paper and stored." : null;
    render(ctx, 200, flash, Map.of(), List.of());
  }

  public void correct(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    String id = ctx.pathParam("responseId");
    String questionId = ctx.request().getFormAttribute("question");
    String typed = ctx.request().getFormAttribute("value");
    String reason = ctx.request().getFormAttribute("reason");
    Map<String, Object> kept = Map.of("question", nn(questionId), "typedValue", nn(typed), "reason", nn(reason));
    records.surveyOf(id).compose(surveyId -> {
      SurveyDefinition survey = catalog.find(surveyId).orElseThrow();
      Question question = survey.question(nn(questionId)).orElse(null);
      Object value = null;
      String mark = null;
      if (question != null) {
        SurveyChannels.Numbering numbering = survey.channels().paper() == null ? SurveyChannels.Numbering.NUMBERS
            : survey.channels().paper().numbering();
        PaperCodes.Reading reading = codes.read(question, numbering, typed, survey.defaultLanguage());
        if (reading instanceof PaperCodes.Value v) {
          value = v.raw();
        } else if (reading instanceof PaperCodes.Marked m) {
          mark = m.mark().key();
        } else {
          String message = reading instanceof PaperCodes.Problem p ? p.message()
              : "Type what the paper says, - if not answered or ? if unreadable";
          return Future.failedFuture(new HeardException.Invalid("invalid-correction",
              "The correction needs changing.", List.of(new FieldError("value", "invalid", message))));
        }
      }
      return records.correct(user, id, questionId, value, mark, reason);
    }).onSuccess(correction -> StaffView.seeOther(ctx, "/staff/responses/" + id + "?corrected=" + correction.getString("questionId")))
        .onFailure(error -> {
          if (error instanceof HeardException.Invalid invalid) {
            render(ctx, 422, null, kept, invalid.fieldErrors());
          } else if (error instanceof HeardException.Conflict conflict && conflict.type().equals("changed-meanwhile")) {
            render(ctx, 409, null, kept, List.of(new FieldError("value", "changed", conflict.getMessage())));
          } else {
            ctx.fail(error);
          }
        });
  }

  private void render(RoutingContext ctx, int status, String flash, Map<String, Object> kept, List<FieldError> errors) {
    StaffUser user = StaffGate.user(ctx);
    records.view(user, ctx.pathParam("responseId")).onFailure(ctx::fail).onSuccess(document -> {
      SurveyDefinition survey = catalog.find(document.getString("surveyId")).orElse(null);
      Map<String, Object> model = view.model(ctx, "Response " + document.getString("id"));
      model.putAll(kept);
      model.put("flash", flash);
      model.put("id", document.getString("id"));
      model.put("surveyTitle", survey == null ? document.getString("surveyId")
          : survey.title().in(survey.defaultLanguage(), survey.defaultLanguage()).text());
      model.put("channel", document.getString("channel"));
      model.put("receivedAt", document.getString("receivedAt").replace('T', ' ').replace("Z", ""));
      model.put("complete", document.getBoolean("complete", true) ? "yes" : "no (some required answers are missing)");
      JsonObject provenance = document.getJsonObject("provenance", new JsonObject());
      List<Map<String, Object>> facts = new ArrayList<>();
      provenance.fieldNames().stream().filter(k -> !k.equals("marks")).sorted()
          .forEach(k -> facts.add(Map.of("key", PROVENANCE_WORDS.getOrDefault(k, k), "value",
              String.valueOf(provenance.getValue(k)))));
      model.put("provenance", facts);
      JsonObject answers = document.getJsonObject("answers", new JsonObject());
      JsonObject marks = provenance.getJsonObject("marks", new JsonObject());
      JsonArray corrections = document.getJsonArray("corrections", new JsonArray());
      List<Map<String, Object>> rows = new ArrayList<>();
      if (survey != null) {
        for (Question q : survey.questions()) {
          Map<String, Object> row = new HashMap<>();
          row.put("id", q.id());
          row.put("text", q.text().in(survey.defaultLanguage(), survey.defaultLanguage()).text());
          row.put("shown", shown(survey, q, answers.getValue(q.id()), marks.getString(q.id())));
          row.put("selected", q.id().equals(kept.get("question")));
          List<Map<String, Object>> history = new ArrayList<>();
          for (Object o : corrections) {
            JsonObject c = (JsonObject) o;
            if (q.id().equals(c.getString("questionId"))) {
              history.add(Map.of("from", state(survey, q, c.getJsonObject("from")), "to", state(survey, q,
                  c.getJsonObject("to")), "by", c.getString("by"), "at", c.getString("at").replace('T', ' ')
                  .replace("Z", ""), "reason", c.getString("reason")));
            }
          }
          row.put("history", history);
          row.put("hasHistory", !history.isEmpty());
          rows.add(row);
        }
      }
      model.put("answers", rows);
      model.put("mayCorrect", survey != null && "paper".equals(document.getString("channel"))
          && (user.role() == Role.OUTREACH || user.role() == Role.ADMIN));
      StaffView.errors(model, errors);
      view.send(ctx, status, "staff-response", model);
    });
  }

  private String state(SurveyDefinition survey, Question q, JsonObject state) {
    return shown(survey, q, state == null ? null : state.getValue("value"), state == null ? null : state.getString("mark"));
  }

  /** An answer as a person reads it: option labels, "Not answered" or "Unreadable" for marks. */
  private String shown(SurveyDefinition survey, Question q, Object value, String mark) {
    if (mark != null) {
      return mark.equals("unreadable") ? "Unreadable on the paper form" : "Not answered on the paper form";
    }
    if (value == null) {
      return "No answer";
    }
    SurveyChannels.Numbering numbering = survey.channels().paper() == null ? SurveyChannels.Numbering.NUMBERS
        : survey.channels().paper().numbering();
    List<PaperCodes.Code> known = codes.codes(q, numbering, survey.defaultLanguage());
    if (known.isEmpty()) {
      return String.valueOf(value);
    }
    List<?> values = value instanceof JsonArray array ? array.getList() : List.of(value);
    return String.join("; ", values.stream().map(v -> known.stream().filter(c -> c.value().equals(String.valueOf(v)))
        .map(PaperCodes.Code::label).findFirst().orElse(String.valueOf(v))).toList());
  }

  private static String nn(String value) {
    return value == null ? "" : value;
  }
}
