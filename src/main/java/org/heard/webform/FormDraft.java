package org.heard.webform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A web form being filled in, page by page: the answers accepted so far, keyed by the form token
 * that also becomes the response's idempotency key. Kept in MongoDB, so it survives a restart and
 * any server instance can continue it.
 *
 * @param submittedResponseId set once the answers were stored, so a re-sent submit changes nothing
 */
public record FormDraft(String token, String surveyId, String language, Map<String, Object> answers,
    String submittedResponseId) {

  public FormDraft {
    answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
  }

  public static FormDraft start(String token, String surveyId, String language) {
    return new FormDraft(token, surveyId, language, Map.of(), null);
  }

  public boolean submitted() {
    return submittedResponseId != null;
  }

  public FormDraft withAnswers(Map<String, Object> replaced, String newLanguage) {
    return new FormDraft(token, surveyId, newLanguage, replaced, submittedResponseId);
  }

  /** Once stored as a response, the draft keeps only the link to it: the answers live there alone. */
  public FormDraft submittedAs(String responseId) {
    return new FormDraft(token, surveyId, language, Map.of(), responseId);
  }
}
