package org.heard.auth;

import java.util.Set;
import org.heard.audit.Actor;

/**
 * Who is making a staff request, once their session or token has been checked.
 *
 * @param csrf the session's form token; null for bearer-token API calls, which carry no cookie
 */
public record StaffUser(String accountId, String email, Role role, String csrf) implements Actor {

  @Override
  public String roleKey() {
    return role.key();
  }

  /** Administrators may do everything; others only what their role names. */
  public boolean mayActAs(Set<Role> allowed) {
    return role == Role.ADMIN || allowed.contains(role);
  }
}
