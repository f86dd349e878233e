package org.heard.sms;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.heard.i18n.Messages;
import org.heard.response.LocalNumbers;
import org.heard.survey.Partnership;
import org.heard.survey.Question;

/**
 * Reads a resident's SMS reply to one question the way people type them: "4", " 4.", "b", "A C",
 * "a,c", "AC", "yes", "tak", "SKIP". The result is the answer (as the API would send it), a skip,
 * or a short correction in the conversation's language.
 */
public final class SmsReplies {
  private final Messages messages;
  private final Partnership partnership;
  private final SmsWords words;

  public SmsReplies(Messages messages, Partnership partnership) {
    this.messages = messages;
    this.partnership = partnership;
    this.words = new SmsWords(messages);
  }

  /** What a reply meant: an answer, a deliberate skip, or a correction to send back. */
  public sealed interface Reading permits Answer, Skip, Correction {
  }

  public record Answer(Object value) implements Reading {
  }

  public record Skip() implements Reading {
  }

  public record Correction(String message) implements Reading {
  }

  public Reading read(Question q, String reply, String lang) {
    String text = reply == null ? "" : reply.strip();
    if (q.monitoring() && text.equalsIgnoreCase("SKIP")) {
      return new Skip();
    }
    return switch (q.type()) {
      case SCALE -> scale(q, text, lang);
      case SINGLE_CHOICE -> choice(choices(q), q.options().stream()
          .map(o -> List.of(o.smsLabel(lang, lang).text(), o.label(lang, lang).text())).toList(), text, lang);
      case AREA -> choice(partnership.areas().stream().map(a -> a.code()).toList(),
          partnership.areas().stream().map(a -> List.of(a.name())).toList(), text, lang);
      case MULTI_CHOICE -> multi(q, text, lang);
      case CONSENT -> consent(text, lang);
      case NUMBER -> number(q, text, lang);
      case TEXT -> freeText(q, text, lang);
    };
  }

  private static List<String> choices(Question q) {
    return q.options().stream().map(o -> o.value()).toList();
  }

  private Reading scale(Question q, String text, String lang) {
    Long n = wholeNumber(text);
    int min = q.min().intValue();
    int max = q.max().intValue();
    return n != null && n >= min && n <= max ? new Answer(n.intValue())
        : new Correction(messages.get(lang, "sms.invalid.scale", String.valueOf(min), String.valueOf(max)));
  }

  /** A letter, or the option's words as shown ("yes", "Northgate"): people answer both ways. */
  private Reading choice(List<String> values, List<List<String>> labels, String text, String lang) {
    String words = comparable(text);
    for (int i = 0; i < labels.size(); i++) {
      for (String label : labels.get(i)) {
        if (words.length() > 1 && comparable(label).equals(words)) {
          return new Answer(values.get(i));
        }
      }
    }
    String letters = lettersOnly(text);
    if (letters.length() == 1) {
      int index = letters.charAt(0) - 'A';
      if (index >= 0 && index < values.size()) {
        return new Answer(values.get(index));
      }
    }
    return new Correction(messages.get(lang, "sms.invalid.choice", SmsPrompts.letter(values.size() - 1)));
  }

  private Reading multi(Question q, String text, String lang) {
    List<String> values = choices(q);
    String letters = lettersOnly(text);
    String last = SmsPrompts.letter(values.size() - 1);
    if (letters.isEmpty() || !text.matches("[\\p{L}\\s,;.&+]+")) {
      return new Correction(messages.get(lang, "sms.invalid.multi", last));
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (char c : letters.toCharArray()) {
      int index = c - 'A';
      if (index < 0 || index >= values.size()) {
        return new Correction(messages.get(lang, "sms.invalid.multi", last));
      }
      chosen.add(values.get(index));
    }
    if (q.maxChoices() != null && chosen.size() > q.maxChoices()) {
      return new Correction(messages.get(lang, "sms.invalid.multi.max", q.maxChoices()));
    }
    return new Answer(new ArrayList<>(chosen));
  }

  private Reading consent(String text, String lang) {
    String word = SmsDialogue.normalise(text);
    if (words.isYes(word)) {
      return new Answer(Boolean.TRUE);
    }
    if (words.isNo(word)) {
      return new Answer(Boolean.FALSE);
    }
    return new Correction(messages.get(lang, "sms.invalid.consent"));
  }

  private Reading number(Question q, String text, String lang) {
    // A full stop ending the message is punctuation, not a decimal mark.
    Number number = LocalNumbers.read(text.replaceAll("[\\s.]+$", ""), lang);
    if (number == null) {
      return new Correction(messages.get(lang, "sms.invalid.number"));
    }
    double value = number.doubleValue();
    boolean inRange = (q.min() == null || value >= q.min()) && (q.max() == null || value <= q.max());
    if (!inRange) {
      return new Correction(q.min() != null && q.max() != null
          ? messages.get(lang, "sms.invalid.number.range", q.minText(), q.maxText())
          : messages.get(lang, "sms.invalid.number"));
    }
    if (q.wholeNumber() && !(number instanceof Long)) {
      return new Correction(messages.get(lang, "sms.invalid.whole"));
    }
    // Already a Long when whole (LocalNumbers decides that for every channel).
    return new Answer(number);
  }

  private Reading freeText(Question q, String text, String lang) {
    if (text.isEmpty()) {
      return new Correction(messages.get(lang, "sms.invalid.text"));
    }
    if (text.codePointCount(0, text.length()) > q.effectiveMaxLength()) {
      return new Correction(messages.get(lang, "sms.invalid.text.long", q.effectiveMaxLength()));
    }
    return new Answer(text);
  }

  private static String comparable(String text) {
    return text.replaceAll("[^\\p{L}\\p{N}]+", " ").strip().toUpperCase(Locale.ROOT);
  }

  /** The letters of a reply, upper-cased, with separators people use (spaces, commas) removed. */
  private static String lettersOnly(String text) {
    return text.replaceAll("[\\s,;.&+]", "").toUpperCase(Locale.ROOT);
  }

  private static Long wholeNumber(String text) {
    String cleaned = text.replaceAll("[\\s.!]+$", "");
    return cleaned.matches("-?\\d{1,9}") ? Long.parseLong(cleaned) : null;
  }
}
