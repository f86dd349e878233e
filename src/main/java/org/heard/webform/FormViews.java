package org.heard.webform;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.heard.error.FieldError;
import org.heard.http.PublicPages;
import org.heard.i18n.Messages;
import org.heard.response.AnswerValidator;
import org.heard.sms.TextBack;
import org.heard.survey.LocalizedText;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyPages;

/**
 * The web form's views: a form page, check your answers and the confirmation, with error
 * messages in the resident's language that name each question and say what to do.
 */
final class FormViews {
  /** The answers could be neither stored nor queued: shown on the check page, answers kept. */
  static final String UNAVAILABLE = "unavailable";
  /** Too many answers are being sent to this survey: shown on the check page, answers kept. */
  static final String BUSY = "busy";

  private final SurveyCatalog catalog;
  private final Messages messages;
  private final PublicPages pages;
  private final FormState state;
  private final TextBack textBack;
  /** Each survey's pages, split once: definitions do not change while the server runs. */
  private final Map<String, Split> pagesBySurvey = new ConcurrentHashMap<>();

  FormViews(SurveyCatalog catalog, PublicPages pages, FormState state, TextBack textBack) {
    this.catalog = catalog;
    this.textBack = textBack;
    this.messages = pages.messages();
    this.pages = pages;
    this.state = state;
  }

  /** A survey's pages, split once per definition (a definition replaced while running is split again). */
  List<SurveyPages.Page> pagesOf(SurveyDefinition survey) {
    Split split = pagesBySurvey.get(survey.id());
    if (split == null || split.survey() != survey) {
      split = new Split(survey, SurveyPages.split(survey));
      pagesBySurvey.put(survey.id(), split);
    }
    return split.pages();
  }

  private record Split(SurveyDefinition survey, List<SurveyPages.Page> pages) {
  }

  /**
   * What a form page shows: its values, the answers to earlier pages, how it was reached, and
   * whether staff are previewing it (every question shown, nothing sent).
   */
  record PageState(Map<String, Object> values, Map<String, Object> earlier, boolean fromCheck, boolean preview) {
    PageState(Map<String, Object> values, Map<String, Object> earlier, boolean fromCheck) {
      this(values, earlier, fromCheck, false);
    }
  }

  void renderPage(RoutingContext ctx, int status, SurveyDefinition survey, int number, String lang, PageState shown,
      List<FieldError> errors) {
    List<SurveyPages.Page> formPages = pagesOf(survey);
    SurveyPages.Page page = formPages.get(number - 1);
    String fallback = survey.defaultLanguage();
    Map<String, String> errorByQuestion = errorTexts(survey, lang, errors);
    String surveyTitle = survey.title().in(lang, fallback).text();
    // Each page is named by its section where it starts one, else by its first question.
    List<Question> asked = page.questions().stream()
        .filter(q -> shown.preview() || page.isRevealed(q) || q.isAskedGiven(shown.earlier())).toList();
    Question first = asked.isEmpty() ? page.questions().get(0) : asked.get(0);
    String pageName = page.startsSection() && page.heading() != null ? page.heading().in(lang, fallback).text()
        : first.text().in(lang, fallback).text();
    Map<String, Object> model = pages.layout(ctx, lang, pageName + " – " + surveyTitle,
        "/surveys/" + survey.id() + "/page/" + number, survey.languages());
    model.put("formScript", true);
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
    model.put("fromCheck", shown.fromCheck());
    model.put("backUrl", shown.fromCheck() ? "/surveys/" + survey.id() + "/check"
        : number > 1 ? "/surveys/" + survey.id() + "/page/" + (number - 1) : "/?lang=" + lang);
    model.put("continue", messages.get(lang, "continue"));
    if (shown.preview()) {
      // Staff see the page as residents do; it leads to the next page's preview and sends nothing.
      String preview = "/staff/surveys/" + survey.id() + "/preview";
      model.put("preview", "Preview of page " + number + " of " + formPages.size() + ": nothing typed here is kept.");
      model.put("action", number < formPages.size() ? preview + "/page/" + (number + 1) : preview);
      model.put("backUrl", number > 1 ? preview + "/page/" + (number - 1) + "?lang=" + lang : preview + "?lang=" + lang);
    }
    QuestionView.Reveals reveals = (trigger, option) -> {
      List<Map<String, Object>> revealed = new ArrayList<>();
      if (trigger.type() == QuestionType.CONSENT && "true".equals(option)) {
        // A yes to being texted back asks for the number to text, right under it.
        String field = trigger.id() + TextBack.PHONE_SUFFIX;
        revealed.add(QuestionView.phoneModel(trigger, lang, messages, shown.values().get(field),
            errorByQuestion.get(field)));
      }
      page.revealedBy(trigger, option).forEach(q -> revealed.add(QuestionView.model(q, lang, fallback,
          catalog.partnership(), messages, shown.values().get(q.id()), errorByQuestion.get(q.id()))));
      return revealed;
    };
    List<Map<String, Object>> questions = new ArrayList<>();
    for (Question q : asked) {
      if (!page.isRevealed(q)) {
        questions.add(QuestionView.model(q, lang, fallback, catalog.partnership(), messages, shown.values().get(q.id()),
            errorByQuestion.get(q.id()), reveals));
      }
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
    String heading = messages.get(lang, "check.title");
    Map<String, Object> model = pages.layout(ctx, lang, heading + " – " + survey.title().in(lang, fallback).text(),
        "/surveys/" + survey.id() + "/check", survey.languages());
    model.put("formScript", true);
    model.put("heading", heading);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (SurveyPages.Page page : pagesOf(survey)) {
      for (Question q : page.questions()) {
        if (!q.isAskedGiven(answers)) {
          continue;
        }
        Map<String, Object> row = new HashMap<>();
        row.put("id", q.id());
        putText(row, "question", q.text(), lang, fallback);
        TextBack.Contact contact = draft == null ? null : draft.contacts().get(q.id());
        row.put("answer", contact != null && Boolean.TRUE.equals(answers.get(q.id()))
            ? messages.get(lang, "consent.yes.number", textBack.shown(contact))
            : answers.containsKey(q.id()) ? display(q, answers.get(q.id()), lang, fallback)
            : messages.get(lang, "check.notanswered"));
        row.put("changeUrl", changeUrl(survey, page, q));
        row.put("change", messages.get(lang, "change"));
        rows.add(row);
      }
    }
    model.put("rows", rows);
    List<Map<String, Object>> asides = asides(survey, draft, lang);
    model.put("asides", asides);
    model.put("hasAsides", !asides.isEmpty());
    model.put("asideTitle", messages.get(lang, "aside.title"));
    model.put("action", "/surveys/" + survey.id() + "/check");
    model.put("submit", messages.get(lang, "submit"));
    model.put("backUrl", "/surveys/" + survey.id() + "/page/" + pagesOf(survey).size());
    Map<String, String> errorByQuestion = errorTexts(survey, lang, errors);
    putErrors(model, survey, lang, errorByQuestion, false);
    pages.html(ctx, status, "check", model);
  }

  void renderDone(RoutingContext ctx, SurveyDefinition survey, String lang) {
    Map<String, Object> model = pages.layout(ctx, lang, messages.get(lang, "done.title"), ctx.request().path(),
        survey.languages());
    model.put("next", messages.get(lang, "done.next"));
    model.put("ysdUrl", "/you-said-we-did?lang=" + lang);
    model.put("ysdLink", messages.get(lang, "done.link"));
    model.put("againUrl", "/surveys/" + survey.id() + "/again");
    model.put("again", messages.get(lang, "again"));
    pages.html(ctx, 200, "done", model);
  }

  /** Change links lead to the question's page in change mode: from there, back to check your answers. */
  private String changeUrl(SurveyDefinition survey, SurveyPages.Page page, Question q) {
    return "/surveys/" + survey.id() + "/page/" + page.number() + "?change#q-" + q.id();
  }

  /** Answers typed under an unchosen option, each with what it needs and a way to choose it. */
  private List<Map<String, Object>> asides(SurveyDefinition survey, FormDraft draft, String lang) {
    List<Map<String, Object>> asides = new ArrayList<>();
    if (draft == null) {
      return asides;
    }
    String fallback = survey.defaultLanguage();
    for (SurveyPages.Page page : pagesOf(survey)) {
      for (Question q : page.questions()) {
        Object words = draft.aside().get(q.id());
        Question trigger = q.showIf() == null ? null : survey.question(q.showIf().question()).orElse(null);
        if (words == null || trigger == null) {
          continue;
        }
        String triggerText = trigger.text().in(lang, fallback).text();
        String option = trigger.type() == QuestionType.CONSENT
            ? messages.get(lang, "true".equals(q.showIf().value()) ? "yes" : "no")
            : trigger.option(q.showIf().value()).map(o -> o.label(lang, fallback).text()).orElse(q.showIf().value());
        asides.add(Map.of(
            "text", messages.get(lang, "aside.text", String.valueOf(words), q.text().in(lang, fallback).text(),
                option, triggerText),
            "changeUrl", changeUrl(survey, page, trigger),
            "change", messages.get(lang, "aside.change", triggerText)));
      }
    }
    return asides;
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

  /**
   * Error messages in the resident's language, from each field error's code: each names its
   * question and says what to do, in the words GOV.UK uses for that kind of question.
   */
  private Map<String, String> errorTexts(SurveyDefinition survey, String lang, List<FieldError> errors) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (FieldError error : errors) {
      if (UNAVAILABLE.equals(error.code()) || BUSY.equals(error.code())) {
        texts.put("", messages.get(lang, error.code()));
        continue;
      }
      String qid = error.field().startsWith("answers.") ? error.field().substring("answers.".length()) : error.field();
      String consent = TextBack.consentOf(qid);
      if (consent != null) {
        String name = survey.question(consent)
            .map(q -> q.text().in(lang, survey.defaultLanguage()).text()).orElse("");
        texts.putIfAbsent(qid, messages.get(lang, "err." + error.code(), name, textBack.example()));
        continue;
      }
      Question q = survey.question(qid).orElse(null);
      if (q == null) {
        texts.putIfAbsent(qid, messages.get(lang, "err.unknown_question"));
        continue;
      }
      texts.putIfAbsent(qid, errorText(q, error.code(), lang, survey.defaultLanguage()));
    }
    return texts;
  }

  private String errorText(Question q, String code, String lang, String fallback) {
    String name = q.text().in(lang, fallback).text();
    boolean radios = q.type() != QuestionType.TEXT && q.type() != QuestionType.NUMBER
        && q.type() != QuestionType.MULTI_CHOICE;
    return switch (code) {
      case AnswerValidator.REQUIRED -> messages.get(lang, switch (q.type()) {
        case TEXT -> "err.required.text";
        case NUMBER -> "err.required.number";
        case MULTI_CHOICE -> "err.required.checkboxes";
        default -> "err.required.radios";
      }, name);
      case "out_of_range" -> radios ? messages.get(lang, "err.not_an_option", name)
          : messages.get(lang, "err.out_of_range", name, q.minText(), q.maxText());
      case "too_long" -> messages.get(lang, "err.too_long", name, q.effectiveMaxLength());
      case "too_many_choices" -> messages.get(lang, "err.too_many_choices", name, q.maxChoices());
      case "wrong_type" -> q.type() == QuestionType.NUMBER ? messages.get(lang, "err.wrong_type.number", name)
          : radios ? messages.get(lang, "err.not_an_option", name) : messages.get(lang, "err.wrong_type", name);
      default -> messages.get(lang, "err." + code, name);
    };
  }

  /**
   * The error summary: one link per question, with the same words as the message by the question
   * (they name it), leading to the field itself (its first input) on a form page, or to the row on
   * check answers.
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
      String target = !linkToInputs ? "q-" + qid : TextBack.consentOf(qid) != null
          ? QuestionView.phoneInputId(TextBack.consentOf(qid))
          : survey.question(qid).map(q -> QuestionView.firstInputId(q, catalog.partnership())).orElse("q-" + qid);
      summary.add(Map.of("href", "#" + target, "text", text));
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
