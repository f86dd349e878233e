package org.heard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.heard.MainRunner;
import org.heard.i18n.Messages;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Questions as SMS prompts, and the two-segment limit checked with the definitions. */
class SmsPromptsTest {
  private final SurveyCatalog catalog = SurveyLoader.load(Path.of("surveys"));
  private final SmsPrompts prompts = new SmsPrompts(new Messages(), catalog.partnership());
  private final SurveyDefinition safety = catalog.find("community-safety").orElseThrow();

  private String prompt(String questionId, String lang) {
    return prompts.prompt(safety.question(questionId).orElseThrow(), lang, safety.defaultLanguage());
  }

  @Test
  void eachQuestionTypeSaysWhichRepliesAreAccepted() {
    assertEquals("How safe do you feel after dark? Reply 1 (very unsafe) to 5 (very safe)",
        prompt("feel_safe_dark", "en"));
    assertEquals("Which are problems in your area? Reply up to 3 letters: A Anti-social behaviour, B Drugs, "
        + "C Burglary, D Vehicle crime, E Speeding, F Hate crime, G Other", prompt("concerns", "en"));
    assertEquals("Have you been a victim of crime here in the last 12 months? Reply A Yes, B No",
        prompt("victim_last_year", "en"));
    assertEquals("May we text you later about what we did? Reply YES or NO", prompt("contact_ok", "en"));
    assertEquals("How many years have you lived here? Reply with a number", prompt("years_in_area", "en"));
    assertEquals("What else is a problem in your area?", prompt("other_concern", "en"));
    assertTrue(prompt("ward", "en").endsWith("F Westfield Estate, G Abbey Green"));
  }

  @Test
  void monitoringQuestionsCanBeSkippedAndPolishIsWordedInPolish() {
    assertEquals("Your age? Reply A 16-24, B 25-44, C 45-64, D 65+ or SKIP", prompt("age_band", "en"));
    assertEquals("Twój wiek? Odpowiedz: A 16-24, B 25-44, C 45-64, D 65+ lub SKIP", prompt("age_band", "pl"));
    String polish = prompt("feel_safe_dark", "pl");
    assertEquals("Jak bezpiecznie czujesz się po zmroku? Odpowiedz od 1 (bardzo niebezpiecznie) do 5 "
        + "(bardzo bezpiecznie)", polish);
    assertEquals(SmsSegments.Encoding.UCS2, SmsSegments.count(polish).encoding());
    assertTrue(prompt("concerns", "pl").contains("A Chuligaństwo"), "short SMS option labels are used");
  }

  @Test
  void everySamplePromptFitsInTwoSegments() {
    assertEquals(0, prompts.problems(catalog).size());
  }

  @Test
  void aPromptOverTwoSegmentsIsADefinitionErrorAtStartUp(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("partnership.yaml"), "name: P\nareas: [{code: A, name: North}]\n");
    Files.writeString(dir.resolve("long.yaml"), """
        id: long
        version: 1
        title: {en: Long}
        languages: [en]
        channels: {sms: {keywords: [LONG]}}
        questions:
          - {id: short_one, type: consent, text: Fine?}
          - id: wordy
            type: text
            text: {en: "%s"}
        """.formatted("Tell us everything about your street. ".repeat(9)));
    MainRunner.Result result = MainRunner.run(Map.of(), "validate", dir.toString());
    assertEquals(1, result.status());
    assertTrue(result.err().contains(dir.resolve("long.yaml") + ": questions[1].sms.en: the SMS for this question "
        + "needs 3 segments (341 GSM-7 characters), at most 2"), result.err());
  }
}
