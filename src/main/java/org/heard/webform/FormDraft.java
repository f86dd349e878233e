package org.heard.webform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.heard.sms.TextBack;

/**
 * A web form being filled in, page by page: the answers accepted so far, keyed by the form token
 * that also becomes the response's idempotency key. Kept in MongoDB, so it survives a restart and
 * any server instance can continue it.
 *
 * @param seen the questions the resident has been shown and answered or passed over, so a change
 *     from check your answers leads only through questions that newly apply
 * @param aside answers typed under an option the resident did not choose (JavaScript off), kept
 *     out of the response and asked about on check your answers, never thrown away unasked
 * @param contacts the number given with each consent question answered yes, only encrypted
 * @param submittedResponseId set once the answers were stored, so a re-sent submit changes nothing
 */
public record FormDraft(String token, String surveyId, String language, Map<String, Object> answers,
    Set<String> seen, Map<String, Object> aside, Map<String, TextBack.Contact> contacts, String submittedResponseId) {

  public FormDraft {
    answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    seen = Collections.unmodifiableSet(new LinkedHashSet<>(seen));
    aside = Collections.unmodifiableMap(new LinkedHashMap<>(aside));
    contacts = Collections.unmodifiableMap(new LinkedHashMap<>(contacts));
  }

  public static FormDraft start(String token, String surveyId, String language) {
    return new FormDraft(token, surveyId, language, Map.of(), Set.of(), Map.of(), Map.of(), null);
  }

  public boolean submitted() {
    return submittedResponseId != null;
  }

  public FormDraft withAnswers(Map<String, Object> replaced, String newLanguage) {
    return new FormDraft(token, surveyId, newLanguage, replaced, seen, aside, contacts, submittedResponseId);
  }

  public FormDraft withProgress(Set<String> nowSeen, Map<String, Object> nowAside,
      Map<String, TextBack.Contact> nowContacts) {
    return new FormDraft(token, surveyId, language, answers, nowSeen, nowAside, nowContacts, submittedResponseId);
  }

  /**
   * Once stored as a response, the draft keeps only the link to it: the answers live there alone,
   * the number with the consent it was given for.
   */
  public FormDraft submittedAs(String responseId) {
    return new FormDraft(token, surveyId, language, Map.of(), Set.of(), Map.of(), Map.of(), responseId);
  }
}
