package org.heard.survey;

import java.util.List;

/**
 * Which channels a survey is open on: the web form, SMS (started by a keyword) and paper forms
 * (identified by the form code printed on them).
 */
public record SurveyChannels(boolean web, List<Keyword> smsKeywords, String paperFormCode) {

  public SurveyChannels {
    smsKeywords = List.copyOf(smsKeywords);
  }

  public boolean sms() {
    return !smsKeywords.isEmpty();
  }

  public boolean paper() {
    return paperFormCode != null;
  }

  /** An SMS keyword and the survey language it starts the conversation in. */
  public record Keyword(String word, String language) {
  }
}
