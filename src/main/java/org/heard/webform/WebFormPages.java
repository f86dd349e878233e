package org.heard.webform;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.HttpVerticle;
import org.heard.http.PublicPages;
import org.heard.i18n.Messages;
import org.heard.response.AnswerValidator;
import org.heard.response.Channel;
import org.heard.response.ResponseService;
import org.heard.response.Submission;
import org.heard.survey.Question;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyPages;

/**
 * The residents' web channel, server-rendered so it works with JavaScript off: the survey list,
 * one form page per {@link SurveyPages.Page}, check your answers, and the confirmation. Answers
 * accepted page by page are kept in a {@link FormDraft} named by a random form token (a cookie),
 * which becomes the response's idempotency key, so a double-click or re-sent submit stores one.
 */
public final class WebFormPages {
  /**
   * A page of answers is a few KB, but a text answer may be long: 10,000 characters of emoji are
   * 120 KB form-encoded, and one longer than its question allows must still reach the validator, to
   * come back on the form with the limit named rather than be refused unread.
   */
  public static final int MAX_BODY_BYTES = HttpVerticle.MAX_FORM_BYTES;

  private final SurveyCatalog catalog;
  private final Messages messages;
  private final PublicPages pages;
  private final DraftStore drafts;
  private final ResponseService responses;
  private final AnswerValidator validator;
  private final FormState state;
  private final FormViews views;

  public WebFormPages(SurveyCatalog catalog, PublicPages pages, DraftStore drafts, ResponseService responses) {
    this.catalog = catalog;
    this.messages = pages.messages();
    this.pages = pages;
    this.drafts = drafts;
    this.responses = responses;
    this.validator = new AnswerValidator(catalog.partnership());
    this.state = new FormState(pages);
    this.views = new FormViews(catalog, pages, state);
  }

  public void list(RoutingContext ctx) {
    String lang = pages.interfaceLanguage(ctx, null);
    List<Map<String, Object>> surveys = new ArrayList<>();
    for (SurveyDefinition survey : catalog.openNow()) {
      if (!survey.channels().web()) {
        continue;
      }
      Map<String, Object> s = new HashMap<>();
      s.put("url", "/surveys/" + survey.id() + "?lang=" + lang);
      FormViews.putText(s, "title", survey.title(), lang, survey.defaultLanguage());
      if (survey.description() != null) {
        FormViews.putText(s, "description", survey.description(), lang, survey.defaultLanguage());
      }
      surveys.add(s);
    }
    Map<String, Object> model = pages.layout(ctx, lang, messages.get(lang, "list.title"), "/");
    model.put("surveys", surveys);
    model.put("none", surveys.isEmpty());
    model.put("intro", messages.get(lang, "list.intro"));
    model.put("noneText", messages.get(lang, "list.none"));
    pages.html(ctx, 200, "list", model);
  }

  public void page(RoutingContext ctx) {
    SurveyDefinition survey = openWebSurvey(ctx);
    int number = pageNumber(ctx, survey);
    String token = state.formToken(ctx, survey);
    drafts.find(token)
        .onSuccess(draft -> {
          if (draft != null && draft.submitted()) {
            // Those answers were sent: coming back starts a new, empty form with a new token.
            ctx.response().addCookie(state.formCookie(survey, FormState.randomToken()));
            draft = null;
          }
          String lang = state.surveyLanguage(ctx, survey, draft);
          Map<String, Object> values = draft == null ? Map.of() : draft.answers();
          views.renderPage(ctx, 200, survey, number, lang, values, List.of());
        })
        .onFailure(ctx::fail);
  }

  public void submitPage(RoutingContext ctx) {
    SurveyDefinition survey = openWebSurvey(ctx);
    int number = pageNumber(ctx, survey);
    pages.csrf().require(ctx);
    String token = state.formToken(ctx, survey);
    if (state.isBot(ctx)) {
      PublicPages.seeOther(ctx, "/surveys/" + survey.id() + "/done");
      return;
    }
    drafts.find(token).compose(existing -> {
      String lang = state.surveyLanguage(ctx, survey, existing);
      FormDraft draft;
      if (existing == null) {
        draft = FormDraft.start(token, survey.id(), lang);
      } else if (existing.submitted()) {
        // A page of a form already sent: these answers start a new response, never edit the old one.
        String fresh = FormState.randomToken();
        ctx.response().addCookie(state.formCookie(survey, fresh));
        draft = FormDraft.start(fresh, survey.id(), lang).withAnswers(existing.answers(), lang);
      } else {
        draft = existing;
      }
      SurveyPages.Page page = views.pagesOf(survey).get(number - 1);
      Map<String, Object> raw = new LinkedHashMap<>();
      for (Question q : page.questions()) {
        raw.put(q.id(), QuestionView.rawAnswer(q, ctx.request().formAttributes().getAll(q.id()), lang));
      }
      Map<String, Object> earlier = new LinkedHashMap<>(draft.answers());
      page.questions().forEach(q -> earlier.remove(q.id()));
      AnswerValidator.Result result = validator.validatePart(page.questions(), earlier, raw);
      if (!result.valid()) {
        views.renderPage(ctx, 422, survey, number, lang, raw, result.errors());
        return Future.succeededFuture();
      }
      earlier.putAll(result.answers());
      Map<String, Object> applicable = AnswerValidator.applicable(survey, earlier);
      return drafts.save(draft.withAnswers(applicable, lang))
          .onSuccess(v -> PublicPages.seeOther(ctx, nextUrl(survey, number, applicable)));
    }).onFailure(ctx::fail);
  }

  public void check(RoutingContext ctx) {
    SurveyDefinition survey = openWebSurvey(ctx);
    drafts.find(state.formToken(ctx, survey))
        .onSuccess(draft -> views.renderCheck(ctx, 200, survey, draft, List.of()))
        .onFailure(ctx::fail);
  }

  public void submit(RoutingContext ctx) {
    SurveyDefinition survey = openWebSurvey(ctx);
    pages.csrf().require(ctx);
    String token = state.formToken(ctx, survey);
    String done = "/surveys/" + survey.id() + "/done";
    if (state.isBot(ctx)) {
      PublicPages.seeOther(ctx, done);
      return;
    }
    drafts.find(token).compose(draft -> {
      if (draft == null) {
        pages.notice(ctx, 400, state.surveyLanguage(ctx, survey, null), messages.get(state.surveyLanguage(ctx, survey, null),
            "expired"), "/surveys/" + survey.id());
        return Future.succeededFuture();
      }
      if (draft.submitted()) {
        PublicPages.seeOther(ctx, done);
        return Future.succeededFuture();
      }
      Submission submission = new Submission(survey.id(), Channel.WEB, token, draft.language(),
          AnswerValidator.applicable(survey, draft.answers()), Map.of());
      return responses.submit(submission)
          .compose(result -> drafts.save(draft.submittedAs(result.responseId())))
          .onSuccess(v -> PublicPages.seeOther(ctx, done))
          .recover(error -> {
            if (error instanceof HeardException.Invalid invalid) {
              views.renderCheck(ctx, 422, survey, draft, invalid.fieldErrors());
              return Future.succeededFuture();
            }
            if (error instanceof HeardException.Unavailable) {
              // Nothing could take the answers: show them again, kept, with a way to try again.
              views.renderCheck(ctx, 503, survey, draft, List.of(new FieldError("", FormViews.UNAVAILABLE, "")));
              return Future.succeededFuture();
            }
            return Future.failedFuture(error);
          });
    }).onFailure(ctx::fail);
  }

  public void done(RoutingContext ctx) {
    SurveyDefinition survey = catalog.find(ctx.pathParam("surveyId")).orElseThrow(() -> unknownSurvey());
    String lang = state.surveyLanguage(ctx, survey, null);
    Map<String, Object> model = pages.layout(ctx, lang, messages.get(lang, "done.title"), ctx.request().path());
    model.put("next", messages.get(lang, "done.next"));
    model.put("ysdUrl", "/you-said-we-did?lang=" + lang);
    model.put("ysdLink", messages.get(lang, "done.link"));
    pages.html(ctx, 200, "done", model);
  }

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
    int pages = views.pagesOf(survey).size();
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
    List<SurveyPages.Page> pages = views.pagesOf(survey);
    for (int i = number; i < pages.size(); i++) {
      boolean applies = pages.get(i).questions().stream().anyMatch(q -> q.isAskedGiven(answers));
      if (applies) {
        return "/surveys/" + survey.id() + "/page/" + (i + 1);
      }
    }
    return "/surveys/" + survey.id() + "/check";
  }
}
