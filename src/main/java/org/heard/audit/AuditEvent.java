package org.heard.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of the audit log: who did what, when, to which records.
 *
 * @param actor   the staff account (its email), or what was typed at a failed login
 * @param role    the actor's role at the time, or null when not signed in
 * @param records the ids the action touched (response ids, account ids, a batch id...)
 * @param details facts about the action that are not personal data (a field name, a count)
 */
public record AuditEvent(
    Instant at,
    String actor,
    String role,
    AuditAction action,
    List<String> records,
    Map<String, Object> details) {

  public AuditEvent {
    records = List.copyOf(records);
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }
}
