package org.heard.webform;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.error.FieldError;
import org.heard.http.PublicPages;
import org.heard.i18n.Messages;
import org.heard.response.AnswerValidator;
import org.heard.survey.LocalizedText;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyPages;

/**
 * The web form's two views, a form page and check your answers, with error summaries in the
 * resident's language that name each question and link to its first input.
 */
final class FormViews {
  /** The answers could be neither stored nor queued: shown on the check page, answers kept. */
  static final String UNAVAILABLE = "unavailable";

  private final SurveyCatalog catalog;
  private final Messages messages;
  private final PublicPages pages;
  private final FormState state;
  /** Each survey's pages, split once: definitions do not change while the server runs. */
  private final Map<String, List<SurveyPages.Page>> pagesBySurvey = new HashMap<>();

  FormViews(SurveyCatalog catalog, PublicPages pages, FormState state) {
    this.catalog = catalog;
    this.messages = pages.messages();
    this.pages = pages;
    this.state = state;
    catalog.all().forEach(survey -> pagesBySurvey.put(survey.id(), SurveyPages.split(survey)));
  }

  List<SurveyPages.Page> pagesOf(SurveyDefinition survey) {
    return pagesBySurvey.get(survey.id());
  }

  void renderPage(RoutingContext ctx, int status, SurveyDefinition survey, int number, String lang,
      Map<String, Object> values, List<FieldError> errors) {
    List<SurveyPages.Page> formPages = pagesOf(survey);
    SurveyPages.Page page = formPages.get(number - 1);
    String fallback = survey.defaultLanguage();
    Map<String, String> errorByQuestion = errorTexts(survey, lang, errors);
    Map<String, Object> model = pages.layout(ctx, lang, survey.title().in(lang, fallback).text(),
        "/surveys/" + survey.id() + "/page/" + number);
    putText(model, "surveyTitle", survey.title(), lang, fallback);
    if (page.heading() != null) {
      putText(model, "heading", page.heading(), lang, fallback);
    }
    if (page.monitoring()) {
      if (survey.monitoringIntro() != null) {
        putText(model, "monitoringIntro", survey.monitoringIntro(), lang, fallback);
      } else {
        model.put("monitoringIntro", messages.get(lang, "monitoring.default"));
      }
    }
    if (number == 1 && survey.description() != null) {
      putText(model, "description", survey.description(), lang, fallback);
    }
    model.put("pageOf", messages.get(lang, "page.of", number, formPages.size()));
    // Page 1 posts to the survey's own address: POST /surveys/{id} starts (or continues) a response.
    model.put("action", "/surveys/" + survey.id() + (number == 1 ? "" : "/page/" + number));
    model.put("backUrl", number > 1 ? "/surveys/" + survey.id() + "/page/" + (number - 1) : "/?lang=" + lang);
    model.put("continue", messages.get(lang, "continue"));
    List<Map<String, Object>> questions = new ArrayList<>();
    for (Question q : page.questions()) {
      questions.add(QuestionView.model(q, lang, fallback, catalog.partnership(), messages, values.get(q.id()),
          errorByQuestion.get(q.id())));
    }
    model.put("questions", questions);
    putErrors(model, survey, lang, errorByQuestion, true);
    pages.html(ctx, status, "page", model);
  }

  void renderCheck(RoutingContext ctx, int status, SurveyDefinition survey, FormDraft draft,
      List<FieldError> errors) {
    String lang = state.surveyLanguage(ctx, survey, draft);
    String fallback = survey.defaultLanguage();
    Map<String, Object> answers = draft == null ? Map.of() : AnswerValidator.applicable(survey, draft.answers());
    Map<String, Object> model = pages.layout(ctx, lang, messages.get(lang, "check.title"),
        "/surveys/" + survey.id() + "/check");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (SurveyPages.Page page : pagesOf(survey)) {
      for (Question q : page.questions()) {
        if (!q.isAskedGiven(answers)) {
          continue;
        }
        Map<String, Object> row = new HashMap<>();
        row.put("id", q.id());
        putText(row, "question", q.text(), lang, fallback);
        row.put("answer", answers.containsKey(q.id()) ? display(q, answers.get(q.id()), lang, fallback)
            : messages.get(lang, "check.notanswered"));
        row.put("changeUrl", "/surveys/" + survey.id() + "/page/" + page.number() + "#q-" + q.id());
        row.put("change", messages.get(lang, "change"));
        rows.add(row);
      }
    }
    model.put("rows", rows);
    model.put("action", "/surveys/" + survey.id() + "/check");
    model.put("submit", messages.get(lang, "submit"));
    model.put("backUrl", "/surveys/" + survey.id() + "/page/" + pagesOf(survey).size());
    Map<String, String> errorByQuestion = errorTexts(survey, lang, errors);
    putErrors(model, survey, lang, errorByQuestion, false);
    pages.html(ctx, status, "check", model);
  }

  private String display(Question q, Object answer, String lang, String fallback) {
    List<String> parts = new ArrayList<>();
    List<?> values = answer instanceof List<?> list ? list : List.of(answer);
    for (Object value : values) {
      String v = String.valueOf(value);
      if (Question.PREFER_NOT_TO_SAY.equals(v)) {
        parts.add(messages.get(lang, "prefer.not"));
      } else if (q.type() == QuestionType.AREA) {
        parts.add(catalog.partnership().area(v).map(a -> a.name()).orElse(v));
      } else if (q.type() == QuestionType.CONSENT) {
        parts.add(messages.get(lang, Boolean.TRUE.equals(value) ? "yes" : "no"));
      } else if (q.type().isChoice()) {
        parts.add(q.option(v).map(o -> o.label(lang, fallback).text()).orElse(v));
      } else if (q.type() == QuestionType.SCALE && q.labels().containsKey(Integer.parseInt(v))) {
        parts.add(v + " – " + q.labels().get(Integer.parseInt(v)).in(lang, fallback).text());
      } else {
        parts.add(v);
      }
    }
    return String.join(", ", parts);
  }

  /** Error messages in the resident's language, from each field error's code. */
  private Map<String, String> errorTexts(SurveyDefinition survey, String lang, List<FieldError> errors) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (FieldError error : errors) {
      if (UNAVAILABLE.equals(error.code())) {
        texts.put("", messages.get(lang, "unavailable"));
        continue;
      }
      String qid = error.field().startsWith("answers.") ? error.field().substring("answers.".length()) : error.field();
      Question q = survey.question(qid).orElse(null);
      String code = error.code();
      String text;
      if (q != null && code.equals("out_of_range") && q.type() == QuestionType.SCALE) {
        text = messages.get(lang, "err.not_an_option");
      } else if (q != null && code.equals("out_of_range")) {
        text = messages.get(lang, "err.out_of_range", q.minText(), q.maxText());
      } else if (q != null && code.equals("too_long")) {
        text = messages.get(lang, "err.too_long", q.effectiveMaxLength());
      } else if (q != null && code.equals("too_many_choices")) {
        text = messages.get(lang, "err.too_many_choices", q.maxChoices());
      } else if (q != null && code.equals("wrong_type") && q.type() == QuestionType.NUMBER) {
        text = messages.get(lang, "err.wrong_type.number");
      } else {
        text = messages.get(lang, "err." + code);
      }
      texts.putIfAbsent(qid, text);
    }
    return texts;
  }

  /**
   * The error summary: one link per question, naming the question so each link makes sense alone,
   * and leading to the field itself (its first input) on a form page, or to the row on check answers.
   */
  private void putErrors(Map<String, Object> model, SurveyDefinition survey, String lang,
      Map<String, String> errorByQuestion, boolean linkToInputs) {
    if (errorByQuestion.isEmpty()) {
      return;
    }
    List<Map<String, Object>> summary = new ArrayList<>();
    errorByQuestion.forEach((qid, text) -> {
      if (qid.isEmpty()) {
        summary.add(Map.of("text", text));
        return;
      }
      String question = survey.question(qid).map(q -> q.text().in(lang, survey.defaultLanguage()).text()).orElse(qid);
      String target = linkToInputs ? survey.question(qid)
          .map(q -> QuestionView.firstInputId(q, catalog.partnership())).orElse("q-" + qid) : "q-" + qid;
      summary.add(Map.of("href", "#" + target, "text", question + " – " + text));
    });
    model.put("errors", summary);
    model.put("hasErrors", true);
    model.put("errorSummaryTitle", messages.get(lang, "error.summary"));
    model.put("title", messages.get(lang, "error.title.prefix") + " " + model.get("title"));
  }

  static void putText(Map<String, Object> model, String key, LocalizedText text, String lang, String fallback) {
    LocalizedText.Localized localized = text.in(lang, fallback);
    model.put(key, localized.text());
    model.put(key + "Lang", QuestionView.langIfDifferent(localized.language(), lang));
  }
}
