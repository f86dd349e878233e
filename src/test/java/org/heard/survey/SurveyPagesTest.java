package org.heard.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How surveys are split into pages so skip logic works without JavaScript. */
class SurveyPagesTest {
  @TempDir
  Path dir;

  private static List<List<String>> ids(List<SurveyPages.Page> pages) {
    return pages.stream().map(p -> p.questions().stream().map(Question::id).toList()).toList();
  }

  @Test
  void communitySafetyPagesFollowSectionsSkipLogicAndMonitoring() {
    SurveyDefinition survey = SurveyLoader.load(Path.of("surveys")).find("community-safety").orElseThrow();
    List<SurveyPages.Page> pages = SurveyPages.split(survey);
    assertEquals(List.of(
        List.of("ward", "years_in_area"),
        List.of("feel_safe_day", "feel_safe_dark", "concerns"),
        List.of("other_concern", "victim_last_year"),
        List.of("reported"),
        List.of("what_would_help", "contact_ok"),
        List.of("age_band", "sex", "ethnic_group", "disability")), ids(pages));
    assertEquals("Feeling safe", pages.get(2).heading().in("en", "en").text(),
        "a follow-up page keeps its section's heading");
    assertTrue(pages.get(5).monitoring());
    assertFalse(pages.get(4).monitoring());
    assertEquals(List.of(1, 2, 3, 4, 5, 6), pages.stream().map(SurveyPages.Page::number).toList());
  }

  @Test
  void monitoringQuestionsStartTheirOwnPageEvenWithoutASection() throws Exception {
    Files.writeString(dir.resolve("partnership.yaml"), "name: P\nareas: [{code: A, name: A}]\n");
    Files.writeString(dir.resolve("s.yaml"), """
        id: s
        version: 1
        title: {en: S}
        languages: [en]
        questions:
          - {id: a, type: consent, text: A?}
          - {id: b, type: consent, text: B?}
          - {id: age, type: single_choice, monitoring: true, text: Age?, options: [x, y]}
        """);
    SurveyDefinition survey = SurveyLoader.load(dir).find("s").orElseThrow();
    assertEquals(List.of(List.of("a", "b"), List.of("age")), ids(SurveyPages.split(survey)));
  }
}
