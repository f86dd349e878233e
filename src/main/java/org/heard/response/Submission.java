package org.heard.response;

import java.util.Map;

/**
 * Answers arriving from a channel, not yet validated.
 *
 * @param idempotencyKey the channel's key for "this same submission" (API header, form token,
 *                       SMS conversation, paper serial): a repeat stores nothing new
 * @param answers        raw answer values by question id, as decoded from JSON or a form
 * @param language       requested language, or null for the survey's default
 */
public record Submission(
    String surveyId,
    Channel channel,
    String idempotencyKey,
    String language,
    Map<String, Object> answers,
    Map<String, Object> provenance) {
}
