package org.heard.audit;

/** Who an audit entry names: a staff account and the role it acted in. */
public interface Actor {
  String accountId();

  /** The role's key at the time (e.g. {@code analyst}). */
  String roleKey();
}
