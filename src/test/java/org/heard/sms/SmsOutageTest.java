package org.heard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heard.HeardProcess;
import org.heard.StoppableDatabase;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.privacy.Pseudonyms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An opt-out is durable before anything else: STOP, START and HELP are answered during a database
 * outage (from the spool), replayed webhooks never bring back an old prompt or undo an opt-out, and
 * nothing is texted twice after a crash.
 */
class SmsOutageTest {
  private static final String SECRET = "sms-outage-secret-0123456789abcdef0123";
  private static final Pseudonyms PSEUDONYMS = new Pseudonyms(SECRET);
  private static final String ACCOUNT = "AC" + "b".repeat(32);
  private static final String STOPPED = "You will get no more messages from";

  private static Map<String, String> env(FakeTwilio twilio, String databaseUri) {
    Map<String, String> env = new HashMap<>(Map.of(
        Config.TWILIO_AUTH_TOKEN, SmsPhone.AUTH_TOKEN,
        Config.PUBLIC_URL, SmsPhone.PUBLIC_URL,
        Config.SECRET, SECRET,
        Config.TWILIO_ACCOUNT_SID, ACCOUNT,
        Config.TWILIO_FROM, "+447700900999",
        Config.TWILIO_API_URL, twilio.url(),
        Config.SMS_SENDS_PER_SECOND, "20"));
    if (databaseUri != null) {
      env.put(Config.MONGODB_URI, databaseUri);
    }
    return env;
  }

  private static JsonObject numberState(TestServer heard, String number) {
    return heard.find(NumberStore.COLLECTION, new JsonObject().put("_id", PSEUDONYMS.respondentKey(number))).get(0);
  }

  @Test
  void stopDuringAnOutageIsConfirmedAtOnceAndNothingIsSentToTheNumberAfterwards(@TempDir Path dir) throws Exception {
    String stopping = "+447700900601";
    String carryingOn = "+447700900602";
    try (FakeTwilio twilio = new FakeTwilio();
        StoppableDatabase database = new StoppableDatabase(dir.resolve("mongo.mv.db"));
        TestServer heard = TestServer.start(dir.resolve("heard"), env(twilio, database.uri()))) {
      SmsPhone a = new SmsPhone(heard, stopping);
      SmsPhone b = new SmsPhone(heard, carryingOn);
      assertEquals(2, a.text("PULSE").size());
      assertEquals(2, b.text("PULSE").size());

      database.stop();
      assertEquals(List.of(), a.text("4"), "kept, answered after the outage");
      List<String> help = a.text("HELP");
      assertEquals(1, help.size());
      assertTrue(help.get(0).contains("Text STOP to stop messages"), help.get(0));
      List<String> stopped = a.text("STOP");
      assertEquals(1, stopped.size(), "the opt-out is confirmed as soon as it is on disk");
      assertTrue(stopped.get(0).startsWith(STOPPED), stopped.get(0));
      assertEquals(List.of(), a.text("b"));
      assertEquals(List.of(), b.text("4"));

      database.restart();
      List<FakeTwilio.Sent> toB = twilio.awaitPosted(1);
      assertEquals(carryingOn, toB.get(0).to());
      assertTrue(toB.get(0).body().startsWith("Which area"), "the next question, once: " + toB.get(0).body());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (heard.server().spoolBacklog() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      Thread.sleep(2_000);
      assertEquals(List.of(), twilio.postedTo(stopping), "no question, no second confirmation after the STOP");
      assertEquals(1, twilio.posted().size());
      assertTrue(numberState(heard, stopping).containsKey("optedOutAt"));
      List<JsonObject> partial = heard.find("responses", new JsonObject()
          .put("provenance.respondentKey", PSEUDONYMS.respondentKey(stopping)));
      assertEquals(1, partial.size());
      assertEquals("opted-out", partial.get(0).getJsonObject("provenance").getString("endedBy"));
      assertEquals(new JsonObject().put("feel_safe_now", 4), partial.get(0).getJsonObject("answers"),
          "what was answered before the STOP is kept; what came after it is not");
      assertEquals(List.of(), a.text("PULSE"), "still opted out");
    }
  }

  @Test
  void replayedWebhooksNeverBringBackAnOldPromptOrUndoAnOptOut(@TempDir Path dir) throws Exception {
    String number = "+447700900603";
    try (FakeTwilio twilio = new FakeTwilio();
        TestServer heard = TestServer.start(dir, env(twilio, null))) {
      SmsPhone phone = new SmsPhone(heard, number);
      phone.text("PULSE");
      String answer = SmsPhone.newSid();
      List<String> next = phone.text("4", answer);
      assertEquals(next, phone.text("4", answer), "a provider retry of the latest message gets the same reply");
      String stop = SmsPhone.newSid();
      List<String> confirmed = phone.text("STOP", stop);
      assertEquals(List.of(), phone.text("4", answer), "after the STOP, the old prompt is never sent again");
      assertEquals(confirmed, phone.text("STOP", stop), "the STOP itself is still the latest: same confirmation");

      String start = SmsPhone.newSid();
      assertTrue(phone.text("START", start).get(0).startsWith("You can get messages from us again"));
      phone.text("STOP");
      for (int i = 0; i < 25; i++) {
        assertEquals(List.of(), phone.text("hello " + i), "opted out: nothing is answered");
      }
      assertEquals(List.of(), phone.text("START", start), "an old START replayed after 27 messages");
      assertTrue(numberState(heard, number).containsKey("optedOutAt"), "the opt-out stands");
      assertEquals(List.of(), twilio.posted());
    }
  }

  @Test
  void aCrashSoonAfterTheSpoolIsDrainedSendsNoReplyTwice(@TempDir Path dir) throws Exception {
    String number = "+447700900604";
    Path surveys = TestServer.testSurveys(dir.resolve("surveys"));
    try (FakeTwilio twilio = new FakeTwilio();
        StoppableDatabase database = new StoppableDatabase(dir.resolve("mongo.mv.db"))) {
      HeardProcess[] heard = {HeardProcess.start(dir, surveys, env(twilio, database.uri()))};
      try {
        SmsPhone phone = SmsPhone.at(() -> heard[0].url(), number);
        phone.text("PULSE");
        database.stop();
        assertEquals(List.of(), phone.text("4"));
        database.restart();
        assertTrue(twilio.awaitPosted(1).get(0).body().startsWith("Which area"));
        // Within the spool's 60 s grace: its records are still on disk and are replayed at start-up.
        heard[0].kill();
        heard[0] = HeardProcess.start(dir, surveys, env(twilio, database.uri()));
        Thread.sleep(4_000);
        assertEquals(1, twilio.postedTo(number).size(), "the reply was queued once, under the message's id");
        assertEquals(1, phone.text("a").size(), "and the conversation carries on");
      } finally {
        heard[0].close();
      }
    }
  }
}
