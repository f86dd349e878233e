package org.heard.sms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything Heard keeps about one phone number, under its respondent key (never the number).
 * It is one document, so each inbound message changes it in one atomic, version-checked write:
 * two server instances, or a retry racing the original, can never half-apply a message.
 *
 * @param version     the stored version this state was read at; 0 when nothing is stored yet
 * @param language    the language last used with this number (for HELP and unknown texts)
 * @param optedOutAt  when the number sent STOP, or null: nothing is sent to it while set
 * @param contact     the number, encrypted, kept only while some consent is yes
 * @param consents    the answer to each survey's consent question, by survey id
 * @param conversation the conversation under way, or null
 * @param finished    ended conversations whose response is not stored yet (an outbox)
 * @param recent      the last messages processed, by provider message id; the latest with the reply sent
 */
public record NumberState(
    String respondentKey,
    long version,
    String language,
    Instant optedOutAt,
    String contact,
    Map<String, Boolean> consents,
    Conversation conversation,
    List<Conversation> finished,
    List<Processed> recent) {

  /**
   * Message ids remembered per number, so a replayed webhook (Twilio's signature has no time in it)
   * is recognised long after: a thousand messages is years of surveys from one phone.
   */
  static final int RECENT_MESSAGES = 1_000;

  public NumberState {
    consents = Collections.unmodifiableMap(new LinkedHashMap<>(consents));
    finished = List.copyOf(finished);
    recent = List.copyOf(recent);
  }

  /** A message already handled, and what was replied (empty when nothing was sent). */
  public record Processed(String messageSid, List<String> reply, Instant at) {
    public Processed {
      reply = List.copyOf(reply);
    }
  }

  public static NumberState fresh(String respondentKey) {
    return new NumberState(respondentKey, 0, null, null, null, Map.of(), null, List.of(), List.of());
  }

  public boolean optedOut() {
    return optedOutAt != null;
  }

  public boolean processed(String messageSid) {
    return recent.stream().anyMatch(p -> p.messageSid().equals(messageSid));
  }

  /**
   * What to answer a message handled before: the same reply if it is still the latest message
   * from this number (the provider retrying), else nothing, since a later message (a STOP, say)
   * has moved on and an old reply would now be wrong.
   */
  public List<String> repeatReply(String messageSid) {
    Processed latest = recent.isEmpty() ? null : recent.get(recent.size() - 1);
    return latest != null && latest.messageSid().equals(messageSid) ? latest.reply() : List.of();
  }

  NumberState withConversation(Conversation next) {
    return new NumberState(respondentKey, version, next == null ? language : next.language(), optedOutAt, contact,
        consents, next, finished, recent);
  }

  /** Ends the conversation under way (if any), queueing its answers to be stored. */
  NumberState ending(Conversation.EndReason reason, Instant now) {
    if (conversation == null) {
      return this;
    }
    List<Conversation> outbox = new ArrayList<>(finished);
    outbox.add(conversation.ended(reason, now));
    return new NumberState(respondentKey, version, language, optedOutAt, contact, consents, null, outbox, recent);
  }

  NumberState optingOut(Instant now) {
    return new NumberState(respondentKey, version, language, now, contact, consents, conversation, finished, recent);
  }

  NumberState optingIn() {
    return new NumberState(respondentKey, version, language, null, contact, consents, conversation, finished, recent);
  }

  /** Records a consent answer: the encrypted number is kept while any consent is yes. */
  NumberState withConsent(String surveyId, boolean given, String encryptedContact) {
    Map<String, Boolean> next = new LinkedHashMap<>(consents);
    next.put(surveyId, given);
    boolean anyYes = next.containsValue(Boolean.TRUE);
    String keptContact = given ? encryptedContact : anyYes ? contact : null;
    return new NumberState(respondentKey, version, language, optedOutAt, keptContact, next, conversation, finished,
        recent);
  }

  NumberState withLanguage(String newLanguage) {
    return new NumberState(respondentKey, version, newLanguage, optedOutAt, contact, consents, conversation, finished,
        recent);
  }

  NumberState remembering(String messageSid, List<String> reply, Instant now) {
    List<Processed> kept = new ArrayList<>();
    for (Processed earlier : recent) {
      kept.add(earlier.reply().isEmpty() ? earlier : new Processed(earlier.messageSid(), List.of(), earlier.at()));
    }
    kept.add(new Processed(messageSid, reply, now));
    List<Processed> trimmed = kept.subList(Math.max(0, kept.size() - RECENT_MESSAGES), kept.size());
    return new NumberState(respondentKey, version, language, optedOutAt, contact, consents, conversation, finished,
        trimmed);
  }

  NumberState withoutFinished(String conversationId) {
    List<Conversation> outbox = finished.stream().filter(c -> !c.id().equals(conversationId)).toList();
    return new NumberState(respondentKey, version, language, optedOutAt, contact, consents, conversation, outbox,
        recent);
  }
}
