package org.heard.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.heard.survey.Question;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyChannels;
import org.heard.survey.SurveyLoader;
import org.junit.jupiter.api.Test;

/** Numbers keyed from paper are read by the form's language, as on the web and by SMS. */
class PaperCodesTest {
  private final SurveyCatalog catalog = SurveyLoader.load(Path.of("surveys"));
  private final PaperCodes codes = new PaperCodes(catalog.partnership());
  private final Question years = catalog.find("community-safety").orElseThrow().question("years_in_area").orElseThrow();

  private Object value(String typed, String language) {
    PaperCodes.Reading reading = codes.read(years, SurveyChannels.Numbering.NUMBERS, typed, language);
    assertTrue(reading instanceof PaperCodes.Value, typed + " in " + language + ": " + reading);
    return ((PaperCodes.Value) reading).raw();
  }

  private String problem(String typed, String language) {
    PaperCodes.Reading reading = codes.read(years, SurveyChannels.Numbering.NUMBERS, typed, language);
    assertTrue(reading instanceof PaperCodes.Problem, typed + " in " + language + ": " + reading);
    return ((PaperCodes.Problem) reading).message();
  }

  @Test
  void numbersFollowTheFormsLanguage() {
    assertEquals(3.5, value("3.5", "en"));
    assertEquals(1000L, value("1,000", "en"), "a thousand in English, never 1.0");
    assertEquals("Type a number, like 4 (3.5 for a fraction on this form)", problem("3,5", "en"));
    assertEquals(3.5, value("3,5", "pl"));
    assertEquals(1000L, value("1 000", "pl"));
    assertEquals("Type a number, like 4 (3,5 for a fraction on this form)", problem("3.5", "pl"));
    assertEquals(12L, value("١٢", "ar"), "Arabic-Indic digits");
  }
}
