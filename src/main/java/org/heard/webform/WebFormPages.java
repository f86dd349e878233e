package org.heard.webform;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.ClientAddress;
import org.heard.http.HttpVerticle;
import org.heard.http.PublicPages;
import org.heard.i18n.Messages;
import org.heard.response.AnswerValidator;
import org.heard.response.Channel;
import org.heard.response.ResponseService;
import org.heard.response.Submission;
import org.heard.sms.TextBack;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
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
  /** A form is read (and its first {@link #MAX_BODY_BYTES} kept) up to this size, refused above it. */
  public static final long MAX_DRAINED_BYTES = 16L * MAX_BODY_BYTES;

  private final SurveyCatalog catalog;
  private final Messages messages;
  private final PublicPages pages;
  private final DraftStore drafts;
  private final ResponseService responses;
  private final AnswerValidator validator;
  private final FormState state;
  private final FormViews views;
  private final FormLimits limits;
  private final TextBack textBack;

  public WebFormPages(SurveyCatalog catalog, PublicPages pages, DraftStore drafts, ResponseService responses,
      TextBack textBack, FormLimits limits) {
    this.limits = limits;
    this.textBack = textBack;
    this.catalog = catalog;
    this.messages = pages.messages();
    this.pages = pages;
    this.drafts = drafts;
    this.responses = responses;
    this.validator = new AnswerValidator(catalog.partnership());
    this.state = new FormState(pages);
    this.views = new FormViews(catalog, pages, state, textBack);
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
            // Those answers were sent: Back and reload show that, never an empty form to send again.
            PublicPages.seeOther(ctx, doneUrl(survey));
            return;
          }
          String lang = state.surveyLanguage(ctx, survey, draft);
          boolean fromCheck = ctx.request().params().contains("change");
          SurveyPages.Page page = views.pagesOf(survey).get(number - 1);
          Map<String, Object> earlier = earlierAnswers(draft, page);
          if (page.questions().stream().noneMatch(q -> q.isAskedGiven(earlier))) {
            // Reached by its address, a page whose questions do not apply leads on to one that does.
            PublicPages.seeOther(ctx, nextUrl(survey, number, earlier));
            return;
          }
          Map<String, Object> values = new LinkedHashMap<>();
          if (draft != null) {
            values.putAll(draft.aside());
            values.putAll(draft.answers());
            draft.contacts().forEach((qid, contact) -> values.put(qid + TextBack.PHONE_SUFFIX, textBack.shown(contact)));
          }
          views.renderPage(ctx, 200, survey, number, lang, new FormViews.PageState(values, earlier, fromCheck), List.of());
        })
        .onFailure(ctx::fail);
  }

  public void submitPage(RoutingContext ctx) {
    SurveyDefinition survey = openWebSurvey(ctx);
    int number = pageNumber(ctx, survey);
    pages.csrf().require(ctx);
    String token = state.formToken(ctx, survey);
    String address = ClientAddress.of(ctx);
    limits.post(token).onFailure(ctx::fail).onSuccess(allowed -> {
      if (!allowed) {
        ctx.fail(tooMany());
      } else if (state.isBot(ctx)) {
        PublicPages.seeOther(ctx, doneUrl(survey));
      } else {
        takePage(ctx, survey, number, token, address);
      }
    });
  }

  private void takePage(RoutingContext ctx, SurveyDefinition survey, int number, String token, String address) {
    drafts.find(token).compose(found -> found != null ? Future.succeededFuture(found)
        // A new form session counts against the address's budget before anything is kept.
        : limits.newForm(survey.id(), address).compose(allowed -> allowed ? Future.<FormDraft>succeededFuture(null)
            : Future.failedFuture(tooMany()))).compose(existing -> {
      if (existing != null && existing.submitted()) {
        PublicPages.seeOther(ctx, doneUrl(survey));
        return Future.succeededFuture();
      }
      String lang = state.surveyLanguage(ctx, survey, existing);
      FormDraft draft = existing == null ? FormDraft.start(token, survey.id(), lang) : existing;
      boolean fromCheck = "check".equals(ctx.request().getFormAttribute("from"));
      SurveyPages.Page page = views.pagesOf(survey).get(number - 1);
      Map<String, Object> raw = new LinkedHashMap<>();
      for (Question q : page.questions()) {
        raw.put(q.id(), QuestionView.rawAnswer(q, ctx.request().formAttributes().getAll(q.id()), lang));
      }
      Map<String, Object> earlier = earlierAnswers(draft, page);
      Map<String, Object> aside = new LinkedHashMap<>(draft.aside());
      page.questions().forEach(q -> aside.remove(q.id()));
      Revealed.takeTypedAnswers(page, earlier, raw, aside);
      AnswerValidator.Result result = validator.validatePart(page.questions(), earlier, raw);
      List<FieldError> errors = new ArrayList<>(Revealed.withoutFollowOnErrors(page, result.errors()));
      Map<String, TextBack.Contact> contacts = new LinkedHashMap<>(draft.contacts());
      Map<String, Object> typedNumbers = readNumbers(ctx, page, raw, contacts, errors);
      if (!errors.isEmpty()) {
        Map<String, Object> shown = new LinkedHashMap<>(raw);
        shown.putAll(typedNumbers);
        views.renderPage(ctx, 422, survey, number, lang, new FormViews.PageState(shown, earlier, fromCheck), errors);
        return Future.succeededFuture();
      }
      earlier.putAll(result.answers());
      Map<String, Object> applicable = AnswerValidator.applicable(survey, earlier);
      Set<String> seen = new LinkedHashSet<>(draft.seen());
      page.questions().forEach(q -> seen.add(q.id()));
      // A question that no longer applies is unseen again: if it comes back, it is asked again.
      survey.questions().stream().filter(q -> !q.isAskedGiven(applicable)).forEach(q -> seen.remove(q.id()));
      String next = fromCheck ? nextChangedUrl(survey, number, applicable, seen) : nextUrl(survey, number, applicable);
      // A number is kept only with a yes that still applies.
      contacts.keySet().removeIf(qid -> !Boolean.TRUE.equals(applicable.get(qid)));
      return drafts.save(draft.withAnswers(applicable, lang).withProgress(seen, aside, contacts))
          .onSuccess(v -> PublicPages.seeOther(ctx, next));
    }).onFailure(ctx::fail);
  }

  /**
   * Reads the number typed with each consent question of the page answered yes into {@code contacts}
   * (one answered no, or not at all, keeps none: a number typed with it is dropped), adding an error
   * for a yes without a usable number. Returns what was typed, to show again with the errors.
   */
  private Map<String, Object> readNumbers(RoutingContext ctx, SurveyPages.Page page, Map<String, Object> raw,
      Map<String, TextBack.Contact> contacts, List<FieldError> errors) {
    Map<String, Object> typed = new LinkedHashMap<>();
    for (Question q : page.questions()) {
      if (q.type() != QuestionType.CONSENT) {
        continue;
      }
      contacts.remove(q.id());
      String field = q.id() + TextBack.PHONE_SUFFIX;
      String number = ctx.request().getFormAttribute(field);
      if (!Boolean.TRUE.equals(raw.get(q.id()))) {
        continue;
      }
      typed.put(field, number == null ? "" : number);
      TextBack.Reading reading = textBack.read(number);
      if (reading.ok()) {
        contacts.put(q.id(), reading.contact());
      } else {
        errors.add(new FieldError(field, reading.problem(), reading.problem()));
      }
    }
    return typed;
  }

  public void check(RoutingContext ctx) {
    SurveyDefinition survey = openWebSurvey(ctx);
    drafts.find(state.formToken(ctx, survey))
        .onSuccess(draft -> {
          if (draft != null && draft.submitted()) {
            PublicPages.seeOther(ctx, doneUrl(survey));
          } else {
            views.renderCheck(ctx, 200, survey, draft, List.of());
          }
        })
        .onFailure(ctx::fail);
  }

  public void submit(RoutingContext ctx) {
    SurveyDefinition survey = openWebSurvey(ctx);
    pages.csrf().require(ctx);
    String token = state.formToken(ctx, survey);
    limits.post(token).onFailure(ctx::fail).onSuccess(allowed -> {
      if (!allowed) {
        ctx.fail(tooMany());
      } else if (state.isBot(ctx)) {
        PublicPages.seeOther(ctx, doneUrl(survey));
      } else {
        send(ctx, survey, token);
      }
    });
  }

  private void send(RoutingContext ctx, SurveyDefinition survey, String token) {
    drafts.find(token).compose(draft -> {
      if (draft == null) {
        String lang = state.surveyLanguage(ctx, survey, null);
        pages.notice(ctx, 400, lang, messages.get(lang, "expired"), "/surveys/" + survey.id());
        return Future.succeededFuture();
      }
      if (draft.submitted()) {
        PublicPages.seeOther(ctx, doneUrl(survey));
        return Future.succeededFuture();
      }
      return limits.send(survey.id()).compose(allowed -> {
        if (!allowed) {
          views.renderCheck(ctx, 429, survey, draft, List.of(new FieldError("", FormViews.BUSY, "")));
          return Future.succeededFuture();
        }
        return store(ctx, survey, token, draft);
      });
    }).onFailure(ctx::fail);
  }

  /** Stores the checked answers of {@code draft} as a response and shows the confirmation. */
  private Future<Void> store(RoutingContext ctx, SurveyDefinition survey, String token, FormDraft draft) {
    Map<String, Object> answers = AnswerValidator.applicable(survey, draft.answers());
    TextBack.Contact contact = TextBack.consented(answers, draft.contacts());
    // The response carries the number's respondent key (never the number): an erasure by number finds it.
    Submission submission = new Submission(survey.id(), Channel.WEB, token, draft.language(), answers,
        contact == null ? Map.of() : Map.of("respondentKey", contact.respondentKey()));
    return responses.submit(submission)
        .compose(result -> (contact == null ? Future.<Void>succeededFuture()
            : textBack.record(contact, survey.id(), draft.language())).map(result))
        .compose(result -> drafts.save(draft.submittedAs(result.responseId()))
            .compose(v -> sentMarker(ctx, survey, draft.language(), result.responseId())))
        .onSuccess(v -> PublicPages.seeOther(ctx, doneUrl(survey)))
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
  }

  public void done(RoutingContext ctx) {
    SurveyDefinition survey = catalog.find(ctx.pathParam("surveyId")).orElseThrow(() -> unknownSurvey());
    views.renderDone(ctx, survey, state.surveyLanguage(ctx, survey, null));
  }

  /** Someone else at the same browser (a library, an outreach worker's tablet) starts a new form. */
  public void again(RoutingContext ctx) {
    SurveyDefinition survey = openWebSurvey(ctx);
    ctx.response().addCookie(state.formCookie(ctx, survey, FormState.randomToken()));
    PublicPages.seeOther(ctx, "/surveys/" + survey.id());
  }

  /**
   * After sending, the browser holds a new form token whose draft says "sent". The cookie changes,
   * so the browser will not show its stored copy of a form page on Back (Chromium keeps no-store
   * pages in its back-forward cache until a cookie changes): the page is asked for again, and the
   * server answers with the confirmation.
   */
  private Future<Void> sentMarker(RoutingContext ctx, SurveyDefinition survey, String lang, String responseId) {
    String marker = FormState.randomToken();
    ctx.response().addCookie(state.formCookie(ctx, survey, marker));
    return drafts.save(FormDraft.start(marker, survey.id(), lang).submittedAs(responseId))
        .recover(error -> Future.succeededFuture());
  }

  private static String doneUrl(SurveyDefinition survey) {
    return "/surveys/" + survey.id() + "/done";
  }

  private static HeardException tooMany() {
    return new HeardException.TooManyRequests("Too many forms were sent from here in a short time. "
        + "Please wait a minute, then go back and send the page again.");
  }

  /** The draft's answers to questions on other pages: they decide which questions on this one apply. */
  private static Map<String, Object> earlierAnswers(FormDraft draft, SurveyPages.Page page) {
    Map<String, Object> earlier = new LinkedHashMap<>(draft == null ? Map.of() : draft.answers());
    page.questions().forEach(q -> earlier.remove(q.id()));
    return earlier;
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

  /**
   * {@code GET /staff/surveys/{id}/preview/page/{n}?lang=} (staff): the page as a resident sees it,
   * every question shown, whether or not the survey is open; it sends nothing.
   */
  public void previewPage(RoutingContext ctx) {
    SurveyDefinition survey = catalog.require(ctx.pathParam("surveyId"));
    String lang = survey.languageOrDefault(ctx.request().getParam("lang"));
    views.renderPage(ctx, 200, survey, pageNumber(ctx, survey), lang,
        new FormViews.PageState(Map.of(), Map.of(), false, true), List.of());
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

  /**
   * After a change made from check your answers: the next later page with a question the resident
   * has not been shown that now applies (the change made it apply), else back to check your answers.
   */
  private String nextChangedUrl(SurveyDefinition survey, int number, Map<String, Object> answers, Set<String> seen) {
    List<SurveyPages.Page> pages = views.pagesOf(survey);
    for (int i = number; i < pages.size(); i++) {
      boolean newlyApplies = pages.get(i).questions().stream()
          .anyMatch(q -> !seen.contains(q.id()) && q.isAskedGiven(answers));
      if (newlyApplies) {
        return "/surveys/" + survey.id() + "/page/" + (i + 1) + "?change";
      }
    }
    return "/surveys/" + survey.id() + "/check";
  }
}
