package org.heard.survey;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits a survey into pages for channels that show several questions at once (the web form,
 * without JavaScript). A new page starts at every {@code section}, before the first
 * equality-monitoring question (they sit in their own section), and before any question whose
 * {@code show_if} depends on a question on the same page: the answer it depends on must already be
 * submitted, so skip logic works on the server alone.
 */
public final class SurveyPages {
  private SurveyPages() {
  }

  /** One page: its questions in definition order, and the heading of its section if any. */
  public record Page(int number, LocalizedText heading, boolean monitoring, List<Question> questions) {
    public Page {
      questions = List.copyOf(questions);
    }
  }

  public static List<Page> split(SurveyDefinition survey) {
    List<Page> pages = new ArrayList<>();
    List<Question> current = new ArrayList<>();
    Set<String> onCurrentPage = new HashSet<>();
    LocalizedText heading = null;
    boolean monitoringStarted = false;
    for (Question question : survey.questions()) {
      boolean startsMonitoring = question.monitoring() && !monitoringStarted;
      boolean dependsOnThisPage = question.showIf() != null && onCurrentPage.contains(question.showIf().question());
      if (!current.isEmpty() && (question.section() != null || startsMonitoring || dependsOnThisPage)) {
        pages.add(page(pages.size() + 1, heading, current));
        current = new ArrayList<>();
        onCurrentPage.clear();
      }
      if (question.section() != null) {
        heading = question.section();
      }
      monitoringStarted |= question.monitoring();
      current.add(question);
      onCurrentPage.add(question.id());
    }
    if (!current.isEmpty()) {
      pages.add(page(pages.size() + 1, heading, current));
    }
    return pages;
  }

  /** A follow-up page keeps the heading of the section it belongs to. */
  private static Page page(int number, LocalizedText heading, List<Question> questions) {
    return new Page(number, heading, questions.get(0).monitoring(), questions);
  }
}
