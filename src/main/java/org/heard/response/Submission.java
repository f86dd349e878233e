package org.heard.response;

import java.time.Instant;
import java.util.Map;

/**
 * Answers arriving from a channel, not yet validated.
 *
 * @param idempotencyKey the channel's key for "this same submission" (API header, form token,
 *                       SMS conversation, paper serial): a repeat stores nothing new
 * @param answers        raw answer values by question id, as decoded from JSON or a form
 * @param language       requested language, or null for the survey's default
 * @param complete       false for the answers so far of a conversation that ended early: required
 *                       questions may be missing, and the response is stored marked incomplete
 * @param startedAt      when the person started answering, or null for "now": a survey that closed
 *                       while an SMS conversation was under way still takes its answers
 */
public record Submission(
    String surveyId,
    Channel channel,
    String idempotencyKey,
    String language,
    Map<String, Object> answers,
    Map<String, Object> provenance,
    boolean complete,
    Instant startedAt) {

  /** A complete submission, answered now: what the web form and the API send. */
  public Submission(String surveyId, Channel channel, String idempotencyKey, String language,
      Map<String, Object> answers, Map<String, Object> provenance) {
    this(surveyId, channel, idempotencyKey, language, answers, provenance, true, null);
  }
}
