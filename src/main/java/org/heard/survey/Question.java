package org.heard.survey;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One question of a survey, as written in its definition file. Fields that do not apply to the
 * question's type are null (numbers) or empty (collections).
 *
 * @param section    when present, this question starts a new page with this heading
 * @param labels     scale labels by point on the scale
 * @param monitoring equality-monitoring question: never required, offers "Prefer not to say"
 * @param themes     free text included in theme analysis
 * @param wholeNumber a number question that takes whole numbers only
 */
public record Question(
    String id,
    QuestionType type,
    LocalizedText text,
    LocalizedText hint,
    LocalizedText sms,
    LocalizedText section,
    boolean required,
    Double min,
    Double max,
    Map<Integer, LocalizedText> labels,
    List<ChoiceOption> options,
    Integer maxChoices,
    Integer maxLength,
    boolean themes,
    ShowIf showIf,
    boolean monitoring,
    Indicator indicator,
    boolean wholeNumber) {

  /** The value stored when someone chooses "Prefer not to say" on a monitoring question. */
  public static final String PREFER_NOT_TO_SAY = "prefer_not_to_say";

  /** Free text without a max_length is limited to this many characters. */
  public static final int DEFAULT_MAX_LENGTH = 2000;

  public Question {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    options = options == null ? List.of() : List.copyOf(options);
  }

  public Optional<ChoiceOption> option(String value) {
    return options.stream().filter(o -> o.value().equals(value)).findFirst();
  }

  /** Whether {@code value} is an allowed choice, counting "Prefer not to say" on monitoring questions. */
  public boolean allowsChoice(String value) {
    return option(value).isPresent() || (monitoring && PREFER_NOT_TO_SAY.equals(value));
  }

  /** Whether the question is asked, given the answers to earlier questions (its {@code show_if}). */
  public boolean isAskedGiven(Map<String, Object> answers) {
    return showIf == null || showIf.holds(answers);
  }

  /** The lower bound as people write it ("0", "2.5"), or "" when there is none. */
  public String minText() {
    return boundText(min);
  }

  /** The upper bound as people write it, or "" when there is none. */
  public String maxText() {
    return boundText(max);
  }

  private static String boundText(Double bound) {
    return bound == null ? "" : bound == Math.rint(bound) ? String.valueOf(bound.longValue()) : String.valueOf(bound);
  }

  public int effectiveMaxLength() {
    return maxLength == null ? DEFAULT_MAX_LENGTH : maxLength;
  }

  /** Monitoring questions are never required, whatever the file says. */
  public boolean isRequired() {
    return required && !monitoring;
  }
}
