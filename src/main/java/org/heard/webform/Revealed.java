package org.heard.webform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.heard.error.FieldError;
import org.heard.response.AnswerValidator;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyPages;

/**
 * Answers to questions revealed under an option ({@link SurveyPages.Page#isRevealed}). With
 * JavaScript off every revealed question shows, so a resident may type under an option they did
 * not choose. Their words are never refused: where their meaning is plain they choose the option
 * (text typed under "Something else" of a checkbox list, or under an option of an unanswered
 * question), and otherwise they are kept aside and asked about on check your answers.
 */
final class Revealed {
  /** How a field error names an answer. */
  private static final String FIELD = "answers.";
  private Revealed() {
  }

  /**
   * Applies the rule above to one page's raw answers: may add the option to its question's answer
   * in {@code raw}, or move the typed answer from {@code raw} to {@code aside}.
   */
  static void takeTypedAnswers(SurveyPages.Page page, Map<String, Object> earlier, Map<String, Object> raw,
      Map<String, Object> aside) {
    for (Question q : page.questions()) {
      if (!page.isRevealed(q) || AnswerValidator.isBlank(raw.get(q.id()))) {
        continue;
      }
      Map<String, Object> known = new LinkedHashMap<>(earlier);
      known.putAll(raw);
      if (q.isAskedGiven(known)) {
        continue;
      }
      String trigger = q.showIf().question();
      String option = q.showIf().value();
      Question source = page.questions().stream().filter(t -> t.id().equals(trigger)).findFirst().orElseThrow();
      Object chosen = raw.get(trigger);
      if (source.type() == QuestionType.MULTI_CHOICE) {
        List<Object> ticked = new ArrayList<>(chosen instanceof Collection<?> list ? list : List.of());
        ticked.add(option);
        raw.put(trigger, ticked);
      } else if (AnswerValidator.isBlank(chosen)) {
        raw.put(trigger, source.type() == QuestionType.CONSENT ? (Object) Boolean.valueOf(option) : option);
      } else {
        aside.put(q.id(), raw.get(q.id()));
        raw.put(q.id(), null);
      }
    }
  }

  /**
   * Drops "not asked" errors of revealed questions whose own question has an error: the resident
   * fixes that one (say, too many boxes ticked) and their words stay on the page meanwhile.
   */
  static List<FieldError> withoutFollowOnErrors(SurveyPages.Page page, List<FieldError> errors) {
    Set<String> wrong = errors.stream().map(FieldError::field).collect(Collectors.toSet());
    return errors.stream().filter(error -> !(error.code().equals("not_asked") && page.questions().stream()
        .anyMatch(q -> page.isRevealed(q) && error.field().equals(FIELD + q.id())
            && wrong.contains(FIELD + q.showIf().question()))))
        .toList();
  }
}
