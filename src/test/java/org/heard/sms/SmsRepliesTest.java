package org.heard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.List;
import org.heard.i18n.Messages;
import org.heard.survey.Question;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyLoader;
import org.junit.jupiter.api.Test;

/** Reading residents' SMS replies as they really type them. */
class SmsRepliesTest {
  private final SurveyCatalog catalog = SurveyLoader.load(Path.of("surveys"));
  private final SmsReplies replies = new SmsReplies(new Messages(), catalog.partnership());
  private final SurveyDefinition safety = catalog.find("community-safety").orElseThrow();

  private SmsReplies.Reading read(String questionId, String reply, String lang) {
    return replies.read(safety.question(questionId).orElseThrow(), reply, lang);
  }

  private Object answer(String questionId, String reply) {
    return assertInstanceOf(SmsReplies.Answer.class, read(questionId, reply, "en")).value();
  }

  private String correction(String questionId, String reply, String lang) {
    return assertInstanceOf(SmsReplies.Correction.class, read(questionId, reply, lang)).message();
  }

  @Test
  void scaleRepliesAreNumbersInRange() {
    assertEquals(4, answer("feel_safe_dark", " 4."));
    assertEquals("Please reply with a number from 1 to 5.", correction("feel_safe_dark", "6", "en"));
    assertEquals("Odpowiedz liczbą od 1 do 5.", correction("feel_safe_dark", "four", "pl"));
  }

  @Test
  void choicesAreLettersInAnyCase() {
    assertEquals("yes", answer("victim_last_year", "a"));
    assertEquals("no", answer("victim_last_year", "B "));
    assertEquals("E05000007", answer("ward", "g"));
    assertEquals("Please reply with one letter, A to B.", correction("victim_last_year", "C", "en"));
    assertEquals("Please reply with one letter, A to B.", correction("victim_last_year", "AB", "en"));
  }

  @Test
  void choicesAlsoAcceptTheOptionWordsAsShown() {
    assertEquals("yes", answer("victim_last_year", "Yes."));
    assertEquals("no", answer("victim_last_year", "no"));
    assertEquals("E05000006", answer("ward", "westfield estate"));
    assertEquals("Please reply with one letter, A to G.", correction("ward", "Westfield", "en"));
  }

  @Test
  void multiChoiceAcceptsSpacesCommasOrNothingBetweenLetters() {
    assertEquals(List.of("asb", "burglary"), answer("concerns", "A C"));
    assertEquals(List.of("asb", "burglary"), answer("concerns", "a,c"));
    assertEquals(List.of("asb", "burglary"), answer("concerns", "AC"));
    assertEquals(List.of("asb"), answer("concerns", "a a"));
    assertEquals("Please choose at most 3 letters.", correction("concerns", "ABCD", "en"));
    assertEquals("Please reply with letters A to G, e.g. A C.", correction("concerns", "A Z", "en"));
    assertEquals("Please reply with letters A to G, e.g. A C.", correction("concerns", "1 2", "en"));
  }

  @Test
  void consentAcceptsYesAndNoInEitherLanguage() {
    assertEquals(true, answer("contact_ok", "Yes"));
    assertEquals(true, answer("contact_ok", "tak!"));
    assertEquals(false, answer("contact_ok", "no"));
    assertEquals(false, answer("contact_ok", "NIE"));
    assertEquals("Odpowiedz TAK lub NIE.", correction("contact_ok", "może", "pl"));
  }

  @Test
  void numbersAndTextAreReadAsTyped() {
    assertEquals(12L, answer("years_in_area", "12"));
    assertEquals("Please reply with a number from 0 to 100.", correction("years_in_area", "150", "en"));
    assertEquals("Please reply with a number.", correction("years_in_area", "twelve", "en"));
    // Read by the conversation's language: a decimal comma in Polish, a thousands comma in English.
    assertEquals(3.5, assertInstanceOf(SmsReplies.Answer.class, read("years_in_area", "3,5", "pl")).value());
    assertEquals(3.5, answer("years_in_area", "3.5."));
    assertEquals("Please reply with a number.", correction("years_in_area", "3,5", "en"));
    assertEquals("Please reply with a number from 0 to 100.", correction("years_in_area", "1,000", "en"));
    assertEquals("More lights, please", answer("what_would_help", "  More lights, please "));
    assertEquals("Please keep it under 1,000 characters.", correction("what_would_help", "x".repeat(1001), "en"));
  }

  @Test
  void aWholeNumberQuestionRefusesFractions() {
    Question years = safety.question("years_in_area").orElseThrow();
    Question whole = new Question(years.id(), years.type(), years.text(), years.hint(),
        years.sms(), years.section(), years.required(), years.min(), years.max(), years.labels(), years.options(),
        years.maxChoices(), years.maxLength(), years.themes(), years.showIf(), years.monitoring(), years.indicator(), true);
    assertEquals(12L, assertInstanceOf(SmsReplies.Answer.class, replies.read(whole, "12", "en")).value());
    assertEquals("Please reply with a whole number, like 12.",
        assertInstanceOf(SmsReplies.Correction.class, replies.read(whole, "3.5", "en")).message());
    assertEquals("Odpowiedz liczbą całkowitą, np. 12.",
        assertInstanceOf(SmsReplies.Correction.class, replies.read(whole, "3,5", "pl")).message());
  }

  @Test
  void monitoringQuestionsCanBeSkippedOthersCannot() {
    assertInstanceOf(SmsReplies.Skip.class, read("age_band", "skip", "en"));
    assertEquals("Please reply with one letter, A to B.", correction("victim_last_year", "SKIP", "en"));
  }
}
