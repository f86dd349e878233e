package org.heard.webform;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import org.heard.auth.SecretTokens;
import org.heard.http.PublicPages;
import org.heard.survey.SurveyDefinition;

/**
 * What a resident's browser carries between pages: the form token (a cookie per survey, which names
 * the draft and becomes the response's idempotency key), the chosen language, and the bot trap.
 */
final class FormState {
  private final PublicPages pages;

  FormState(PublicPages pages) {
    this.pages = pages;
  }

  /** The language of a survey page: asked for (and offered), else the draft's, else the kept one. */
  String surveyLanguage(RoutingContext ctx, SurveyDefinition survey, FormDraft draft) {
    String asked = ctx.request().getParam("lang");
    if (asked != null && survey.languages().contains(asked)) {
      return pages.interfaceLanguage(ctx, asked);
    }
    if (draft != null && asked == null) {
      return draft.language();
    }
    String chosen = pages.interfaceLanguage(ctx, survey.defaultLanguage());
    return survey.languageOrDefault(chosen);
  }

  String formToken(RoutingContext ctx, SurveyDefinition survey) {
    Cookie existing = ctx.request().getCookie(formCookieName(survey));
    if (existing != null && existing.getValue().matches("[A-Za-z0-9_-]{22}")) {
      return existing.getValue();
    }
    String token = randomToken();
    ctx.response().addCookie(formCookie(ctx, survey, token));
    return token;
  }

  Cookie formCookie(RoutingContext ctx, SurveyDefinition survey, String token) {
    return pages.cookie(ctx, formCookieName(survey), token, "/surveys/" + survey.id());
  }

  static String formCookieName(SurveyDefinition survey) {
    return "heard_form_" + survey.id().replace('-', '_');
  }

  static boolean isBot(RoutingContext ctx) {
    String trap = ctx.request().getFormAttribute(PublicPages.HONEYPOT_FIELD);
    return trap != null && !trap.isEmpty();
  }

  static String randomToken() {
    return SecretTokens.random(16);
  }
}
