package org.heard;

import java.util.List;
import java.util.Map;
import org.heard.store.StoreScan;

/**
 * The whole-collection reads of the embedded store the suite accepts, and why. Every server a test
 * starts through {@link TestServer} is checked when it stops: a scan of any other shape fails the
 * test class that caused it, so a query that would read every response (or every phone, every
 * form) cannot come back unnoticed. The README's "What the embedded store lacks" lists the same.
 */
final class StoreScanPolicy {
  private StoreScanPolicy() {
  }

  /** Collections that stay small whatever the number of residents, and why. */
  static final Map<String, String> SMALL = Map.ofEntries(
      Map.entry("survey_versions", "one document per definition version"),
      Map.entry("survey_sources", "one document per survey"),
      Map.entry("response_sequences", "one counter per survey"),
      Map.entry("partner_packs", "one document per indicator pack"),
      Map.entry("actions", "one document per 'you said, we did' action"),
      Map.entry("paper_batches", "one document per printed batch of forms"),
      Map.entry("staff", "one document per staff account"),
      Map.entry("staff_sessions", "signed-in staff; expired sessions are deleted every 15 minutes"),
      Map.entry("staff_tokens", "API tokens of staff accounts"),
      Map.entry("metrics_tokens", "one document per metrics token"),
      Map.entry("job_leases", "one document per leased periodic job"),
      Map.entry("digest_recounts", "the counts' state and the last recount's numbers, a document per survey"),
      Map.entry("exports", "one document per export prepared in the background, deleted after a day"),
      Map.entry("background_jobs", "one document per kind of job (its latest run) and per paper import batch"),
      Map.entry("rate_windows", "shared limits, MongoDB only (never written on the embedded store)"),
      Map.entry("sms_send_rate", "one pacing document per SMS account"),
      Map.entry("theme_models", "one document per survey"),
      Map.entry("theme_assignments", "one document per 5,000 analysed comments"),
      Map.entry("erasure_signals", "one document per erasure, deleted after a day"),
      Map.entry("analysis_queue", "only what waits: one document per 100 responses waiting, and retries"));

  /** Scans of collections that grow with residents, accepted for what they are. */
  static final Map<String, String> ACCEPTED = Map.ofEntries(
      Map.entry("responses find {seq: {$exists: ?}}", "numbering responses from before numbers: once per database"),
      Map.entry("responses find {surveyId: ?, receivedAt: {$gte: ?}}",
          "keys other instances stored, read by the survey_received index on MongoDB (a test's second instance "
          + "reaches the embedded store as a MongoDB)"),
      Map.entry("responses find {provenance.respondentKey: ?}", "an erasure by respondent key: staff, rare"),
      Map.entry("responses find {channel: ?, provenance.respondentKey: ?}", "an erasure by phone number: staff, rare"),
      Map.entry("paper_entries delete {$or: [{responseId: {$in: ?}}]}", "an erasure"),
      Map.entry("paper_entries delete {$or: [{responseId: {$in: ?}}, {contactKeys: ?}]}", "an erasure"),
      Map.entry("paper_entries delete {$or: [{contactKeys: ?}]}", "an erasure"),
      Map.entry("sms_outbound delete {respondentKey: ?}", "an erasure"),
      Map.entry("paper_entries find {surveyId: ?, state: ?}", "staff's list of forms awaiting a second keying"),
      Map.entry("audit_log find {}", "staff reading the audit log"),
      Map.entry("digest_counts delete {g: {$ne: ?}}", "a recount removes the generation it replaced: by hand, rare"),
      Map.entry("audit_log find {action: ?}", "staff reading the audit log"),
      Map.entry("audit_log find {actor: ?, action: ?}", "staff reading the audit log"),
      Map.entry("sms_numbers find {outbox: ?}", "the SMS sweep, once a minute: known, see the README"),
      Map.entry("sms_numbers find {conversation.lastMessageAt: {$lt: ?}}", "the SMS sweep, once a minute: known"),
      Map.entry("sms_outbound findandmodify {state: ?, dueAt: {$lte: ?}}", "the send queue's claim: known, see the README"),
      Map.entry("sms_outbound findandmodify {state: ?, leaseUntil: {$lt: ?}}", "the send queue's claim: known"));

  /** Patterns of accepted shapes whose keys carry data (a survey id in a consent's field name). */
  private static boolean acceptedFollowUp(StoreScan.Shape shape) {
    // Staff sending "you said, we did" to those who consented: by hand, a few times a consultation.
    return shape.collection().equals("sms_numbers") && shape.operation().equals("find")
        && shape.filter().matches("\\{consents\\.[a-z0-9-]+: \\?, optedOutAt: \\{\\$exists: \\?}, contact: \\{\\$exists: \\?}}");
  }

  /** The scans none of the above accepts, as text. */
  static List<String> unaccepted(List<StoreScan> scans) {
    return scans.stream().map(StoreScan::shape)
        .filter(shape -> !SMALL.containsKey(shape.collection()))
        .filter(shape -> !ACCEPTED.containsKey(shape.toString()))
        .filter(shape -> !acceptedFollowUp(shape))
        .map(shape -> shape + " (" + scans.stream().filter(s -> s.shape().equals(shape)).findFirst()
            .map(StoreScan::count).orElse(0L) + " times)")
        .toList();
  }
}
