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
        List.of("feel_safe_day", "feel_safe_dark", "concerns", "other_concern", "victim_last_year"),
        List.of("reported"),
        List.of("what_would_help", "contact_ok"),
        List.of("age_band", "sex", "ethnic_group", "disability")), ids(pages));
    assertEquals(java.util.Set.of("other_concern"), pages.get(1).revealed(),
        "a text box under \"Something else\" is revealed on its page");
    Question concerns = survey.question("concerns").orElseThrow();
    assertEquals(List.of("other_concern"), pages.get(1).revealedBy(concerns, "other").stream().map(Question::id).toList());
    assertEquals(List.of(), pages.get(1).revealedBy(concerns, "asb"));
    assertEquals("Feeling safe", pages.get(2).heading().in("en", "en").text(),
        "a follow-up page keeps its section's heading");
    assertFalse(pages.get(2).startsSection());
    assertTrue(pages.get(1).startsSection());
    assertTrue(pages.get(4).monitoring());
    assertFalse(pages.get(3).monitoring());
    assertEquals(List.of(1, 2, 3, 4, 5), pages.stream().map(SurveyPages.Page::number).toList());
  }

  @Test
  void onlyASimpleQuestionUnderAnOptionIsRevealedOnItsPage() throws Exception {
    Files.writeString(dir.resolve("partnership.yaml"), "name: P\nareas: [{code: A, name: A}]\n");
    Files.writeString(dir.resolve("s.yaml"), """
        id: s
        version: 1
        title: {en: S}
        languages: [en]
        questions:
          - {id: pet, type: single_choice, text: Pet?, options: [dog, cat]}
          - {id: dog_name, type: text, text: Name?, show_if: {question: pet, equals: dog}}
          - {id: dog_age, type: number, text: Age?, show_if: {question: pet, equals: dog}}
          - {id: cat_kind, type: single_choice, text: Kind?, options: [x, y], show_if: {question: pet, equals: cat}}
          - {id: ok, type: consent, text: OK?}
          - {id: why, type: text, text: Why?, show_if: {question: ok, equals: "false"}}
          - {id: how_long, type: number, text: How long?, show_if: {question: why, equals: "x"}}
        """);
    SurveyDefinition survey = SurveyLoader.load(dir).find("s").orElseThrow();
    List<SurveyPages.Page> pages = SurveyPages.split(survey);
    assertEquals(List.of(List.of("pet", "dog_name", "dog_age"), List.of("cat_kind", "ok", "why"), List.of("how_long")),
        ids(pages), "choices under an option, and questions under a text box, get a page of their own");
    assertEquals(java.util.Set.of("dog_name", "dog_age"), pages.get(0).revealed());
    assertEquals(java.util.Set.of("why"), pages.get(1).revealed(), "a consent's No reveals a text box");
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
