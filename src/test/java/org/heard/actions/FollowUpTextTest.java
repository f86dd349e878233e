package org.heard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.heard.i18n.Messages;
import org.heard.sms.SmsSegments;
import org.junit.jupiter.api.Test;

/** The "you said, we did" text: in the respondent's language, within two segments, encoding kept. */
class FollowUpTextTest {
  private final Messages messages = new Messages();

  private static JsonObject action(String english, String polish) {
    return new JsonObject().put("defaultLanguage", "en")
        .put("summaries", new JsonObject().put("en", english).put("pl", polish));
  }

  @Test
  void theTextIsInTheLanguageTheRespondentAnsweredIn() {
    JsonObject action = action("We fixed the lights on Mill Lane.", "Naprawiliśmy oświetlenie przy Mill Lane.");
    assertEquals("You said, we did: We fixed the lights on Mill Lane.", ActionService.smsText(messages, action, "en"));
    assertEquals("Mówiliście, zrobiliśmy: Naprawiliśmy oświetlenie przy Mill Lane.",
        ActionService.smsText(messages, action, "pl"), "the heading is Polish too");
    assertEquals("You said, we did: We fixed the lights on Mill Lane.", ActionService.smsText(messages, action, "cy"),
        "no Welsh summary: the survey's first language, heading and all");
  }

  @Test
  void aLongSummaryIsCutToTwoSegmentsWithoutTurningGsmIntoUnicode() {
    String english = "The council and police walked the estate every night for a month, fixed 14 street lights, "
        + "cut back the hedges by the underpass, and opened the youth club on Fridays until ten. Thank you to the "
        + "residents who told us where the dark spots were; we will report again in March, and again in the summer "
        + "once the new cameras by the station are in.";
    String text = ActionService.smsText(messages, action(english, "Krótko."), "en");
    SmsSegments.Count count = SmsSegments.count(text);
    assertEquals(SmsSegments.Encoding.GSM7, count.encoding(), text);
    assertEquals(2, count.segments());
    assertTrue(text.endsWith("..."), text);
    assertTrue(text.contains("youth club"), "two segments hold about 300 characters: " + text);
  }
}
