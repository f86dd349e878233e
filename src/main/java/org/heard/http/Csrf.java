package org.heard.http;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import org.heard.auth.SecretTokens;
import org.heard.error.HeardException;

/**
 * The one CSRF check: a POSTed form must carry, in its {@value #FIELD} field, a token the site gave
 * this browser. Signed-in staff carry their session's token ({@link #requireToken}); forms shown to
 * people who are not signed in (the residents' forms, the sign-in page) use a double-submit token
 * kept in a cookie of this class's making.
 */
public final class Csrf {
  public static final String FIELD = "csrf";
  private static final String WELL_FORMED = "[A-Za-z0-9_-]{22,32}";

  private final String cookieName;
  private final String path;
  private final CookieSameSite sameSite;
  private final boolean https;

  /** A double-submit token in cookie {@code cookieName}, sent only to {@code path}. */
  public Csrf(String cookieName, String path, CookieSameSite sameSite, boolean https) {
    this.cookieName = cookieName;
    this.path = path;
    this.sameSite = sameSite;
    this.https = https;
  }

  /** The token to put in this request's form: the browser's own, else a new one (set as a cookie now). */
  public String token(RoutingContext ctx) {
    Object known = ctx.get(cookieName);
    if (known != null) {
      return (String) known;
    }
    Cookie existing = ctx.request().getCookie(cookieName);
    String token = existing != null && existing.getValue().matches(WELL_FORMED) ? existing.getValue() : null;
    if (token == null) {
      token = SecretTokens.random(16);
      ctx.response().addCookie(Cookie.cookie(cookieName, token).setPath(path).setHttpOnly(true).setSecure(Https.of(ctx, https))
          .setSameSite(sameSite));
    }
    ctx.put(cookieName, token);
    return token;
  }

  /** Whether the POSTed form carries the token of this browser's cookie. */
  public boolean sent(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(cookieName);
    return cookie != null && carries(ctx, cookie.getValue());
  }

  /** Fails the request with 403 unless the POSTed form carries the token of this browser's cookie. */
  public void require(RoutingContext ctx) {
    if (!sent(ctx)) {
      throw refused();
    }
  }

  /** Fails with 403 unless the POSTed form carries {@code expected} (a signed-in session's token). */
  public static void requireToken(RoutingContext ctx, String expected) {
    if (!carries(ctx, expected)) {
      throw refused();
    }
  }

  private static boolean carries(RoutingContext ctx, String expected) {
    return expected != null && SecretTokens.same(expected, ctx.request().getFormAttribute(FIELD));
  }

  private static HeardException refused() {
    return new HeardException.Forbidden("csrf",
        "This form has expired or was sent from another site. Go back, reload the page and try again.");
  }
}
