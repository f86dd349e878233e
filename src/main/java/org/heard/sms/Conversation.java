package org.heard.sms;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One run through one survey by text message.
 *
 * @param id             random; the idempotency key of the response it becomes
 * @param keyword        the keyword that started it, as the survey defines it
 * @param questionId     the question waiting for a reply
 * @param invalidReplies replies to that question that could not be read
 * @param answers        accepted answers so far, in the order asked
 * @param endedBy        null while it runs; why it ended once it has
 */
public record Conversation(
    String id,
    String surveyId,
    String language,
    String keyword,
    String questionId,
    int invalidReplies,
    Map<String, Object> answers,
    Instant startedAt,
    Instant lastMessageAt,
    EndReason endedBy) {

  public Conversation {
    answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
  }

  /** Why a conversation ended. Only a completed one is a complete response. */
  public enum EndReason {
    COMPLETED, EXPIRED, OPTED_OUT, GAVE_UP, RESTARTED;

    public String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static EndReason fromKey(String key) {
      return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  public boolean isIdleSince(Instant cutoff) {
    return lastMessageAt.isBefore(cutoff);
  }

  Conversation asking(String nextQuestionId, Map<String, Object> newAnswers, Instant now) {
    return new Conversation(id, surveyId, language, keyword, nextQuestionId, 0, newAnswers, startedAt, now, null);
  }

  Conversation withInvalidReply(Instant now) {
    return new Conversation(id, surveyId, language, keyword, questionId, invalidReplies + 1, answers, startedAt,
        now, null);
  }

  Conversation ended(EndReason reason, Instant now) {
    return new Conversation(id, surveyId, language, keyword, null, invalidReplies, answers, startedAt,
        reason == EndReason.EXPIRED ? lastMessageAt : now, reason);
  }
}
