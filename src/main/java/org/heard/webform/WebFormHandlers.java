package org.heard.webform;

import io.vertx.core.json.JsonObject;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.auth.SecretTokens;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.i18n.Messages;
import org.heard.response.AnswerValidator;
import org.heard.response.Channel;
import org.heard.response.ResponseService;
import org.heard.response.Submission;
import org.heard.survey.LocalizedText;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyPages;
import org.heard.web.Problem;
import org.heard.web.Templates;

/**
 * The residents' web channel, server-rendered so it works with JavaScript off: the survey list,
 * one form page per {@link SurveyPages.Page}, check your answers, and the confirmation. Answers
 * accepted page by page are kept in a {@link FormDraft} named by a random form token (a cookie),
 * which becomes the response's idempotency key, so a double-click or re-sent submit stores one.
 */
public final class WebFormHandlers {
  /** The answers could be neither stored nor queued: shown on the check page, answers kept. */
  private static final String UNAVAILABLE = "unavailable";
  static final String LANG_COOKIE = "heard_lang";
  static final String CSRF_COOKIE = "heard_csrf";
  static final String CSRF_FIELD = "csrf";
  /** A field people never see; naive bots fill every field. */
  static final String HONEYPOT_FIELD = "website";
  /** A page of answers is a few KB; the largest text answer allowed is 10,000 characters. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private final SurveyCatalog catalog;
  private final Messages messages;
  private final Templates templates;
  private final DraftStore drafts;
  private final ResponseService responses;
  private final AnswerValidator validator;
  private final boolean https;
  /** Each survey's pages, split once: definitions do not change while the server runs. */
  private final Map<String, List<SurveyPages.Page>> pagesBySurvey = new HashMap<>();

  private org.heard.actions.ActionStore actions;

  /** The published actions the public page lists (wired after construction by the composition root). */
  public void actions(org.heard.actions.ActionStore actions) {
    this.actions = actions;
  }

  public WebFormHandlers(SurveyCatalog catalog, Messages messages, Templates templates, DraftStore drafts,
      ResponseService responses, boolean https) {
    this.catalog = catalog;
    this.messages = messages;
    this.templates = templates;
    this.drafts = drafts;
    this.responses = responses;
    this.validator = new AnswerValidator(catalog.partnership());
    this.https = https;
    catalog.all().forEach(survey -> pagesBySurvey.put(survey.id(), SurveyPages.split(survey)));
  }

  private List<SurveyPages.Page> pagesOf(SurveyDefinition survey) {
    return pagesBySurvey.get(survey.id());
  }

  // ------------------------------------------------------------------ pages

  public void list(RoutingContext ctx) {
    String lang = interfaceLanguage(ctx, null);
    List<Map<String, Object>> surveys = new ArrayList<>();
    for (SurveyDefinition survey : catalog.openNow()) {
      if (!survey.channels().web()) {
        continue;
      }
      Map<String, Object> s = new HashMap<>();
      s.put("url", "/surveys/" + survey.id() + "?lang=" + lang);
      putText(s, "title", survey.title(), lang, survey.defaultLanguage());
      if (survey.description() != null) {
        putText(s, "description", survey.description(), lang, survey.defaultLanguage());
      }
      surveys.add(s);
    }
    Map<String, Object> model = layout(ctx, lang, messages.get(lang, "list.title"), "/");
    model.put("surveys", surveys);
    model.put("none", surveys.isEmpty());
    model.put("intro", messages.get(lang, "list.intro"));
    model.put("noneText", messages.get(lang, "list.none"));
    html(ctx, 200, "list", model);
  }

  public void page(RoutingContext ctx) {
    SurveyDefinition survey = openWebSurvey(ctx);
    int number = pageNumber(ctx, survey);
    String token = formToken(ctx, survey);
    drafts.find(token)
        .onSuccess(draft -> {
          if (draft != null && draft.submitted()) {
            // Those answers were sent: coming back starts a new, empty form with a new token.
            ctx.response().addCookie(formCookie(survey, randomToken()));
            draft = null;
          }
          String lang = surveyLanguage(ctx, survey, draft);
          Map<String, Object> values = draft == null ? Map.of() : draft.answers();
          renderPage(ctx, 200, survey, number, lang, values, List.of());
        })
        .onFailure(ctx::fail);
  }

  public void submitPage(RoutingContext ctx) {
    SurveyDefinition survey = openWebSurvey(ctx);
    int number = pageNumber(ctx, survey);
    requireCsrf(ctx);
    String token = formToken(ctx, survey);
    if (isBot(ctx)) {
      redirect(ctx, "/surveys/" + survey.id() + "/done");
      return;
    }
    drafts.find(token).compose(existing -> {
      String lang = surveyLanguage(ctx, survey, existing);
      FormDraft draft;
      if (existing == null) {
        draft = FormDraft.start(token, survey.id(), lang);
      } else if (existing.submitted()) {
        // A page of a form already sent: these answers start a new response, never edit the old one.
        String fresh = randomToken();
        ctx.response().addCookie(formCookie(survey, fresh));
        draft = FormDraft.start(fresh, survey.id(), lang).withAnswers(existing.answers(), lang);
      } else {
        draft = existing;
      }
      SurveyPages.Page page = pagesOf(survey).get(number - 1);
      Map<String, Object> raw = new LinkedHashMap<>();
      for (Question q : page.questions()) {
        raw.put(q.id(), QuestionView.rawAnswer(q, ctx.request().formAttributes().getAll(q.id())));
      }
      Map<String, Object> earlier = new LinkedHashMap<>(draft.answers());
      page.questions().forEach(q -> earlier.remove(q.id()));
      AnswerValidator.Result result = validator.validatePart(page.questions(), earlier, raw);
      if (!result.valid()) {
        renderPage(ctx, 422, survey, number, lang, raw, result.errors());
        return Future.succeededFuture();
      }
      earlier.putAll(result.answers());
      Map<String, Object> applicable = AnswerValidator.applicable(survey, earlier);
      return drafts.save(draft.withAnswers(applicable, lang))
          .onSuccess(v -> redirect(ctx, nextUrl(survey, number, applicable)));
    }).onFailure(ctx::fail);
  }

  public void check(RoutingContext ctx) {
    SurveyDefinition survey = openWebSurvey(ctx);
    drafts.find(formToken(ctx, survey))
        .onSuccess(draft -> renderCheck(ctx, 200, survey, draft, List.of()))
        .onFailure(ctx::fail);
  }

  public void submit(RoutingContext ctx) {
    SurveyDefinition survey = openWebSurvey(ctx);
    requireCsrf(ctx);
    String token = formToken(ctx, survey);
    String done = "/surveys/" + survey.id() + "/done";
    if (isBot(ctx)) {
      redirect(ctx, done);
      return;
    }
    drafts.find(token).compose(draft -> {
      if (draft == null) {
        renderNotice(ctx, 400, surveyLanguage(ctx, survey, null), messages.get(surveyLanguage(ctx, survey, null),
            "expired"), "/surveys/" + survey.id());
        return Future.succeededFuture();
      }
      if (draft.submitted()) {
        redirect(ctx, done);
        return Future.succeededFuture();
      }
      Submission submission = new Submission(survey.id(), Channel.WEB, token, draft.language(),
          AnswerValidator.applicable(survey, draft.answers()), Map.of());
      return responses.submit(submission)
          .compose(result -> drafts.save(draft.submittedAs(result.responseId())))
          .onSuccess(v -> redirect(ctx, done))
          .recover(error -> {
            if (error instanceof HeardException.Invalid invalid) {
              renderCheck(ctx, 422, survey, draft, invalid.fieldErrors());
              return Future.succeededFuture();
            }
            if (error instanceof HeardException.Unavailable) {
              // Nothing could take the answers: show them again, kept, with a way to try again.
              renderCheck(ctx, 503, survey, draft, List.of(new FieldError("", UNAVAILABLE, "")));
              return Future.succeededFuture();
            }
            return Future.failedFuture(error);
          });
    }).onFailure(ctx::fail);
  }

  public void done(RoutingContext ctx) {
    SurveyDefinition survey = catalog.find(ctx.pathParam("surveyId")).orElseThrow(() -> unknownSurvey());
    String lang = surveyLanguage(ctx, survey, null);
    Map<String, Object> model = layout(ctx, lang, messages.get(lang, "done.title"), ctx.request().path());
    model.put("next", messages.get(lang, "done.next"));
    model.put("ysdUrl", "/you-said-we-did?lang=" + lang);
    model.put("ysdLink", messages.get(lang, "done.link"));
    html(ctx, 200, "done", model);
  }

  /** The public "you said, we did" page: published actions by survey and theme, in the resident's language. */
  public void youSaidWeDid(RoutingContext ctx) {
    String lang = interfaceLanguage(ctx, null);
    actions.published().onFailure(ctx::fail).onSuccess(published -> {
      Map<String, Object> model = layout(ctx, lang, messages.get(lang, "ysd.title"), "/you-said-we-did");
      model.put("intro", messages.get(lang, "ysd.intro"));
      model.put("none", messages.get(lang, "ysd.none"));
      Map<String, List<Map<String, Object>>> bySurvey = new LinkedHashMap<>();
      Map<String, String> titles = new LinkedHashMap<>();
      for (JsonObject action : published) {
        SurveyDefinition survey = catalog.find(action.getString("surveyId")).orElse(null);
        if (survey == null) {
          continue;
        }
        LocalizedText.Localized title = survey.title().in(lang, survey.defaultLanguage());
        titles.put(survey.id(), title.text());
        JsonObject summaries = action.getJsonObject("summaries", new JsonObject());
        String summaryLanguage = summaries.containsKey(lang) ? lang
            : summaries.containsKey(survey.defaultLanguage()) ? survey.defaultLanguage()
            : summaries.fieldNames().stream().findFirst().orElse(lang);
        Map<String, Object> row = new HashMap<>();
        row.put("theme", action.getString("themeLabel", ""));
        row.put("summary", summaries.getString(summaryLanguage, ""));
        row.put("summaryLang", summaryLanguage.equals(lang) ? null : summaryLanguage);
        row.put("status", messages.get(lang, "ysd.status." + action.getString("status")));
        row.put("agency", action.getString("agency"));
        row.put("date", action.getString("date"));
        row.put("statusLabel", messages.get(lang, "ysd.statusLabel"));
        row.put("byLabel", messages.get(lang, "ysd.by"));
        bySurvey.computeIfAbsent(survey.id(), k -> new ArrayList<>()).add(row);
      }
      List<Map<String, Object>> surveys = new ArrayList<>();
      bySurvey.forEach((id, rows) -> surveys.add(Map.of("title", titles.get(id), "actions", rows)));
      model.put("surveys", surveys);
      model.put("hasActions", !surveys.isEmpty());
      html(ctx, 200, "you-said-we-did", model);
    });
  }

  /** An error as a page for people, in their language, with the problem's plain-English detail. */
  public String errorPage(RoutingContext ctx, Problem problem) {
    String lang = interfaceLanguage(ctx, null);
    String text = problem.type().equals("csrf") ? messages.get(lang, "csrf") : problem.detail();
    Map<String, Object> model = layout(ctx, lang, problem.title(), ctx.normalizedPath());
    model.put("text", text);
    model.put("linkUrl", "/?lang=" + lang);
    return templates.render("notice", model);
  }

  // ------------------------------------------------------------------ rendering

  private void renderPage(RoutingContext ctx, int status, SurveyDefinition survey, int number, String lang,
      Map<String, Object> values, List<FieldError> errors) {
    List<SurveyPages.Page> pages = pagesOf(survey);
    SurveyPages.Page page = pages.get(number - 1);
    String fallback = survey.defaultLanguage();
    Map<String, String> errorByQuestion = errorTexts(survey, lang, errors);
    Map<String, Object> model = layout(ctx, lang, survey.title().in(lang, fallback).text(),
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
    model.put("pageOf", messages.get(lang, "page.of", number, pages.size()));
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
    html(ctx, status, "page", model);
  }

  private void renderCheck(RoutingContext ctx, int status, SurveyDefinition survey, FormDraft draft,
      List<FieldError> errors) {
    String lang = surveyLanguage(ctx, survey, draft);
    String fallback = survey.defaultLanguage();
    Map<String, Object> answers = draft == null ? Map.of() : AnswerValidator.applicable(survey, draft.answers());
    Map<String, Object> model = layout(ctx, lang, messages.get(lang, "check.title"),
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
    html(ctx, status, "check", model);
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

  private Map<String, Object> layout(RoutingContext ctx, String lang, String title, String path) {
    Map<String, Object> model = new HashMap<>();
    model.put("lang", lang);
    model.put("title", title);
    model.put("partnership", catalog.partnership().name());
    model.put("csrf", csrfToken(ctx));
    model.put("honeypot", HONEYPOT_FIELD);
    model.put("back", messages.get(lang, "back"));
    model.put("skip", messages.get(lang, "skip"));
    model.put("homeUrl", "/?lang=" + lang);
    String other = messages.get(lang, "lang.switch.code");
    model.put("switchLang", other);
    model.put("switchLabel", messages.get(lang, "lang.switch"));
    model.put("switchUrl", path.replaceAll("#.*", "") + "?lang=" + other);
    return model;
  }

  private void renderNotice(RoutingContext ctx, int status, String lang, String text, String linkUrl) {
    Map<String, Object> model = layout(ctx, lang, text, ctx.request().path());
    model.put("text", text);
    model.put("linkUrl", linkUrl);
    html(ctx, status, "notice", model);
  }

  private void html(RoutingContext ctx, int status, String template, Map<String, Object> model) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(templates.render(template, model));
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }

  private static void putText(Map<String, Object> model, String key, LocalizedText text, String lang, String fallback) {
    LocalizedText.Localized localized = text.in(lang, fallback);
    model.put(key, localized.text());
    model.put(key + "Lang", QuestionView.langIfDifferent(localized.language(), lang));
  }

  // ------------------------------------------------------------------ state

  private SurveyDefinition openWebSurvey(RoutingContext ctx) {
    SurveyDefinition survey = catalog.find(ctx.pathParam("surveyId")).orElseThrow(() -> unknownSurvey());
    if (!survey.channels().web() || !survey.isOpenNow(catalog.partnership().timezone())) {
      throw new HeardException.Conflict("survey-not-open", "This survey is not taking answers on the web now.");
    }
    return survey;
  }

  private static HeardException unknownSurvey() {
    return new HeardException.NotFound("unknown-survey", "There is no such survey.");
  }

  private int pageNumber(RoutingContext ctx, SurveyDefinition survey) {
    String raw = ctx.pathParam("page");
    int pages = pagesOf(survey).size();
    if (raw == null) {
      return 1;
    }
    if (!raw.matches("\\d{1,3}") || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > pages) {
      throw new HeardException.NotFound("unknown-page", "This survey has no such page.");
    }
    return Integer.parseInt(raw);
  }

  /** The next page with at least one question that applies, else check your answers. */
  private String nextUrl(SurveyDefinition survey, int number, Map<String, Object> answers) {
    List<SurveyPages.Page> pages = pagesOf(survey);
    for (int i = number; i < pages.size(); i++) {
      boolean applies = pages.get(i).questions().stream().anyMatch(q -> q.isAskedGiven(answers));
      if (applies) {
        return "/surveys/" + survey.id() + "/page/" + (i + 1);
      }
    }
    return "/surveys/" + survey.id() + "/check";
  }

  private String interfaceLanguage(RoutingContext ctx, String preferred) {
    String asked = ctx.request().getParam("lang");
    if (asked != null && messages.supports(asked)) {
      ctx.response().addCookie(cookie(LANG_COOKIE, asked, "/").setMaxAge(365L * 24 * 3600));
      return asked;
    }
    Cookie kept = ctx.request().getCookie(LANG_COOKIE);
    if (kept != null && messages.supports(kept.getValue())) {
      return kept.getValue();
    }
    return preferred != null ? preferred : Messages.DEFAULT_LANGUAGE;
  }

  /** The language of a survey page: asked for (and offered), else the draft's, else the kept one. */
  private String surveyLanguage(RoutingContext ctx, SurveyDefinition survey, FormDraft draft) {
    String asked = ctx.request().getParam("lang");
    if (asked != null && survey.languages().contains(asked)) {
      return interfaceLanguage(ctx, asked);
    }
    if (draft != null && asked == null) {
      return draft.language();
    }
    String chosen = interfaceLanguage(ctx, survey.defaultLanguage());
    return survey.languageOrDefault(chosen);
  }

  private String formToken(RoutingContext ctx, SurveyDefinition survey) {
    Cookie existing = ctx.request().getCookie(formCookieName(survey));
    if (existing != null && existing.getValue().matches("[A-Za-z0-9_-]{22}")) {
      return existing.getValue();
    }
    String token = randomToken();
    ctx.response().addCookie(formCookie(survey, token));
    return token;
  }

  private Cookie formCookie(SurveyDefinition survey, String token) {
    return cookie(formCookieName(survey), token, "/surveys/" + survey.id());
  }

  private static String formCookieName(SurveyDefinition survey) {
    return "heard_form_" + survey.id().replace('-', '_');
  }

  private String csrfToken(RoutingContext ctx) {
    Object known = ctx.get(CSRF_COOKIE);
    if (known != null) {
      return (String) known;
    }
    Cookie existing = ctx.request().getCookie(CSRF_COOKIE);
    String token = existing != null && existing.getValue().matches("[A-Za-z0-9_-]{22}") ? existing.getValue() : null;
    if (token == null) {
      token = randomToken();
      ctx.response().addCookie(cookie(CSRF_COOKIE, token, "/"));
    }
    ctx.put(CSRF_COOKIE, token);
    return token;
  }

  /** Double-submit check: the form's hidden token must equal the cookie set with the form. */
  private static void requireCsrf(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(CSRF_COOKIE);
    String field = ctx.request().getFormAttribute(CSRF_FIELD);
    boolean ok = cookie != null && SecretTokens.same(cookie.getValue(), field);
    if (!ok) {
      throw new HeardException.Forbidden("csrf", "This form has expired or was sent from another site. Go back and try again.");
    }
  }

  private static boolean isBot(RoutingContext ctx) {
    String trap = ctx.request().getFormAttribute(HONEYPOT_FIELD);
    return trap != null && !trap.isEmpty();
  }

  private Cookie cookie(String name, String value, String path) {
    return Cookie.cookie(name, value).setPath(path).setHttpOnly(true).setSecure(https)
        .setSameSite(CookieSameSite.LAX);
  }

  private static String randomToken() {
    return SecretTokens.random(16);
  }
}
