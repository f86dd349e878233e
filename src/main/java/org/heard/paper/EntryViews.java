package org.heard.paper;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heard.http.StaffView;
import org.heard.sms.TextBack;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyDefinition;

/** What the paper entry pages share: a survey's page model, its questions as typed on paper, batch details. */
final class EntryViews {
  private final StaffView view;
  private final PaperEntryService entry;

  EntryViews(StaffView view, PaperEntryService entry) {
    this.view = view;
    this.entry = entry;
  }

  Map<String, Object> surveyModel(RoutingContext ctx, SurveyDefinition survey, String title) {
    Map<String, Object> model = view.model(ctx, title);
    model.put("surveyId", survey.id());
    model.put("surveyTitle", title(survey));
    model.put("formCode", survey.channels().paperFormCode());
    return model;
  }

  List<Map<String, Object>> questionViews(SurveyDefinition survey, Map<String, Object> typed,
      Map<String, String> errors) {
    List<Map<String, Object>> views = new ArrayList<>();
    int number = 1;
    for (Question q : survey.questions()) {
      List<PaperCodes.Code> codes = entry.form().codes().codes(q, survey.channels().paper().numbering(),
          survey.defaultLanguage());
      Map<String, Object> v = new HashMap<>();
      v.put("id", q.id());
      v.put("number", number++);
      v.put("text", q.text().in(survey.defaultLanguage(), survey.defaultLanguage()).text());
      v.put("codes", codes.stream().map(c -> Map.of("code", c.code(), "label", c.label())).toList());
      v.put("hasCodes", !codes.isEmpty());
      v.put("kindHint", kindHint(q));
      v.put("short", q.type() != QuestionType.TEXT);
      v.put("condition", q.showIf() == null ? null : q.showIf().describe());
      v.put("value", typed.getOrDefault(q.id(), ""));
      v.put("error", errors.get("q-" + q.id()));
      if (q.type() == QuestionType.CONSENT) {
        String phone = q.id() + TextBack.PHONE_SUFFIX;
        v.put("phoneId", phone);
        v.put("phoneValue", typed.getOrDefault(phone, ""));
        v.put("phoneError", errors.get("q-" + phone));
      }
      views.add(v);
    }
    return views;
  }

  static String kindHint(Question q) {
    return switch (q.type()) {
      case SCALE -> "Type the number circled, " + q.minText() + " to " + q.maxText() + ".";
      case NUMBER -> "Type the number written.";
      case TEXT -> "Type the words as written.";
      case MULTI_CHOICE -> "Type every code ticked, separated by spaces.";
      default -> "";
    };
  }

  /** A double-entry form's state as staff read it. */
  static String stateWords(EntryStore.State state) {
    return switch (state) {
      case AWAITING_SECOND -> "waiting for its second keying";
      case MISMATCH -> "its two keyings disagree and wait to be checked against the paper";
      case VERIFIED -> "verified and stored";
    };
  }

  static PaperEntryService.BatchDetails batchDetails(RoutingContext ctx) {
    return new PaperEntryService.BatchDetails(ctx.request().getFormAttribute("venue"),
        ctx.request().getFormAttribute("collectedOn"), ctx.request().getFormAttribute("expected"),
        ctx.request().getFormAttribute("note"));
  }

  static String title(SurveyDefinition survey) {
    return survey.title().in(survey.defaultLanguage(), survey.defaultLanguage()).text();
  }

  static String nn(String value) {
    return value == null ? "" : value;
  }
}
