package org.heard.auth;

import java.time.Instant;

/**
 * A staff member's account.
 *
 * @param id           the lower-cased email: the primary key keeps emails unique
 * @param failedLogins failed logins since the last success or lock
 * @param lockedUntil  logins are refused until then, or null
 */
public record StaffAccount(
    String id,
    String email,
    Role role,
    String passwordHash,
    boolean disabled,
    int failedLogins,
    Instant lockedUntil,
    Instant createdAt) {

  public boolean lockedAt(Instant now) {
    return lockedUntil != null && now.isBefore(lockedUntil);
  }
}
