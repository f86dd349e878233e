package org.heard.staff;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.AccountAccess;
import org.heard.auth.StaffAccounts;
import org.heard.auth.StaffLogin;
import org.heard.auth.StaffSessions;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.ClientAddress;
import org.heard.http.FailureHandler;
import org.heard.http.StaffGate;
import org.heard.http.StaffView;

/**
 * {@code /staff/password}: anyone signed in changes their own password. The current password is
 * checked as a sign-in is (throttle, lockout, audit); on success every session and API token of the
 * account ends and this browser gets a new session, so only the person who changed it stays in.
 */
public final class PasswordPage {
  static final String TEMPLATE = "staff-password";

  private final StaffView view;
  private final StaffLogin login;
  private final StaffAccounts accounts;
  private final AccountAccess access;
  private final StaffSessions sessions;
  private final StaffGate gate;
  private final AuditLog audit;

  public PasswordPage(StaffView view, StaffLogin login, StaffAccounts accounts, AccountAccess access,
      StaffSessions sessions, StaffGate gate, AuditLog audit) {
    this.view = view;
    this.login = login;
    this.accounts = accounts;
    this.access = access;
    this.sessions = sessions;
    this.gate = gate;
    this.audit = audit;
  }

  public void form(RoutingContext ctx) {
    render(ctx, 200, null, List.of());
  }

  public void change(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    String current = ctx.request().getFormAttribute("current");
    String next = ctx.request().getFormAttribute("password");
    String confirm = ctx.request().getFormAttribute("confirm");
    List<FieldError> errors = new ArrayList<>();
    if (current == null || current.isEmpty()) {
      errors.add(new FieldError("current", "required", "Enter your current password"));
    }
    StaffAccounts.passwordProblem(next).ifPresent(errors::add);
    if (next != null && !next.equals(confirm)) {
      errors.add(new FieldError("confirm", "mismatch", "Enter the same new password twice"));
    }
    if (!errors.isEmpty()) {
      render(ctx, 422, null, errors);
      return;
    }
    login.authenticate(user.email(), current, "password-change", ClientAddress.of(ctx))
        .compose(account -> accounts.resetPassword(account.id(), next))
        .compose(v -> access.endAll(user.accountId()))
        .compose(v -> sessions.start(user.accountId()))
        .compose(started -> audit.record(user, AuditAction.PASSWORD_CHANGED, List.of(user.accountId()), Map.of())
            .map(started))
        .onSuccess(started -> {
          ctx.response().addCookie(gate.sessionCookie(ctx, started.cookieValue()));
          StaffView.seeOther(ctx, "/staff/password?changed=1");
        })
        .onFailure(error -> {
          if (error instanceof HeardException.Unauthorized) {
            render(ctx, 422, null, List.of(new FieldError("current", "refused", "Your current password is not right"
                + " (after " + StaffAccounts.MAX_FAILED_LOGINS + " wrong tries the account is locked for "
                + StaffAccounts.LOCKOUT.toMinutes() + " minutes)")));
          } else if (error instanceof HeardException.TooManyRequests) {
            FailureHandler.retryAfter(ctx, error);
            render(ctx, 429, null, List.of(new FieldError("current", "throttled", error.getMessage())));
          } else if (error instanceof HeardException.Invalid invalid) {
            render(ctx, 422, null, invalid.fieldErrors());
          } else {
            ctx.fail(error);
          }
        });
  }

  private void render(RoutingContext ctx, int status, String flash, List<FieldError> errors) {
    Map<String, Object> model = view.model(ctx, "Change your password");
    if ("1".equals(ctx.request().getParam("changed")) && errors.isEmpty()) {
      model.put("flash", "Your password is changed. You are signed out everywhere else, and your API tokens have ended.");
    } else if (flash != null) {
      model.put("flash", flash);
    }
    StaffView.errors(model, errors);
    view.send(ctx, status, TEMPLATE, model);
  }

}
