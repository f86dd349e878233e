package org.heard.staff;

import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.AccountAccess;
import org.heard.auth.Role;
import org.heard.auth.StaffAccount;
import org.heard.auth.StaffAccounts;
import org.heard.auth.StaffLogin;
import org.heard.auth.StaffSessions;
import org.heard.auth.StaffUser;
import org.heard.error.ClientText;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.ClientAddress;
import org.heard.http.Csrf;
import org.heard.http.FailureHandler;
import org.heard.http.RequestSanity;
import org.heard.http.StaffGate;
import org.heard.http.StaffView;

/**
 * The staff site's own pages: sign in and out, the home page, account administration and the
 * audit log. Handlers only read the request, call a service and render.
 */
public final class StaffPages {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private final StaffView view;
  private final StaffLogin login;
  private final StaffSessions sessions;
  private final StaffAccounts accounts;
  private final AccountAccess access;
  private final AuditLog audit;
  private final StaffGate gate;
  /** The sign-in form is shown before anyone is signed in, so its token is a double-submit cookie. */
  private final Csrf loginCsrf;

  public StaffPages(StaffView view, StaffLogin login, StaffSessions sessions, StaffAccounts accounts,
      AccountAccess access, AuditLog audit, StaffGate gate, boolean https) {
    this.view = view;
    this.access = access;
    this.login = login;
    this.sessions = sessions;
    this.accounts = accounts;
    this.audit = audit;
    this.gate = gate;
    this.loginCsrf = new Csrf("heard_login_csrf", "/staff/login", CookieSameSite.STRICT, https);
  }

  // ---- sign in and out -------------------------------------------------------------------------

  public void loginPage(RoutingContext ctx) {
    renderLogin(ctx, 200, "", safeNext(ctx.request().getParam("next")), List.of());
  }

  public void login(RoutingContext ctx) {
    String email = ctx.request().getFormAttribute("email");
    String password = ctx.request().getFormAttribute("password");
    String next = safeNext(ctx.request().getFormAttribute("next"));
    if (!loginCsrf.sent(ctx)) {
      renderLogin(ctx, 403, email, next, List.of(new FieldError("email", "csrf",
          "The sign-in form expired or was sent from another site. Please try again.")));
      return;
    }
    login.authenticate(email, password, "page", ClientAddress.of(ctx))
        .compose(account -> {
          // A new session id on every sign-in: a session fixed before login is never reused.
          Cookie previous = ctx.request().getCookie(StaffGate.SESSION_COOKIE);
          Future<Void> ended = previous == null ? Future.succeededFuture() : sessions.end(previous.getValue());
          return ended.compose(v -> sessions.start(account.id()));
        })
        .onSuccess(started -> {
          ctx.response().addCookie(gate.sessionCookie(ctx, started.cookieValue()));
          StaffView.seeOther(ctx, next);
        })
        .onFailure(error -> {
          if (error instanceof HeardException.Unauthorized) {
            renderLogin(ctx, 401, email, next, List.of(new FieldError("email", "refused", error.getMessage())));
          } else if (error instanceof HeardException.TooManyRequests) {
            FailureHandler.retryAfter(ctx, error);
            renderLogin(ctx, 429, email, next, List.of(new FieldError("email", "throttled", error.getMessage())));
          } else {
            ctx.fail(error);
          }
        });
  }

  public void logout(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    Cookie cookie = ctx.request().getCookie(StaffGate.SESSION_COOKIE);
    audit.record(user, AuditAction.LOGOUT,
            List.of(user.accountId()), Map.of())
        .compose(v -> sessions.end(cookie == null ? "" : cookie.getValue()))
        .onFailure(ctx::fail)
        .onSuccess(v -> {
          ctx.response().addCookie(gate.expiredSessionCookie(ctx));
          Map<String, Object> model = view.model(ctx, "Signed out");
          model.remove("user");
          model.put("heading", "You have signed out");
          model.put("text", "Close the browser if others use this computer.");
          model.put("linkUrl", "/staff/login");
          model.put("linkText", "Sign in again");
          view.send(ctx, "staff-notice", model);
        });
  }

  private void renderLogin(RoutingContext ctx, int status, String email, String next, List<FieldError> errors) {
    String token = loginCsrf.token(ctx);
    Map<String, Object> model = view.model(ctx, "Sign in");
    model.put("loginCsrf", token);
    model.put("email", email == null ? "" : email);
    model.put("next", next);
    StaffView.errors(model, errors);
    view.send(ctx, status, "staff-login", model);
  }

  /** Only a path on the staff site: never an open redirect to another site, nor a header split. */
  static String safeNext(String next) {
    if (next != null && next.startsWith("/staff") && !next.startsWith("//") && !next.contains("\\")
        && !RequestSanity.hasControlCharacters(next)
        && next.length() < 500 && !next.startsWith("/staff/login") && !next.startsWith("/staff/logout")) {
      return next;
    }
    return "/staff";
  }

  // ---- home ------------------------------------------------------------------------------------

  public void home(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    Map<String, Object> model = view.model(ctx, "Staff");
    model.put("email", user.email());
    model.put("role", user.role().key());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> nav = new ArrayList<>((List<Map<String, Object>>) model.get("nav"));
    nav.remove(0);
    model.put("nav", nav);
    view.send(ctx, "staff-home", model);
  }

  // ---- accounts (admin) ------------------------------------------------------------------------

  public void accounts(RoutingContext ctx) {
    renderAccounts(ctx, 200, Map.of(), List.of());
  }

  public void createAccount(RoutingContext ctx) {
    StaffUser admin = StaffGate.user(ctx);
    String email = ctx.request().getFormAttribute("email");
    Role role = Role.fromKey(ctx.request().getFormAttribute("role"));
    String password = ctx.request().getFormAttribute("password");
    accounts.create(email, role, password)
        .compose(account -> record(admin, AuditAction.ACCOUNT_CREATED, account.id(), Map.of("role", account.role().key()))
            .map(account))
        .onSuccess(account -> StaffView.seeOther(ctx, "/staff/accounts/" + encode(account.id()) + "?done=created"))
        .onFailure(error -> {
          if (error instanceof HeardException.Invalid invalid) {
            renderAccounts(ctx, 422, Map.of("newEmail", email == null ? "" : email,
                "newRole", role == null ? "" : role.key()), invalid.fieldErrors());
          } else {
            ctx.fail(error);
          }
        });
  }

  private void renderAccounts(RoutingContext ctx, int status, Map<String, Object> typed, List<FieldError> errors) {
    accounts.list().onFailure(ctx::fail).onSuccess(list -> {
      Map<String, Object> model = view.model(ctx, "Staff accounts");
      model.put("accounts", list.stream().map(StaffPages::accountRow).toList());
      model.put("roles", roleOptions((String) typed.getOrDefault("newRole", Role.OUTREACH.key())));
      model.put("newEmail", typed.getOrDefault("newEmail", ""));
      StaffView.errors(model, errors);
      view.send(ctx, status, "staff-accounts", model);
    });
  }

  public void account(RoutingContext ctx) {
    renderAccount(ctx, 200, null, List.of());
  }

  public void updateAccount(RoutingContext ctx) {
    StaffUser admin = StaffGate.user(ctx);
    String id = ctx.pathParam("accountId");
    String action = String.valueOf(ctx.request().getFormAttribute("action"));
    Future<String> done = switch (action) {
      case "role" -> {
        Role role = Role.fromKey(ctx.request().getFormAttribute("role"));
        if (role == null) {
          yield Future.failedFuture(new HeardException.Invalid("invalid-role", "Choose a role.",
              List.of(new FieldError("role", "not_an_option", "Choose a role"))));
        }
        yield accounts.get(id).compose(before -> accounts.setRole(id, role)
            .compose(v -> access.endAll(id))
            .compose(v -> record(admin, AuditAction.ROLE_CHANGED, id,
                Map.of("from", before.role().key(), "to", role.key())))
            .map("Role changed to " + role.key() + "; the account is signed out everywhere (sessions and API tokens)."));
      }
      case "disable" -> accounts.setDisabled(id, true)
          .compose(v -> access.endAll(id))
          .compose(v -> record(admin, AuditAction.ACCOUNT_DISABLED, id, Map.of()))
          .map("Account disabled: its sessions and API tokens no longer work.");
      case "enable" -> accounts.setDisabled(id, false)
          .compose(v -> record(admin, AuditAction.ACCOUNT_ENABLED, id, Map.of()))
          .map("Account enabled. Its old sessions and API tokens stay ended.");
      case "password" -> accounts.resetPassword(id, ctx.request().getFormAttribute("password"))
          .compose(v -> access.endAll(id))
          .compose(v -> record(admin, AuditAction.PASSWORD_RESET, id, Map.of()))
          .map("Password reset; the account is unlocked and signed out everywhere (sessions and API tokens).");
      default -> Future.failedFuture(new HeardException.BadRequest("unknown-action",
          "Unknown account action; use role, disable, enable or password."));
    };
    done.onSuccess(message -> renderAccount(ctx, 200, message, List.of()))
        .onFailure(error -> {
          if (error instanceof HeardException.Invalid invalid) {
            renderAccount(ctx, 422, null, invalid.fieldErrors());
          } else {
            ctx.fail(error);
          }
        });
  }

  private void renderAccount(RoutingContext ctx, int status, String flash, List<FieldError> errors) {
    accounts.get(ctx.pathParam("accountId")).onFailure(ctx::fail).onSuccess(account -> {
      Map<String, Object> model = view.model(ctx, account.email());
      Map<String, Object> row = accountRow(account);
      row.put("created", WHEN.format(account.createdAt()));
      row.put("disabled", account.disabled());
      model.put("account", row);
      model.put("roles", roleOptions(account.role().key()));
      String done = ctx.request().getParam("done");
      model.put("flash", flash != null ? flash : "created".equals(done) ? "Account created." : null);
      StaffView.errors(model, errors);
      view.send(ctx, status, "staff-account", model);
    });
  }

  private static Map<String, Object> accountRow(StaffAccount account) {
    Map<String, Object> row = new HashMap<>();
    row.put("idUrl", encode(account.id()));
    row.put("email", account.email());
    row.put("role", account.role().key());
    Instant now = Instant.now();
    row.put("status", account.disabled() ? "disabled" : account.lockedAt(now) ? "locked until "
        + WHEN.format(account.lockedUntil()) + " UTC" : "active");
    return row;
  }

  private static List<Map<String, Object>> roleOptions(String selected) {
    return Arrays.stream(Role.values()).map(r -> Map.<String, Object>of("key", r.key(), "label", r.key(),
        "selected", r.key().equals(selected))).toList();
  }

  // ---- audit log (admin) -----------------------------------------------------------------------

  public void auditPage(RoutingContext ctx) {
    StaffUser admin = StaffGate.user(ctx);
    AuditLog.Query query = auditQuery(ctx);
    audit.find(query)
        .compose(events -> record(admin, AuditAction.AUDIT_VIEWED, null, Map.of("results", events.size())).map(events))
        .onFailure(ctx::fail)
        .onSuccess(events -> {
          Map<String, Object> model = view.model(ctx, "Audit log");
          Map<String, Object> filter = new HashMap<>();
          for (String name : List.of("actor", "record", "from", "to")) {
            filter.put(name, ctx.request().getParam(name) == null ? "" : ctx.request().getParam(name));
          }
          model.put("filter", filter);
          model.put("actions", Arrays.stream(AuditAction.values()).map(a -> Map.<String, Object>of("key", a.key(),
              "selected", query.action() == a)).toList());
          model.put("events", events.stream().map(e -> Map.<String, Object>of(
              "at", WHEN.format(e.at()),
              "actor", e.actor() == null ? "" : e.actor(),
              "role", e.role() == null ? "" : e.role(),
              "action", e.action().key(),
              "records", String.join(", ", e.records()),
              "details", e.details().entrySet().stream().map(d -> d.getKey() + ": " + d.getValue())
                  .collect(Collectors.joining("; ")))).toList());
          model.put("count", events.size());
          model.put("capped", events.size() >= AuditLog.MAX_RESULTS);
          model.put("max", AuditLog.MAX_RESULTS);
          view.send(ctx, "staff-audit", model);
        });
  }

  /** The audit filters from query parameters; a malformed one is a 400 naming it. */
  public static AuditLog.Query auditQuery(RoutingContext ctx) {
    String actor = blankToNull(ctx.request().getParam("actor"));
    String actionKey = blankToNull(ctx.request().getParam("action"));
    AuditAction action = null;
    if (actionKey != null) {
      try {
        action = AuditAction.fromKey(actionKey);
      } catch (IllegalArgumentException e) {
        throw new HeardException.BadRequest("invalid-filter", "There is no audit action '"
            + ClientText.shorten(actionKey) + "'.");
      }
    }
    return new AuditLog.Query(actor == null ? null : actor.trim().toLowerCase(Locale.ROOT), action,
        blankToNull(ctx.request().getParam("record")), day(ctx, "from", 0), day(ctx, "to", 1));
  }

  private static Instant day(RoutingContext ctx, String name, int plusDays) {
    String raw = blankToNull(ctx.request().getParam(name));
    if (raw == null) {
      return null;
    }
    try {
      return LocalDate.parse(raw.trim()).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new HeardException.BadRequest("invalid-filter", "'" + name + "' must be a date written YYYY-MM-DD.");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private Future<Void> record(StaffUser user, AuditAction action, String record, Map<String, Object> details) {
    return audit.record(user, action,
        record == null ? List.of() : List.of(StaffAccounts.normalizeEmail(record)), details);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
