package org.heard.http;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heard.i18n.Messages;

/**
 * The residents' side of the site: the shared page layout (partnership, language switch, CSRF token,
 * the bot trap), the interface language a person chose (kept in a cookie), rendering, and the error
 * page for people. Every public page, whichever feature serves it, looks and behaves the same.
 */
public final class PublicPages {
  /** A field people never see; naive bots fill every field. */
  public static final String HONEYPOT_FIELD = "website";
  static final String LANG_COOKIE = "heard_lang";
  static final String CSRF_COOKIE = "heard_csrf";

  private final Templates templates;
  private final Messages messages;
  private final String partnership;
  private final boolean https;
  private final Csrf csrf;

  public PublicPages(Templates templates, Messages messages, String partnership, boolean https) {
    this.templates = templates;
    this.messages = messages;
    this.partnership = partnership;
    this.https = https;
    this.csrf = new Csrf(CSRF_COOKIE, "/", CookieSameSite.LAX, https);
  }

  public Messages messages() {
    return messages;
  }

  /** The CSRF check of the residents' forms. */
  public Csrf csrf() {
    return csrf;
  }

  /** The model every public page starts from, offering every language Heard speaks. */
  public Map<String, Object> layout(RoutingContext ctx, String lang, String title, String path) {
    return layout(ctx, lang, title, path, messages.languages());
  }

  /**
   * The model every public page starts from: {@code offered} are the languages the page can be
   * read in (a survey's own), each linked under its own name; right-to-left ones get {@code dir}.
   */
  public Map<String, Object> layout(RoutingContext ctx, String lang, String title, String path, List<String> offered) {
    Map<String, Object> model = new HashMap<>();
    model.put("lang", lang);
    model.put("dir", messages.isRightToLeft(lang) ? "rtl" : "ltr");
    model.put("title", title);
    model.put("partnership", partnership);
    model.put("csrf", csrf.token(ctx));
    model.put("honeypot", HONEYPOT_FIELD);
    model.put("back", messages.get(lang, "back"));
    model.put("skip", messages.get(lang, "skip"));
    model.put("homeUrl", "/?lang=" + lang);
    model.put("langLabel", messages.get(lang, "lang.label"));
    String plainPath = path.replaceAll("[?#].*", "");
    List<Map<String, Object>> languages = new ArrayList<>();
    for (String code : offered) {
      if (messages.supports(code)) {
        languages.add(Map.of("code", code, "name", messages.name(code), "url", plainPath + "?lang=" + code,
            "current", code.equals(lang)));
      }
    }
    model.put("languages", languages);
    model.put("hasLanguages", languages.size() > 1);
    return model;
  }

  /** The language Heard's own words are shown in: asked for (and kept), else kept, else {@code preferred}. */
  public String interfaceLanguage(RoutingContext ctx, String preferred) {
    String asked = ctx.request().getParam("lang");
    if (asked != null && messages.supports(asked)) {
      ctx.response().addCookie(cookie(ctx, LANG_COOKIE, asked, "/").setMaxAge(365L * 24 * 3600));
      return asked;
    }
    Cookie kept = ctx.request().getCookie(LANG_COOKIE);
    if (kept != null && messages.supports(kept.getValue())) {
      return kept.getValue();
    }
    return preferred != null ? preferred : Messages.DEFAULT_LANGUAGE;
  }

  /** A cookie of the residents' site: HTTP only, secure over HTTPS, sent on same-site navigation. */
  public Cookie cookie(RoutingContext ctx, String name, String value, String path) {
    return Cookie.cookie(name, value).setPath(path).setHttpOnly(true).setSecure(Https.of(ctx, https))
        .setSameSite(CookieSameSite.LAX);
  }

  public void html(RoutingContext ctx, int status, String template, Map<String, Object> model) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(templates.render(template, model));
  }

  /** A short page that says one thing, with a link on. */
  public void notice(RoutingContext ctx, int status, String lang, String text, String linkUrl) {
    Map<String, Object> model = layout(ctx, lang, text, ctx.request().path());
    model.put("text", text);
    model.put("linkUrl", linkUrl);
    html(ctx, status, "notice", model);
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

  /** After a successful POST: 303, so a reload never posts the form again. */
  public static void seeOther(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }
}
