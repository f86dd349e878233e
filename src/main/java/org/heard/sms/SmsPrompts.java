package org.heard.sms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.heard.i18n.Messages;
import org.heard.survey.DefinitionProblem;
import org.heard.survey.Partnership;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;

/**
 * The text of each question as an SMS: its {@code sms} text (or its full text), then the replies
 * Heard accepts, worded by Heard so every survey reads the same: "Reply 1-5", "Reply A Yes, B No",
 * letters for choices (short {@code sms} option labels where given), and "or SKIP" on equality
 * monitoring questions. A prompt longer than two SMS segments is a definition error.
 */
public final class SmsPrompts {
  public static final int MAX_SEGMENTS = 2;

  private final Messages messages;
  private final Partnership partnership;

  public SmsPrompts(Messages messages, Partnership partnership) {
    this.messages = messages;
    this.partnership = partnership;
  }

  /** Choice letters: A, B, C... in option order. */
  public static String letter(int index) {
    return String.valueOf((char) ('A' + index));
  }

  public String prompt(Question q, String lang, String fallback) {
    // The short SMS wording in this language, else the question's own words in it, before any
    // text in another language.
    boolean smsInLanguage = q.sms() != null && q.sms().byLanguage().containsKey(lang);
    String question = (smsInLanguage || q.sms() != null && !q.text().byLanguage().containsKey(lang) ? q.sms() : q.text())
        .in(lang, fallback).text();
    String reply = reply(q, lang, fallback);
    String prompt = reply == null ? question : question + " " + reply;
    return q.monitoring() ? prompt + " " + messages.get(lang, "sms.reply.skip") : prompt;
  }

  /**
   * A correction with the question asked again, within {@link #MAX_SEGMENTS}: the whole prompt if it
   * fits, else only how to reply, else the correction alone.
   */
  public String correction(String correction, Question q, String lang, String fallback) {
    String reply = reply(q, lang, fallback);
    String skip = q.monitoring() ? " " + messages.get(lang, "sms.reply.skip") : "";
    List<String> candidates = new ArrayList<>(List.of(correction + " " + prompt(q, lang, fallback)));
    if (reply != null) {
      candidates.add(correction + " " + reply + skip);
    }
    return candidates.stream().filter(text -> SmsSegments.count(text).segments() <= MAX_SEGMENTS).findFirst()
        .orElse(correction);
  }

  private String reply(Question q, String lang, String fallback) {
    return switch (q.type()) {
      case SCALE -> scale(q, lang, fallback);
      case SINGLE_CHOICE -> messages.get(lang, "sms.reply.choice", lettered(labels(q, lang, fallback)));
      case AREA -> messages.get(lang, "sms.reply.choice",
          lettered(partnership.areas().stream().map(a -> a.name()).toList()));
      case MULTI_CHOICE -> q.maxChoices() == null
          ? messages.get(lang, "sms.reply.multi", lettered(labels(q, lang, fallback)))
          : messages.get(lang, "sms.reply.multi.max", q.maxChoices(), lettered(labels(q, lang, fallback)));
      case CONSENT -> messages.get(lang, "sms.reply.consent");
      case NUMBER -> messages.get(lang, "sms.reply.number");
      case TEXT -> null;
    };
  }

  private String scale(Question q, String lang, String fallback) {
    int min = q.min().intValue();
    int max = q.max().intValue();
    if (q.labels().containsKey(min) && q.labels().containsKey(max)) {
      return messages.get(lang, "sms.reply.scale.labels", String.valueOf(min),
          q.labels().get(min).in(lang, fallback).text().toLowerCase(Locale.ROOT), String.valueOf(max),
          q.labels().get(max).in(lang, fallback).text().toLowerCase(Locale.ROOT));
    }
    return messages.get(lang, "sms.reply.scale", String.valueOf(min), String.valueOf(max));
  }

  private static List<String> labels(Question q, String lang, String fallback) {
    return q.options().stream().map(o -> o.smsLabel(lang, fallback).text()).toList();
  }

  private static String lettered(List<String> labels) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      parts.add(letter(i) + " " + labels.get(i));
    }
    return String.join(", ", parts);
  }

  /** Every prompt of every SMS survey, in every language, that needs more than two segments. */
  public List<DefinitionProblem> problems(SurveyCatalog catalog) {
    List<DefinitionProblem> problems = new ArrayList<>();
    for (SurveyDefinition survey : catalog.all()) {
      if (!survey.channels().sms()) {
        continue;
      }
      for (int i = 0; i < survey.questions().size(); i++) {
        Question q = survey.questions().get(i);
        if (q.type() == QuestionType.AREA && partnership.areas().size() > 26
            || q.options().size() > 26) {
          problems.add(new DefinitionProblem(survey.sourceFile(), "questions[" + i + "]",
              "has more than 26 choices, which SMS letters cannot number"));
          continue;
        }
        for (String lang : survey.languages()) {
          String prompt = prompt(q, lang, survey.defaultLanguage());
          SmsSegments.Count count = SmsSegments.count(prompt);
          if (count.segments() > MAX_SEGMENTS) {
            problems.add(new DefinitionProblem(survey.sourceFile(), "questions[" + i + "].sms." + lang,
                "the SMS for this question needs " + count.segments() + " segments (" + count.units() + " "
                    + (count.encoding() == SmsSegments.Encoding.GSM7 ? "GSM-7 characters" : "UCS-2 units")
                    + "), at most " + MAX_SEGMENTS + " are allowed; shorten the sms text or add short sms labels "
                    + "to options: \"" + prompt + "\""));
          }
        }
      }
    }
    return problems;
  }
}
