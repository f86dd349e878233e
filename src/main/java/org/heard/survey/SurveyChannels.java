package org.heard.survey;

import java.util.List;
import java.util.Locale;

/**
 * Which channels a survey is open on: the web form, SMS (started by a keyword) and paper forms
 * (identified by the form code printed on them).
 *
 * @param paper how paper forms of this survey are printed and entered, or null when there are none
 */
public record SurveyChannels(boolean web, List<Keyword> smsKeywords, Paper paper) {

  public SurveyChannels {
    smsKeywords = List.copyOf(smsKeywords);
  }

  public boolean sms() {
    return !smsKeywords.isEmpty();
  }

  public String paperFormCode() {
    return paper == null ? null : paper.formCode();
  }

  /** An SMS keyword and the survey language it starts the conversation in. */
  public record Keyword(String word, String language) {
  }

  /**
   * The paper form: its printed code, how its options are numbered (as printed, so outreach workers
   * type what they see), and whether every form must be keyed twice by different workers.
   */
  public record Paper(String formCode, Numbering numbering, boolean doubleEntry) {
  }

  /** Option codes printed on the paper form: 1, 2, 3... or A, B, C... */
  public enum Numbering {
    NUMBERS, LETTERS;

    public String code(int index) {
      return this == NUMBERS ? String.valueOf(index + 1) : String.valueOf((char) ('A' + index));
    }

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
