package org.heard.sms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heard.i18n.Messages;
import org.heard.survey.DefinitionProblem;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;

/**
 * Every fixed SMS text in every language an SMS survey offers, filled in as this partnership's
 * messages will be (its name, its keywords, each survey's title), against the two-segment limit.
 * Question prompts are checked by {@link SmsPrompts}; a correction sent with a prompt is cut to fit
 * by {@link SmsPrompts#correction}, and a "you said, we did" text by {@link SmsSegments#fit}.
 */
public final class SmsTexts {
  private SmsTexts() {
  }

  /** One fixed text of one language, filled in, and what it costs. */
  public record Row(String language, String key, String text, SmsSegments.Count count) {
  }

  public static List<DefinitionProblem> problems(SurveyCatalog catalog, Messages messages) {
    List<DefinitionProblem> problems = new ArrayList<>();
    for (Row row : rows(catalog, messages)) {
      SmsSegments.Count count = row.count();
      if (count.segments() > SmsPrompts.MAX_SEGMENTS) {
        problems.add(new DefinitionProblem("messages/" + row.language() + ".properties", row.key(), "needs "
            + count.segments() + " SMS segments (" + count.units() + " " + (count.encoding() == SmsSegments.Encoding.GSM7
            ? "GSM-7 characters" : "UCS-2 units") + ") with this partnership's names, at most "
            + SmsPrompts.MAX_SEGMENTS + " are allowed: \"" + row.text() + "\""));
      }
    }
    return problems;
  }

  /** Every fixed SMS text, in every language an SMS survey offers, as it will be sent. */
  public static List<Row> rows(SurveyCatalog catalog, Messages messages) {
    List<SurveyDefinition> sms = catalog.all().stream().filter(s -> s.channels().sms()).toList();
    Set<String> languages = new LinkedHashSet<>();
    sms.forEach(s -> languages.addAll(s.languages()));
    String name = catalog.partnership().name();
    String longestKeyword = sms.stream().flatMap(s -> s.channels().smsKeywords().stream())
        .map(k -> k.word()).reduce("", (a, b) -> b.length() > a.length() ? b : a);
    List<Row> rows = new ArrayList<>();
    for (String lang : languages) {
      if (!messages.supports(lang)) {
        continue;
      }
      String keywords = SmsDialogue.keywordList(sms, lang);
      Map<String, String> texts = new LinkedHashMap<>();
      texts.put("sms.help", messages.get(lang, "sms.help", name, keywords));
      texts.put("sms.stopped", messages.get(lang, "sms.stopped", name));
      texts.put("sms.thanks", messages.get(lang, "sms.thanks", name));
      texts.put("sms.resubscribed", messages.get(lang, "sms.resubscribed", keywords));
      texts.put("sms.welcome", messages.get(lang, "sms.welcome", keywords));
      texts.put("sms.unknown", messages.get(lang, "sms.unknown", keywords));
      texts.put("sms.gave.up", messages.get(lang, "sms.gave.up", longestKeyword));
      texts.put("sms.moving.on", messages.get(lang, "sms.moving.on"));
      texts.put("sms.invalid.scale", messages.get(lang, "sms.invalid.scale", "1", "10"));
      texts.put("sms.invalid.choice", messages.get(lang, "sms.invalid.choice", "Z"));
      texts.put("sms.invalid.multi", messages.get(lang, "sms.invalid.multi", "Z"));
      texts.put("sms.invalid.multi.max", messages.get(lang, "sms.invalid.multi.max", 3));
      texts.put("sms.invalid.consent", messages.get(lang, "sms.invalid.consent"));
      texts.put("sms.invalid.number.range", messages.get(lang, "sms.invalid.number.range", "0", "100"));
      texts.put("sms.invalid.text.long", messages.get(lang, "sms.invalid.text.long", 1000));
      texts.put("sms.invalid.unusable", messages.get(lang, "sms.invalid.unusable"));
      for (SurveyDefinition survey : sms) {
        String title = survey.title().in(lang, survey.defaultLanguage()).text();
        texts.put("sms.closed (" + survey.id() + ")", messages.get(lang, "sms.closed", title));
        texts.put("sms.intro (" + survey.id() + ")", title + ". " + messages.get(lang, "sms.intro"));
      }
      texts.forEach((key, text) -> rows.add(new Row(lang, key, text, SmsSegments.count(text))));
    }
    return rows;
  }
}
