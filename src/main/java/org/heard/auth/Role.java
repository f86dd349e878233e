package org.heard.auth;

import java.util.Locale;

/** What a staff account may do; checked on every staff page and staff API call. */
public enum Role {
  /** Enters and corrects paper responses. */
  OUTREACH,
  /** Reads responses and digests, exports. */
  ANALYST,
  /** Reads digests only. */
  BOARD,
  /** Manages accounts, and everything else. */
  ADMIN;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role with this key, or null. */
  public static Role fromKey(String key) {
    for (Role role : values()) {
      if (role.key().equals(key)) {
        return role;
      }
    }
    return null;
  }
}
