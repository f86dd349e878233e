package org.heard.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The format reference in docs/survey-format.md names every key the readers accept and every
 * question type, so it cannot fall behind the code: a key added to a reader fails here until it is
 * documented.
 */
class SurveyFormatDocTest {
  @Test
  void everyKeyTheReadersAcceptIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("docs/survey-format.md"));
    Set<String> keys = new TreeSet<>();
    keys.addAll(SurveyLoader.SURVEY_KEYS);
    keys.addAll(SurveyLoader.CHANNEL_KEYS);
    SurveyLoader.SMS_KEYS.forEach(k -> keys.add("sms." + k));
    SurveyLoader.PAPER_KEYS.forEach(k -> keys.add("paper." + k));
    keys.addAll(QuestionReader.COMMON_QUESTION_KEYS);
    QuestionReader.TYPE_KEYS.values().forEach(keys::addAll);
    keys.addAll(QuestionReader.OPTION_KEYS);
    keys.addAll(QuestionReader.SHOW_IF_KEYS);
    keys.addAll(QuestionReader.INDICATOR_KEYS);
    keys.addAll(PartnershipReader.PARTNERSHIP_KEYS);
    keys.addAll(PartnershipReader.AREA_KEYS);
    List<String> missing = new ArrayList<>();
    for (String key : keys) {
      if (!doc.contains("`" + key + "`")) {
        missing.add(key);
      }
    }
    for (QuestionType type : QuestionType.values()) {
      if (!doc.contains("| `" + type.key() + "` |")) {
        missing.add("type " + type.key());
      }
    }
    assertEquals(List.of(), missing, "keys the readers accept that docs/survey-format.md does not name");
    assertTrue(doc.contains("surveys/community-safety.yaml"), "the sample survey is the worked example");
  }
}
