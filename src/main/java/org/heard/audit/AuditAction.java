package org.heard.audit;

import java.util.Locale;

/** Everything the audit log records. */
public enum AuditAction {
  LOGIN, LOGIN_FAILED, ACCOUNT_LOCKED, LOGOUT, TOKEN_ISSUED, TOKEN_REVOKED,
  ACCOUNT_CREATED, ROLE_CHANGED, ACCOUNT_DISABLED, ACCOUNT_ENABLED, PASSWORD_RESET, PASSWORD_CHANGED,
  RESPONSE_VIEWED, RESPONSE_CORRECTED,
  BATCH_STARTED, PAPER_ENTERED, PAPER_VERIFIED, PAPER_MISMATCH, PAPER_RESOLVED, IMPORT,
  EXPORT, AUDIT_VIEWED, ERASURE, THEMES_VIEWED, DIGEST_VIEWED, DIGEST_RECOUNTED, ACTION_CHANGED, ACTION_PUBLISHED, PACK_IMPORTED,
  DEFINITION_CHANGED;

  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static AuditAction fromKey(String key) {
    return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
