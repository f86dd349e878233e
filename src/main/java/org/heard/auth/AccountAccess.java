package org.heard.auth;

import io.vertx.core.Future;

/**
 * Ends everything that lets an account in: its sessions and its API tokens. Called on a password
 * reset or change, a disable and a role change, so no old session or token outlives the change
 * (and re-enabling an account revives none).
 */
public final class AccountAccess {
  private final StaffSessions sessions;
  private final ApiTokens tokens;

  public AccountAccess(StaffSessions sessions, ApiTokens tokens) {
    this.sessions = sessions;
    this.tokens = tokens;
  }

  public Future<Void> endAll(String accountId) {
    String id = StaffAccounts.normalizeEmail(accountId);
    return sessions.endAll(id).compose(v -> tokens.revokeAll(id));
  }
}
