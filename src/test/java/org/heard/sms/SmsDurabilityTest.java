package org.heard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.privacy.Pseudonyms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversation state lives in the database: it survives restarts, is shared by instances, and expires. */
class SmsDurabilityTest {
  private static final String SECRET = "sms-durability-secret-0123456789abcdef01";
  private static final Pseudonyms PSEUDONYMS = new Pseudonyms(SECRET);

  private static Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        Config.TWILIO_AUTH_TOKEN, SmsPhone.AUTH_TOKEN,
        Config.PUBLIC_URL, SmsPhone.PUBLIC_URL,
        Config.SECRET, SECRET));
    env.putAll(extra);
    return env;
  }

  private static List<JsonObject> responsesFrom(TestServer server, String number) {
    return server.find("responses", new JsonObject().put("channel", "sms")
        .put("provenance.respondentKey", PSEUDONYMS.respondentKey(number)));
  }

  private static List<String> answerPulse(SmsPhone phone) throws Exception {
    return List.of(phone.text("PULSE").get(1), phone.text("5").get(0), phone.text("f").get(0),
        phone.text("Nothing much").get(0), phone.text("no").get(0));
  }

  @Test
  void aConversationCarriesOnAfterARestart(@TempDir Path dir) throws Exception {
    String number = "+447700900301";
    try (TestServer server = TestServer.start(dir, env(Map.of()))) {
      SmsPhone phone = new SmsPhone(server, number);
      phone.text("PULSE");
      phone.text("5");
      server.restart();
      assertTrue(phone.text("f").get(0).startsWith("What worries you"), "the next question, after the restart");
      phone.text("Nothing much");
      assertTrue(phone.text("no").get(0).startsWith("Thank you"));
      List<JsonObject> stored = responsesFrom(server, number);
      assertEquals(1, stored.size());
      assertEquals(new JsonObject().put("feel_safe_now", 5).put("ward", "E05000006").put("main_worry", "Nothing much")
          .put("contact_ok", false), stored.get(0).getJsonObject("answers"));
    }
  }

  @Test
  void twoInstancesOnOneDatabaseAnswerAlternateMessagesAsOneWould(@TempDir Path dir) throws Exception {
    try (TestServer first = TestServer.start(dir.resolve("a"), env(Map.of()));
        TestServer second = TestServer.start(dir.resolve("b"),
            env(Map.of(Config.MONGODB_URI, first.server().databaseConnectionString())))) {
      String alternating = "+447700900302";
      SmsPhone phone = new SmsPhone(first, alternating);
      List<String> replies = List.of(
          phone.via(first).text("PULSE").get(1),
          phone.via(second).text("5").get(0),
          phone.via(first).text("f").get(0),
          phone.via(second).text("Nothing much").get(0),
          phone.via(first).text("no").get(0));
      List<String> single = answerPulse(new SmsPhone(first, "+447700900303"));
      assertEquals(single, replies, "the same replies as from one instance");
      assertEquals(responsesFrom(first, "+447700900303").get(0).getJsonObject("answers"),
          responsesFrom(first, alternating).get(0).getJsonObject("answers"));
      assertEquals(1, responsesFrom(second, alternating).size(), "one response, seen from both instances");
    }
  }

  @Test
  void racingMessagesFromOneNumberAreEachAppliedOnce(@TempDir Path dir) throws Exception {
    try (TestServer first = TestServer.start(dir.resolve("a"), env(Map.of()));
        TestServer second = TestServer.start(dir.resolve("b"),
            env(Map.of(Config.MONGODB_URI, first.server().databaseConnectionString())))) {
      String number = "+447700900304";
      SmsPhone phone = new SmsPhone(first, number);
      phone.text("PULSE");
      // The same retried message hits both instances at once: it must count once.
      String sid = SmsPhone.newSid();
      var one = java.util.concurrent.CompletableFuture.supplyAsync(() -> call(() -> new SmsPhone(first, number).text("4", sid)));
      var two = java.util.concurrent.CompletableFuture.supplyAsync(() -> call(() -> new SmsPhone(second, number).text("4", sid)));
      assertEquals(one.get(), two.get());
      assertTrue(one.get().get(0).startsWith("Which area"), one.get().toString());
      JsonObject state = first.find(NumberStore.COLLECTION,
          new JsonObject().put("_id", PSEUDONYMS.respondentKey(number))).get(0);
      assertEquals("ward", state.getJsonObject("conversation").getString("questionId"));
    }
  }

  @Test
  void anIdleConversationExpiresIntoAPartialResponse(@TempDir Path dir) throws Exception {
    try (TestServer server = TestServer.start(dir, env(Map.of(Config.SMS_IDLE_SECONDS, "2")))) {
      String number = "+447700900305";
      SmsPhone phone = new SmsPhone(server, number);
      phone.text("PULSE");
      phone.text("3");
      phone.text("b");
      List<JsonObject> stored = List.of();
      for (int i = 0; i < 100 && stored.isEmpty(); i++) {
        Thread.sleep(100);
        stored = responsesFrom(server, number);
      }
      assertEquals(1, stored.size(), "the sweep stored the answers so far");
      JsonObject partial = stored.get(0);
      assertFalse(partial.getBoolean("complete"));
      assertEquals("expired", partial.getJsonObject("provenance").getString("endedBy"));
      assertEquals(new JsonObject().put("feel_safe_now", 3).put("ward", "E05000002"), partial.getJsonObject("answers"));
      JsonObject state = server.find(NumberStore.COLLECTION,
          new JsonObject().put("_id", PSEUDONYMS.respondentKey(number))).get(0);
      assertNull(state.getJsonObject("conversation"));
      assertTrue(phone.text("c").get(0).startsWith("Sorry, we did not understand that."),
          "a late reply does not resume an expired conversation");
    }
  }

  @Test
  void whileTheDatabaseIsDownMessagesAreKeptInTheSpool(@TempDir Path dir) throws Exception {
    de.bwaldvogel.mongo.MongoServer external = new de.bwaldvogel.mongo.MongoServer(
        de.bwaldvogel.mongo.backend.h2.H2Backend.inMemory());
    external.bind("127.0.0.1", 0);
    String uri = "mongodb://127.0.0.1:" + external.getLocalAddress().getPort();
    try (TestServer server = TestServer.start(dir, env(Map.of(Config.MONGODB_URI, uri)))) {
      SmsPhone phone = new SmsPhone(server, "+447700900306");
      phone.text("PULSE");
      external.shutdownNow();
      java.net.http.HttpResponse<String> kept = phone.post(phone.params("4", SmsPhone.newSid()), true);
      assertEquals(200, kept.statusCode(), kept.body());
      assertEquals(List.of(), SmsPhone.messages(kept.body()), "no reply now: it is sent when the message is handled");
      assertEquals(1, server.server().spoolBacklog());
    } finally {
      external.shutdownNow();
    }
  }

  private interface Call<T> {
    T run() throws Exception;
  }

  private static <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
