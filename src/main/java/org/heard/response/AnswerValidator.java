package org.heard.response;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heard.error.ClientText;
import org.heard.error.FieldError;
import org.heard.survey.Partnership;
import org.heard.survey.Question;
import org.heard.survey.SurveyDefinition;

/**
 * Checks raw answers against a survey definition (the rules of the survey format) and returns
 * them normalised for storage, or every problem found, each naming its question.
 */
public final class AnswerValidator {
  /** The error code of a required question left unanswered. */
  public static final String REQUIRED = "required";

  private final Partnership partnership;

  public AnswerValidator(Partnership partnership) {
    this.partnership = partnership;
  }

  /** The outcome: normalised answers when {@code errors} is empty. */
  public record Result(Map<String, Object> answers, List<FieldError> errors) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  public Result validate(SurveyDefinition survey, Map<String, ?> raw) {
    List<FieldError> errors = new ArrayList<>();
    for (String key : raw.keySet()) {
      if (survey.question(key).isEmpty()) {
        errors.add(error(key, "unknown_question", "is not a question of survey " + survey.id()));
      }
    }
    return check(survey.questions(), Map.of(), raw, errors);
  }

  /**
   * Validates the answers to some questions (one page of a form), given the answers already
   * accepted for earlier questions, which decide what {@code show_if} hides.
   */
  public Result validatePart(List<Question> questions, Map<String, Object> earlier, Map<String, ?> raw) {
    return check(questions, earlier, raw, new ArrayList<>());
  }

  /** The answers that still apply: those to questions that {@code show_if} does not hide. */
  public static Map<String, Object> applicable(SurveyDefinition survey, Map<String, Object> answers) {
    Map<String, Object> kept = new LinkedHashMap<>();
    for (Question question : survey.questions()) {
      boolean shown = question.isAskedGiven(kept);
      if (shown && answers.containsKey(question.id())) {
        kept.put(question.id(), answers.get(question.id()));
      }
    }
    return kept;
  }

  private Result check(List<Question> questions, Map<String, Object> earlier, Map<String, ?> raw,
      List<FieldError> errors) {
    Map<String, Object> known = new LinkedHashMap<>(earlier);
    Map<String, Object> answers = new LinkedHashMap<>();
    for (Question question : questions) {
      Object value = raw.get(question.id());
      boolean given = !isBlank(value);
      boolean shown = question.isAskedGiven(known);
      if (!shown) {
        if (given) {
          errors.add(error(question.id(), "not_asked", "is only asked when " + question.showIf().describe()));
        }
        continue;
      }
      if (!given) {
        if (question.isRequired()) {
          errors.add(error(question.id(), REQUIRED, "is required"));
        }
        continue;
      }
      int before = errors.size();
      Object normalised = normalise(question, value, errors);
      if (errors.size() == before) {
        answers.put(question.id(), normalised);
        known.put(question.id(), normalised);
      }
    }
    return new Result(answers, errors);
  }

  private Object normalise(Question question, Object value, List<FieldError> errors) {
    String id = question.id();
    switch (question.type()) {
      case SINGLE_CHOICE -> {
        if (!(value instanceof String choice)) {
          errors.add(error(id, "wrong_type", "must be one option value, as text"));
          return null;
        }
        if (!question.allowsChoice(choice)) {
          errors.add(error(id, "not_an_option", "'" + ClientText.shorten(choice) + "' is not an option (" + optionList(question) + ")"));
        }
        return choice;
      }
      case MULTI_CHOICE -> {
        return multiChoice(question, value, errors);
      }
      case SCALE -> {
        Long point = wholeNumber(value);
        if (point == null) {
          errors.add(error(id, "wrong_type", "must be a whole number"));
        } else if (point < question.min() || point > question.max()) {
          errors.add(error(id, "out_of_range", "must be from " + question.minText() + " to " + question.maxText()));
        }
        return point == null ? null : point.intValue();
      }
      case NUMBER -> {
        Double number = value instanceof Number n ? n.doubleValue() : null;
        if (number == null || !Double.isFinite(number)) {
          errors.add(error(id, "wrong_type", "must be a number"));
          return null;
        }
        if ((question.min() != null && number < question.min()) || (question.max() != null && number > question.max())) {
          errors.add(error(id, "out_of_range", "must be " + rangeText(question)));
        }
        Long whole = wholeNumber(value);
        if (whole == null && question.wholeNumber()) {
          errors.add(error(id, "not_whole", "must be a whole number"));
        }
        return whole != null ? (Object) whole : number;
      }
      case TEXT -> {
        if (!(value instanceof String text)) {
          errors.add(error(id, "wrong_type", "must be text"));
          return null;
        }
        String cleaned = text.replace("\r\n", "\n").strip();
        if (cleaned.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
          errors.add(error(id, "invalid_characters", "contains control characters"));
        }
        int length = cleaned.codePointCount(0, cleaned.length());
        if (length > question.effectiveMaxLength()) {
          errors.add(error(id, "too_long", "must be " + question.effectiveMaxLength()
              + " characters or fewer (it has " + length + ")"));
        }
        return cleaned;
      }
      case AREA -> {
        if (!(value instanceof String code)) {
          errors.add(error(id, "wrong_type", "must be an area code, as text"));
          return null;
        }
        if (partnership.area(code).isEmpty()) {
          errors.add(error(id, "not_an_option", "'" + ClientText.shorten(code) + "' is not one of the partnership's areas"));
        }
        return code;
      }
      case CONSENT -> {
        if (!(value instanceof Boolean consent)) {
          errors.add(error(id, "wrong_type", "must be true or false"));
          return null;
        }
        return consent;
      }
      default -> throw new IllegalStateException("unhandled question type " + question.type());
    }
  }

  private List<String> multiChoice(Question question, Object value, List<FieldError> errors) {
    String id = question.id();
    if (!(value instanceof List<?> list)) {
      errors.add(error(id, "wrong_type", "must be a list of option values"));
      return null;
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (Object item : list) {
      if (!(item instanceof String choice)) {
        errors.add(error(id, "wrong_type", "must be a list of option values, as text"));
        return null;
      }
      if (!question.allowsChoice(choice)) {
        errors.add(error(id, "not_an_option", "'" + ClientText.shorten(choice) + "' is not an option (" + optionList(question) + ")"));
      } else if (!chosen.add(choice)) {
        errors.add(error(id, "duplicate_choice", "'" + choice + "' is chosen twice"));
      }
    }
    if (question.maxChoices() != null && chosen.size() > question.maxChoices()) {
      errors.add(error(id, "too_many_choices", "choose at most " + question.maxChoices()));
    }
    if (chosen.contains(Question.PREFER_NOT_TO_SAY) && chosen.size() > 1) {
      errors.add(error(id, "exclusive_choice", "'Prefer not to say' cannot be combined with other answers"));
    }
    return List.copyOf(chosen);
  }

  /** No answer: nothing, blank text, or no choice. */
  public static boolean isBlank(Object value) {
    return value == null
        || (value instanceof String s && s.isBlank())
        || (value instanceof List<?> l && l.isEmpty());
  }

  /** A whole number from any JSON number (3, 3.0), or null. */
  private static Long wholeNumber(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 63 ? big.longValue() : null;
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : null;
    }
    return null;
  }

  private static String rangeText(Question question) {
    if (question.min() != null && question.max() != null) {
      return "from " + question.minText() + " to " + question.maxText();
    }
    return question.min() != null ? "at least " + question.minText() : "at most " + question.maxText();
  }

  private static String optionList(Question question) {
    List<String> values = new ArrayList<>(question.options().stream().map(o -> o.value()).toList());
    if (question.monitoring()) {
      values.add(Question.PREFER_NOT_TO_SAY);
    }
    return String.join(", ", values);
  }

  private static FieldError error(String questionId, String code, String message) {
    return new FieldError("answers." + ClientText.shorten(questionId), code, message);
  }
}
