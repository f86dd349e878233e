package org.heard.survey;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits a survey into pages for channels that show several questions at once (the web form,
 * without JavaScript). A new page starts at every {@code section}, before the first
 * equality-monitoring question (they sit in their own section), and before any question whose
 * {@code show_if} depends on a question on the same page, unless it can be revealed there: a short
 * text or number question that follows one option of a choice (GOV.UK's "conditionally revealing a
 * related question") stays on the page, nested under that option. Anything else waits for the answer
 * it depends on to be submitted, so skip logic works on the server alone.
 */
public final class SurveyPages {
  private SurveyPages() {
  }

  /**
   * One page: its questions in definition order, and the heading of its section if any.
   *
   * @param revealed the ids of the questions revealed by an option of another question on this page
   */
  public record Page(int number, LocalizedText heading, boolean monitoring, List<Question> questions,
      Set<String> revealed) {
    public Page {
      questions = List.copyOf(questions);
      revealed = Set.copyOf(revealed);
    }

    /** Whether this page asks the first question of its section, so the section names the page. */
    public boolean startsSection() {
      return questions.get(0).section() != null;
    }

    /** The questions revealed under {@code option} of {@code trigger}, in definition order. */
    public List<Question> revealedBy(Question trigger, String option) {
      return questions.stream().filter(q -> revealed.contains(q.id()) && q.showIf().question().equals(trigger.id())
          && q.showIf().value().equals(option)).toList();
    }

    public boolean isRevealed(Question question) {
      return revealed.contains(question.id());
    }
  }

  public static List<Page> split(SurveyDefinition survey) {
    List<Page> pages = new ArrayList<>();
    List<Question> current = new ArrayList<>();
    Set<String> revealed = new HashSet<>();
    LocalizedText heading = null;
    boolean monitoringStarted = false;
    for (Question question : survey.questions()) {
      boolean startsMonitoring = question.monitoring() && !monitoringStarted;
      Question trigger = question.showIf() == null ? null : current.stream()
          .filter(q -> q.id().equals(question.showIf().question())).findFirst().orElse(null);
      boolean revealable = trigger != null && revealable(question, trigger, revealed);
      if (!current.isEmpty() && (question.section() != null || startsMonitoring || (trigger != null && !revealable))) {
        pages.add(page(pages.size() + 1, heading, current, revealed));
        current = new ArrayList<>();
        revealed.clear();
        revealable = false;
      }
      if (question.section() != null) {
        heading = question.section();
      }
      monitoringStarted |= question.monitoring();
      current.add(question);
      if (revealable) {
        revealed.add(question.id());
      }
    }
    if (!current.isEmpty()) {
      pages.add(page(pages.size() + 1, heading, current, revealed));
    }
    return pages;
  }

  /**
   * GOV.UK reveals only simple questions, one level deep: a text box or number under an option of
   * radios or checkboxes that is not itself revealed. A choice that reveals more choices gets a page.
   */
  private static boolean revealable(Question question, Question trigger, Set<String> revealed) {
    boolean simple = question.type() == QuestionType.TEXT || question.type() == QuestionType.NUMBER;
    boolean hasOption = (trigger.type() == QuestionType.SINGLE_CHOICE || trigger.type() == QuestionType.MULTI_CHOICE)
        && trigger.option(question.showIf().value()).isPresent()
        || trigger.type() == QuestionType.CONSENT;
    return simple && hasOption && !revealed.contains(trigger.id()) && question.section() == null
        && question.monitoring() == trigger.monitoring();
  }

  /** A follow-up page keeps the heading of the section it belongs to. */
  private static Page page(int number, LocalizedText heading, List<Question> questions, Set<String> revealed) {
    return new Page(number, heading, questions.get(0).monitoring(), questions, revealed);
  }
}
