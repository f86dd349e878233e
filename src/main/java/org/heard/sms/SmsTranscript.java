package org.heard.sms;

import java.util.ArrayList;
import java.util.List;
import org.heard.i18n.Messages;
import org.heard.survey.Question;
import org.heard.survey.SurveyChannels;
import org.heard.survey.SurveyDefinition;

/**
 * The SMS conversation a survey makes, message by message, as {@link SmsDialogue} words it: the
 * keyword, the title with the instructions, each question's prompt (a question with show_if says
 * when it is asked), and the thanks; each of Heard's messages with its SMS segments.
 */
public final class SmsTranscript {
  /** One message: {@code fromResident} or Heard's, with its segment count (Heard's only) and a note. */
  public record Message(boolean fromResident, String text, SmsSegments.Count count, String note) {
  }

  private final Messages messages;
  private final SmsPrompts prompts;
  private final String partnershipName;

  public SmsTranscript(Messages messages, SmsPrompts prompts, String partnershipName) {
    this.messages = messages;
    this.prompts = prompts;
    this.partnershipName = partnershipName;
  }

  /** The conversation in {@code lang}; empty when the survey has no SMS keyword. */
  public List<Message> conversation(SurveyDefinition survey, String lang) {
    List<Message> transcript = new ArrayList<>();
    List<SurveyChannels.Keyword> keywords = survey.channels().smsKeywords();
    if (keywords.isEmpty()) {
      return transcript;
    }
    String keyword = keywords.stream().filter(k -> k.language().equals(lang)).findFirst().orElse(keywords.get(0)).word();
    transcript.add(new Message(true, keyword, null, ""));
    heard(transcript, SmsDialogue.intro(messages, survey, lang), "");
    for (Question q : survey.questions()) {
      heard(transcript, prompts.prompt(q, lang, survey.defaultLanguage()),
          q.showIf() == null ? "" : "asked only when " + q.showIf().describe());
      transcript.add(new Message(true, "…", null, ""));
    }
    heard(transcript, messages.get(lang, "sms.thanks", partnershipName), "");
    return transcript;
  }

  private static void heard(List<Message> transcript, String text, String note) {
    transcript.add(new Message(false, text, SmsSegments.count(text), note));
  }
}
