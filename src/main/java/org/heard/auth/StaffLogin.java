package org.heard.auth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditEvent;
import org.heard.audit.AuditLog;
import org.heard.error.HeardException;

/**
 * Checks an email and password, for the login page and the token API alike: five failures in a row
 * lock the account for fifteen minutes, every attempt is audited, and the answer never says which
 * part was wrong (or whether the account exists). An address with too many failures is refused
 * before any password is checked ({@link SignInThrottle}); that is audited once, when it starts.
 */
public final class StaffLogin {
  public static final String REFUSED = "The email or password is not right, or the account is locked after "
      + StaffAccounts.MAX_FAILED_LOGINS + " failed attempts (for " + StaffAccounts.LOCKOUT.toMinutes()
      + " minutes). Try again, or ask an administrator.";

  /**
   * A sign-in refused for going too fast is answered after this pause: a client that waits for
   * each answer (as flood tools do) then sends one attempt a second, not thousands.
   */
  static final Duration TARPIT = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final StaffAccounts accounts;
  private final SignInThrottle throttle;
  private final AuditLog audit;
  private final Function<String, String> hideTyped;
  private final Clock clock;

  /** {@code hideTyped} turns a typed email that matches no account into a keyed digest for the audit log. */
  public StaffLogin(Vertx vertx, StaffAccounts accounts, SignInThrottle throttle, AuditLog audit,
      Function<String, String> hideTyped, Clock clock) {
    this.vertx = vertx;
    this.hideTyped = hideTyped;
    this.accounts = accounts;
    this.throttle = throttle;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * The account, when the password is right and the account may sign in; else Unauthorized, or
   * TooManyRequests when {@code address} has failed too often lately (or the password worker is full).
   */
  public Future<StaffAccount> authenticate(String email, String password, String via, String address) {
    return throttle.waitFor(address).compose(wait -> {
      if (!wait.isZero()) {
        return slowly(new HeardException.TooManyRequests("Too many failed sign-ins from your connection."
            + " Please wait " + Math.max(1, wait.toMinutes()) + " minute(s), then try again.", wait.toSeconds()));
      }
      return check(email, password, via).onSuccess(account -> throttle.succeeded(address)).recover(error -> {
        if (error instanceof HeardException.TooManyRequests) {
          return slowly(error);  // the password worker is full
        }
        if (!(error instanceof HeardException.Unauthorized)) {
          return Future.failedFuture(error);
        }
        return throttle.failed(address).compose(reached -> !reached ? Future.failedFuture(error)
            : audit.record(new AuditEvent(Instant.now(clock), "address", null, AuditAction.LOGIN_FAILED, List.of(),
                    Map.of("reason", "throttled", "via", via, "failures", throttle.maxFailures(),
                        "minutes", throttle.window().toMinutes())))
                .transform(v -> Future.<StaffAccount>failedFuture(error)));
      });
    });
  }

  private <T> Future<T> slowly(Throwable refusal) {
    Promise<T> refused = Promise.promise();
    vertx.setTimer(TARPIT.toMillis(), id -> refused.fail(refusal));
    return refused.future();
  }

  private Future<StaffAccount> check(String email, String password, String via) {
    String typed = email == null ? "" : email.trim();
    // What was typed is never kept (it may be a password typed in the wrong field): a keyed digest is.
    String actor = "unknown:" + hideTyped.apply(typed);
    if (typed.isEmpty() || password == null || password.isEmpty()) {
      return refuse(actor, "missing", via);
    }
    return accounts.find(typed).compose(found -> {
      if (found.isEmpty()) {
        return accounts.checkAgainstNobody(password).compose(x -> refuse(actor, "unknown-account", via));
      }
      StaffAccount account = found.get();
      return accounts.reserveAttempt(account.id()).compose(attempt -> {
        if (attempt == 0) {
          return accounts.checkAgainstNobody(password).compose(x -> refuse(account.id(), "locked", via));
        }
        return accounts.passwordMatches(account, password)
            .recover(busy -> accounts.releaseAttempt(account.id()).transform(v -> Future.failedFuture(busy)))
            .compose(matches -> settle(account, attempt, matches, via));
      });
    });
  }

  /** After the password was checked on a counted attempt: sign in, or refuse (locking on the last attempt). */
  private Future<StaffAccount> settle(StaffAccount account, int attempt, boolean matches, String via) {
    if (account.disabled()) {
      return refuse(account.id(), "disabled", via);
    }
    if (!matches) {
      Future<Void> locked = attempt >= StaffAccounts.MAX_FAILED_LOGINS
          ? accounts.lock(account.id()).compose(v -> record(account.id(), null, AuditAction.ACCOUNT_LOCKED, via))
          : Future.succeededFuture();
      return locked.compose(v -> refuse(account.id(), "wrong-password", via));
    }
    return accounts.recordSuccess(account.id())
        .compose(v -> record(account.id(), account.role().key(), AuditAction.LOGIN, via))
        .map(v -> account);
  }

  private Future<StaffAccount> refuse(String actor, String reason, String via) {
    return audit.record(new AuditEvent(Instant.now(clock), actor, null, AuditAction.LOGIN_FAILED, List.of(),
            Map.of("reason", reason, "via", via)))
        .compose(v -> Future.failedFuture(new HeardException.Unauthorized("login-refused", REFUSED)));
  }

  private Future<Void> record(String actor, String role, AuditAction action, String via) {
    return audit.record(new AuditEvent(Instant.now(clock), actor, role, action, List.of(actor), Map.of("via", via)));
  }
}
