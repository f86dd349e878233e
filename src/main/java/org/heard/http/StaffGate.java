package org.heard.http;

import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.heard.auth.ApiTokens;
import org.heard.auth.Role;
import org.heard.auth.StaffAccount;
import org.heard.auth.StaffAccounts;
import org.heard.auth.StaffSessions;
import org.heard.auth.StaffUser;
import org.heard.error.HeardException;

/**
 * Who may pass: staff pages need a live session cookie, the staff API a bearer token, and both a role
 * the route allows (administrators pass everywhere). The account is read on every request, so a
 * disabled account or a changed role takes effect at once. State-changing page requests must also
 * carry the session's CSRF token.
 */
public final class StaffGate {
  public static final String SESSION_COOKIE = "heard_staff";
  private static final String USER = "staffUser";

  private final StaffSessions sessions;
  private final ApiTokens tokens;
  private final StaffAccounts accounts;
  private final boolean https;

  public StaffGate(StaffSessions sessions, ApiTokens tokens, StaffAccounts accounts, boolean https) {
    this.sessions = sessions;
    this.tokens = tokens;
    this.accounts = accounts;
    this.https = https;
  }

  /** The checked user of this request (after {@link #page} or {@link #api} let it through). */
  public static StaffUser user(RoutingContext ctx) {
    return ctx.get(USER);
  }

  /** Lets a signed-in user with one of {@code roles} through to the page; others to login or 403. */
  public void page(RoutingContext ctx, Set<Role> roles) {
    // The body is read only after the gate lets the request through: hold it while we look.
    ctx.request().pause();
    Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
    Future<Optional<StaffUser>> found = cookie == null ? Future.succeededFuture(Optional.empty())
        : sessions.find(cookie.getValue()).compose(session -> session.isEmpty()
            ? Future.succeededFuture(Optional.empty())
            : enabledAccount(session.get().accountId())
                .map(account -> account.map(a -> new StaffUser(a.id(), a.email(), a.role(), session.get().csrf()))));
    found.onFailure(error -> {
      ctx.request().resume();
      ctx.fail(error);
    }).onSuccess(user -> {
      if (user.isEmpty()) {
        ctx.request().resume();
        if (ctx.request().method() == HttpMethod.GET) {
          ctx.redirect("/staff/login?next=" + URLEncoder.encode(ctx.request().uri(), StandardCharsets.UTF_8));
        } else {
          ctx.fail(new HeardException.Unauthorized("not-signed-in",
              "You are not signed in (or your session ended). Sign in at /staff/login and try again."));
        }
        return;
      }
      pass(ctx, user.get(), roles);
    });
  }

  /** The token of an {@code Authorization: Bearer ...} header, or null when there is none. */
  public static String bearerToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
  }

  /** Lets a bearer token whose account has one of {@code roles} through to the API; others 401/403. */
  public void api(RoutingContext ctx, Set<Role> roles) {
    ctx.request().pause();
    String token = bearerToken(ctx);
    if (token == null) {
      ctx.request().resume();
      ctx.fail(new HeardException.Unauthorized("missing-token",
          "Send a staff API token as 'Authorization: Bearer <token>' (get one from POST /api/v1/auth/token)."));
      return;
    }
    tokens.accountOf(token)
        .compose(account -> account.isEmpty() ? Future.succeededFuture(Optional.<StaffAccount>empty())
            : enabledAccount(account.get()))
        .onFailure(error -> {
          ctx.request().resume();
          ctx.fail(error);
        })
        .onSuccess(account -> {
          if (account.isEmpty()) {
            ctx.request().resume();
            ctx.fail(new HeardException.Unauthorized("invalid-token",
                "This token is not valid: it expired, was revoked, or its account is disabled."));
            return;
          }
          StaffAccount a = account.get();
          pass(ctx, new StaffUser(a.id(), a.email(), a.role(), null), roles);
        });
  }

  /** For POSTed staff forms, after the body is read: the form's token must be the session's. */
  public static void requireCsrf(RoutingContext ctx) {
    StaffUser user = user(ctx);
    Csrf.requireToken(ctx, user == null ? null : user.csrf());
    ctx.next();
  }

  public Cookie sessionCookie(RoutingContext ctx, String value) {
    return Cookie.cookie(SESSION_COOKIE, value).setPath("/staff").setHttpOnly(true).setSecure(Https.of(ctx, https))
        .setSameSite(CookieSameSite.STRICT);
  }

  public Cookie expiredSessionCookie(RoutingContext ctx) {
    return sessionCookie(ctx, "").setMaxAge(0);
  }

  private Future<Optional<StaffAccount>> enabledAccount(String accountId) {
    return accounts.find(accountId).map(account -> account.filter(a -> !a.disabled() && a.role() != null));
  }

  private static void pass(RoutingContext ctx, StaffUser user, Set<Role> roles) {
    ctx.put(USER, user);
    ctx.request().resume();
    if (!user.mayActAs(roles)) {
      ctx.fail(new HeardException.Forbidden("wrong-role",
          "Your role (" + user.role().key() + ") cannot use this; it needs " + describe(roles) + "."));
      return;
    }
    ctx.next();
  }

  private static String describe(Set<Role> roles) {
    return roles.stream().map(Role::key).sorted().reduce((a, b) -> a + " or " + b).orElse("admin")
        + (roles.contains(Role.ADMIN) ? "" : " (or admin)");
  }
}
