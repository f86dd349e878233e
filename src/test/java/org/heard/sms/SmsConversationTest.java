package org.heard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.privacy.Pseudonyms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SMS conversations end to end: signed webhook POSTs in, TwiML out, state and responses in the store. */
class SmsConversationTest {
  static final String SECRET = "sms-test-secret-0123456789abcdef0123456789";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(
      Config.TWILIO_AUTH_TOKEN, SmsPhone.AUTH_TOKEN,
      Config.PUBLIC_URL, SmsPhone.PUBLIC_URL,
      Config.SECRET, SECRET));

  private static final Pseudonyms PSEUDONYMS = new Pseudonyms(SECRET);

  private static SmsPhone phone(String number) {
    return new SmsPhone(heard, number);
  }

  private static JsonObject numberDocument(String number) {
    List<JsonObject> found = heard.find(NumberStore.COLLECTION,
        new JsonObject().put("_id", PSEUDONYMS.respondentKey(number)));
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<JsonObject> responsesFrom(String number) {
    return heard.find("responses", new JsonObject().put("channel", "sms")
        .put("provenance.respondentKey", PSEUDONYMS.respondentKey(number)));
  }

  @Test
  void aTextAsLongAsTwilioAllowsIsTakenNotRefused() throws Exception {
    SmsPhone phone = phone("+447700900188");
    phone.text("PULSE");
    phone.text("4");
    assertEquals(List.of("What worries you most about safety where you live?"), phone.text("c"));
    // 1,600 characters (Twilio's limit) of Polish letters: 9.6 KB once form-encoded.
    List<String> reply = phone.text("żółć".repeat(400));
    assertEquals(1, reply.size(), reply.toString());
    assertTrue(reply.get(0).contains("300"), "the answer is over the question's 300 characters: " + reply);
    assertEquals(List.of("May we text you later about what we did? Reply YES or NO"),
        phone.text("Źle oświetlona ścieżka"), "the conversation carries on");
  }

  @Test
  void aWholeSurveyByTextBecomesOneSmsResponse() throws Exception {
    String number = "+447700900101";
    SmsPhone phone = phone(number);
    List<String> opening = phone.text("PULSE");
    assertEquals(2, opening.size());
    assertTrue(opening.get(0).startsWith("Quick safety check."), opening.get(0));
    assertTrue(opening.get(0).contains("STOP"), "the first message says how to stop");
    assertEquals("How safe do you feel in your area today? Reply 1 (very unsafe) to 5 (very safe)", opening.get(1));

    assertEquals(List.of("Which area do you live in? Reply A Northgate, B Riverside, C Castle Hill, D Millbrook, "
        + "E Station Quarter, F Westfield Estate, G Abbey Green"), phone.text("4"));
    assertEquals(List.of("What worries you most about safety where you live?"), phone.text("c"));
    String worry = "Dealers near the school & no <lights> on Mill Lane";
    assertEquals(List.of("May we text you later about what we did? Reply YES or NO"), phone.text(worry));
    assertEquals(List.of("Thank you, your answers have been sent to Riverside Community Safety Partnership."),
        phone.text("yes"));

    List<JsonObject> stored = responsesFrom(number);
    assertEquals(1, stored.size());
    JsonObject response = stored.get(0);
    assertEquals("sms-pulse", response.getString("surveyId"));
    assertEquals("en", response.getString("language"));
    assertTrue(response.getBoolean("complete"));
    assertEquals(new JsonObject().put("feel_safe_now", 4).put("ward", "E05000003").put("main_worry", worry)
        .put("contact_ok", true), response.getJsonObject("answers"));
    assertEquals("completed", response.getJsonObject("provenance").getString("endedBy"));
    assertFalse(response.encode().contains("7700900101"), "the phone number is never in a response");

    JsonObject state = numberDocument(number);
    assertNull(state.getJsonObject("conversation"), "the conversation has ended");
    assertFalse(state.containsKey("outbox"), "nothing is left waiting to be stored");
    assertFalse(state.encode().contains("7700900101"), "the number is stored only encrypted");
    assertEquals(number, PSEUDONYMS.decryptContact(state.getString("contact")), "consent keeps the number, encrypted");
  }

  @Test
  void keywordsIgnoreCaseAndSpacesAndAnyLanguageStartsInThatLanguage() throws Exception {
    assertTrue(phone("+447700900102").text(" pu lse. ").get(0).startsWith("Quick safety check."));
    List<String> polish = phone("+447700900103").text("puls");
    assertTrue(polish.get(0).startsWith("Szybkie pytania o bezpieczeństwo."), polish.get(0));
    assertEquals("Jak bezpiecznie czujesz się dziś w okolicy? Odpowiedz od 1 (bardzo niebezpiecznie) do 5 "
        + "(bardzo bezpiecznie)", polish.get(1));
    SmsSegments.Count count = SmsSegments.count(polish.get(1));
    assertEquals(SmsSegments.Encoding.UCS2, count.encoding(), "Polish diacritics need UCS-2");
    assertEquals(2, count.segments(), polish.get(1).length() + " UTF-16 units are two 67-unit segments");
    // The correction and the whole question would be 3 segments: the question's words give way.
    List<String> corrected = phone("+447700900103").text("dużo");
    assertEquals(List.of("Odpowiedz liczbą od 1 do 5. Odpowiedz od 1 (bardzo niebezpiecznie) do 5 (bardzo bezpiecznie)"),
        corrected);
    assertEquals(2, SmsSegments.count(corrected.get(0)).segments());
  }

  @Test
  void skipLogicAppliesAndMonitoringQuestionsCanBeSkipped() throws Exception {
    String number = "+447700900104";
    SmsPhone phone = phone(number);
    phone.text("SAFE");
    phone.text("a");
    phone.text("12");
    phone.text("4");
    phone.text("2");
    assertEquals(List.of("What else is a problem in your area?"), phone.text("a, g"),
        "choosing Other asks what else");
    assertTrue(phone.text("Loud parties").get(0).startsWith("Have you been a victim"));
    assertTrue(phone.text("no").get(0).startsWith("What one thing would make you feel safer?"),
        "'Did you report it' is skipped for a 'no'");
    phone.text("Better lighting");
    assertTrue(phone.text("NO").get(0).startsWith("Your age? Reply A 16-24"));
    assertTrue(phone.text("skip").get(0).startsWith("Your sex?"));
    assertTrue(phone.text("SKIP").get(0).startsWith("Your ethnic group?"));
    phone.text("b");
    assertTrue(phone.text("Skip").get(0).startsWith("Thank you"));

    JsonObject answers = responsesFrom(number).get(0).getJsonObject("answers");
    assertEquals(new JsonObject().put("ward", "E05000001").put("years_in_area", 12).put("feel_safe_day", 4)
        .put("feel_safe_dark", 2).put("concerns", new io.vertx.core.json.JsonArray().add("asb").add("other"))
        .put("other_concern", "Loud parties").put("victim_last_year", "no").put("what_would_help", "Better lighting")
        .put("contact_ok", false).put("ethnic_group", "asian"), answers);
    assertFalse(numberDocument(number).containsKey("contact"), "no consent, no number kept");
  }

  @Test
  void everyInvalidReplyGetsAShortCorrectionAndTheSameQuestion() throws Exception {
    SmsPhone phone = phone("+447700900105");
    phone.text("SAFE");
    String ward = "Which area do you live in? Reply A Northgate, B Riverside, C Castle Hill, D Millbrook, "
        + "E Station Quarter, F Westfield Estate, G Abbey Green";
    assertEquals(List.of("Please reply with one letter, A to G. " + ward), phone.text("Z"));
    String years = "How many years have you lived here? Reply with a number";
    assertEquals(List.of(years), phone.text("Westfield Estate"));
    assertEquals(List.of("Please reply with a number. " + years), phone.text("lots"));
    assertEquals(List.of("Please reply with a number from 0 to 100. " + years), phone.text("150"));
    String day = phone.text("3").get(0);
    assertEquals(List.of("Please reply with a number from 1 to 5. " + day), phone.text("9"));
    phone.text("5");
    String concerns = phone.text("5").get(0);
    assertEquals(List.of("Please choose at most 3 letters. " + concerns), phone.text("ABCD"));
    assertEquals(List.of("Please reply with letters A to G, e.g. A C. " + concerns), phone.text("A Z"));
    String victim = phone.text("b e").get(0);
    assertEquals(List.of("Please reply with one letter, A to B. " + victim), phone.text("maybe"));
    String help = phone.text("a").get(0);
    assertTrue(help.startsWith("Did you report it"), help);
    String wouldHelp = phone.text("A").get(0);
    assertEquals(List.of("Please keep it under 1,000 characters. " + wouldHelp), phone.text("x".repeat(1001)));
    String consent = phone.text("More patrols").get(0);
    assertEquals(List.of("Please reply YES or NO. " + consent), phone.text("perhaps"));
  }

  @Test
  void threeUnreadableRepliesSkipAnOptionalQuestionOrEndTheSurveyPolitely() throws Exception {
    SmsPhone optional = phone("+447700900106");
    optional.text("SAFE");
    optional.text("a");
    optional.text("x");
    optional.text("x");
    List<String> skipped = optional.text("x");
    assertEquals("We will skip that question.", skipped.get(0));
    assertTrue(skipped.get(1).startsWith("How safe do you feel in your area by day?"), skipped.get(1));

    String number = "+447700900107";
    SmsPhone required = phone(number);
    required.text("SAFE");
    required.text("?");
    required.text("??");
    assertEquals(List.of("Sorry, we could not read your answer, so this survey has stopped. Text SAFE to start again."),
        required.text("???"));
    assertNull(numberDocument(number).getJsonObject("conversation"));
    assertEquals(0, responsesFrom(number).size(), "nothing was answered, so there is no response");
    assertTrue(required.text("hello").get(0).startsWith("Sorry, we did not understand that."));
  }

  @Test
  void stopEndsEverythingAtOnceUntilStart() throws Exception {
    String number = "+447700900108";
    SmsPhone phone = phone(number);
    phone.text("PULSE");
    phone.text("4");
    assertEquals(List.of("You will get no more messages from Riverside Community Safety Partnership. "
        + "Text START to get messages again."), phone.text("Stop."));
    JsonObject state = numberDocument(number);
    assertTrue(state.containsKey("optedOutAt"));
    assertNull(state.getJsonObject("conversation"));
    JsonObject partial = responsesFrom(number).get(0);
    assertFalse(partial.getBoolean("complete"), "answers before STOP are kept, marked incomplete");
    assertEquals(new JsonObject().put("feel_safe_now", 4), partial.getJsonObject("answers"), "STOP is not an answer");
    assertEquals("opted-out", partial.getJsonObject("provenance").getString("endedBy"));

    assertEquals(List.of(), phone.text("c"), "nothing is sent to an opted-out number");
    assertEquals(List.of(), phone.text("PULSE"), "not even a new survey");
    assertEquals(List.of(), phone.text("STOP"), "a second STOP is not confirmed again");
    assertTrue(phone.text("help").get(0).contains("Text STOP to stop messages"), "HELP is answered in every state");
    assertEquals(List.of("You can get messages from us again. Text SAFE, PULSE, SAFETY to start a survey."),
        phone.text("start"));
    assertFalse(numberDocument(number).containsKey("optedOutAt"));
    assertTrue(phone.text("PULSE").get(0).startsWith("Quick safety check."));
    for (String word : List.of("STOPALL", "unsubscribe", "Cancel", "END", "quit")) {
      phone.text("PULSE");
      assertTrue(phone.text(word).get(0).startsWith("You will get no more messages"), word);
      assertEquals(List.of(), phone.text("4"), word);
      assertTrue(phone.text(word.equals("END") ? "UNSTOP" : "YES").get(0).startsWith("You can get messages"), word);
    }
    assertEquals(1, responsesFrom(number).size(), "a conversation stopped before any answer leaves no response");
  }

  @Test
  void yesIsAnAnswerUnlessTheNumberOptedOut() throws Exception {
    SmsPhone phone = phone("+447700900109");
    phone.text("PULSE");
    phone.text("3");
    phone.text("b");
    phone.text("Speeding");
    assertTrue(phone.text("YES").get(0).startsWith("Thank you"), "YES answers the consent question");
  }

  @Test
  void helpAndStopWordsWorkInEveryLanguage() throws Exception {
    SmsPhone polish = phone("+447700900131");
    assertEquals(List.of("Riverside Community Safety Partnership: ankiety SMS o bezpieczeństwie. Wyślij BEZPIECZNIE, "
        + "PULS, by zacząć, STOP, by zrezygnować."),
        polish.text("pomoc"), "POMOC gets help in Polish");
    SmsPhone welsh = phone("+447700900132");
    assertEquals(List.of("Riverside Community Safety Partnership: arolygon byr am ddiogelwch cymunedol drwy neges "
        + "destun. Anfonwch DIOGEL, GWIRIO i ddechrau, STOP i stopio."), welsh.text("Cymorth"), "CYMORTH gets help in Welsh");
    List<String> opening = welsh.text("DIOGEL");
    assertTrue(opening.get(0).contains("Anfonwch STOP"), "the Welsh keyword starts the survey in Welsh: " + opening);
    assertEquals(2, welsh.text("HELP").size(), "HELP in English works mid-survey too, and repeats the question");
    SmsPhone arabic = phone("+447700900133");
    arabic.text("AMAN");
    assertEquals(1, arabic.text("توقف").size(), "STOP in Arabic stops");
    assertTrue(numberDocument("+447700900133").containsKey("optedOutAt"));
    SmsPhone english = phone("+447700900134");
    english.text("PULSE");
    english.text("4");
    english.text("PARAR");
    assertTrue(numberDocument("+447700900134").containsKey("optedOutAt"),
        "a STOP word of any language stops an English conversation");
  }

  @Test
  void helpNamesThePartnershipAndSaysHowToStopInEveryState() throws Exception {
    SmsPhone phone = phone("+447700900110");
    String help = "Riverside Community Safety Partnership: this number runs short community safety surveys by text. "
        + "Text SAFE, PULSE, SAFETY to start. Text STOP to stop messages.";
    assertEquals(List.of(help), phone.text("HELP"));
    List<String> opening = phone.text("PULSE");
    assertEquals(List.of(help, opening.get(1)), phone.text("info"), "mid-survey, HELP repeats the question");
    assertTrue(phone.text("5").get(0).startsWith("Which area"), "and the survey carries on");
  }

  @Test
  void aRetriedMessageSidGetsTheSameReplyWhileLatestAndChangesNothing() throws Exception {
    String number = "+447700900111";
    SmsPhone phone = phone(number);
    String start = SmsPhone.newSid();
    List<String> opening = phone.text("PULSE", start);
    String answer = SmsPhone.newSid();
    List<String> reply = phone.text("2", answer);
    JsonObject before = numberDocument(number);

    assertEquals(reply, phone.text("2", answer));
    assertEquals(2, opening.size());
    assertEquals(List.of(), phone.text("PULSE", start),
        "an old retry, overtaken by a later message, gets no reply (its prompt is out of date) and restarts nothing");
    assertEquals(before, numberDocument(number), "retries change nothing stored");
    assertTrue(phone.text("b").get(0).startsWith("What worries you"));
  }

  @Test
  void aKeywordRestartsUnlessItAnswersAFreeTextQuestion() throws Exception {
    String number = "+447700900112";
    SmsPhone phone = phone(number);
    phone.text("PULSE");
    phone.text("2");
    phone.text("a");
    assertTrue(phone.text("Safety").get(0).startsWith("May we text you"), "a keyword can be a free-text answer");
    assertTrue(phone.text("SAFE").get(0).startsWith("How safe do you feel where you live? Reply to each question."), "elsewhere it starts that survey");
    JsonObject partial = responsesFrom(number).get(0);
    assertEquals("restarted", partial.getJsonObject("provenance").getString("endedBy"));
    assertEquals("Safety", partial.getJsonObject("answers").getString("main_worry"));
  }

  @Test
  void usageIsCountedInSegmentsByEncoding() throws Exception {
    phone("+447700900113").text("PULS");
    JsonObject today = heard.find(NumberStore.USAGE, new JsonObject()).get(0);
    assertTrue(today.getInteger("inbound") >= 1);
    assertTrue(today.getInteger("segmentsUcs2") >= 3, "a Polish intro and question: " + today);
  }
}
