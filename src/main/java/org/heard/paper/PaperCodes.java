package org.heard.paper;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.heard.response.LocalNumbers;
import org.heard.survey.Partnership;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyChannels;

/**
 * What an outreach worker types for each question, read the way the paper form is printed: the
 * option's code (1, 2, 3... or A, B, C...), several codes for a multi-choice ("1 3", "13", "1,3"),
 * the number for a scale or number, the words for free text; "-" when the person left it blank and
 * "?" when it cannot be read. A CSV cell may also hold the option's value ("asb") instead of its code.
 */
public final class PaperCodes {
  public static final String NOT_ANSWERED = "-";
  public static final String UNREADABLE = "?";

  private final Partnership partnership;

  public PaperCodes(Partnership partnership) {
    this.partnership = partnership;
  }

  /** How a question was marked when it has no answer. */
  public enum Mark {
    NOT_ANSWERED, UNREADABLE;

    public String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Mark fromKey(String key) {
      return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** What was typed for one question: a value for the validator, a mark, nothing, or a problem. */
  public sealed interface Reading permits Value, Marked, Blank, Problem {
  }

  public record Value(Object raw) implements Reading {
  }

  public record Marked(Mark mark) implements Reading {
  }

  public record Blank() implements Reading {
  }

  public record Problem(String message) implements Reading {
  }

  /** An option as printed: its code and its label. */
  public record Code(String code, String value, String label) {
  }

  public List<Code> codes(Question q, SurveyChannels.Numbering numbering, String language) {
    List<Code> codes = new ArrayList<>();
    switch (q.type()) {
      case SINGLE_CHOICE, MULTI_CHOICE -> {
        for (int i = 0; i < q.options().size(); i++) {
          var option = q.options().get(i);
          codes.add(new Code(numbering.code(i), option.value(), option.label(language, language).text()));
        }
        if (q.monitoring() && q.type() == QuestionType.SINGLE_CHOICE) {
          codes.add(new Code(numbering.code(q.options().size()), Question.PREFER_NOT_TO_SAY, "Prefer not to say"));
        }
      }
      case AREA -> {
        for (int i = 0; i < partnership.areas().size(); i++) {
          codes.add(new Code(numbering.code(i), partnership.areas().get(i).code(), partnership.areas().get(i).name()));
        }
      }
      case CONSENT -> {
        codes.add(new Code(numbering.code(0), "true", "Yes"));
        codes.add(new Code(numbering.code(1), "false", "No"));
      }
      default -> {
      }
    }
    return codes;
  }

  /** What was typed for {@code q}, read by the conventions of the form's {@code language} (numbers). */
  public Reading read(Question q, SurveyChannels.Numbering numbering, String typed, String language) {
    String text = typed == null ? "" : typed.strip();
    if (text.isEmpty()) {
      return new Blank();
    }
    if (text.equals(NOT_ANSWERED)) {
      return new Marked(Mark.NOT_ANSWERED);
    }
    if (text.equals(UNREADABLE)) {
      return new Marked(Mark.UNREADABLE);
    }
    List<Code> codes = codes(q, numbering, "en");
    return switch (q.type()) {
      case SINGLE_CHOICE, AREA -> one(codes, text).<Reading>map(c -> new Value(c.value()))
          .orElseGet(() -> new Problem("Type one of the codes " + range(codes)));
      case CONSENT -> one(codes, text).<Reading>map(c -> new Value(Boolean.valueOf(c.value())))
          .orElseGet(() -> new Problem("Type " + codes.get(0).code() + " for yes or " + codes.get(1).code() + " for no"));
      case MULTI_CHOICE -> several(codes, text);
      case SCALE, NUMBER -> number(text, language);
      case TEXT -> new Value(text);
    };
  }

  private static Optional<Code> one(List<Code> codes, String text) {
    String upper = text.toUpperCase(Locale.ROOT).replaceAll("[.)]$", "");
    return codes.stream().filter(c -> c.code().equals(upper) || c.value().equals(text)).findFirst();
  }

  private static Reading several(List<Code> codes, String text) {
    List<String> tokens = new ArrayList<>(List.of(text.toUpperCase(Locale.ROOT).split("[\\s,;]+")));
    boolean singleCharacterCodes = codes.stream().allMatch(c -> c.code().length() == 1);
    if (tokens.size() == 1 && singleCharacterCodes && tokens.get(0).length() > 1
        && codes.stream().noneMatch(c -> c.value().equals(text))) {
      tokens = tokens.get(0).chars().mapToObj(c -> String.valueOf((char) c)).toList();
    }
    Set<String> values = new LinkedHashSet<>();
    for (String token : tokens) {
      Optional<Code> code = codes.stream()
          .filter(c -> c.code().equals(token) || c.value().equalsIgnoreCase(token)).findFirst();
      if (code.isEmpty()) {
        return new Problem("Type the codes ticked, from " + range(codes) + ", e.g. " + codes.get(0).code() + " "
            + codes.get(Math.min(2, codes.size() - 1)).code());
      }
      values.add(code.get().value());
    }
    return new Value(new ArrayList<>(values));
  }

  /** "3,5" is 3.5 on a Polish form and no number on an English one, as on the web and by SMS. */
  private static Reading number(String text, String language) {
    Number value = LocalNumbers.read(text, language);
    if (value == null) {
      return new Problem("Type a number, like 4 (" + (LocalNumbers.read("3,5", language) == null ? "3.5" : "3,5")
          + " for a fraction on this form)");
    }
    return new Value(value);
  }

  private static String range(List<Code> codes) {
    return codes.get(0).code() + " to " + codes.get(codes.size() - 1).code();
  }
}
