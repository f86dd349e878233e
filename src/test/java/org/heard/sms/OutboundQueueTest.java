package org.heard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.privacy.Pseudonyms;
import org.heard.store.Documents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every text Heard sends goes through the durable queue in the database, to a local stand-in for Twilio. */
class OutboundQueueTest {
  private static final String ACCOUNT = "AC" + "a".repeat(32);
  private static final String FROM = "+447700900999";
  private static final int PER_SECOND = 5;
  private static final String SECRET = "sms-sender-secret-0123456789abcdef0123";
  private static final Pseudonyms PSEUDONYMS = new Pseudonyms(SECRET);

  private static FakeTwilio twilio;
  private static TestServer heard;
  private static int ids;

  @TempDir
  static Path dir;

  private static Map<String, String> env(int perSecond) {
    return Map.of(
        Config.TWILIO_AUTH_TOKEN, SmsPhone.AUTH_TOKEN,
        Config.PUBLIC_URL, SmsPhone.PUBLIC_URL,
        Config.SECRET, SECRET,
        Config.TWILIO_ACCOUNT_SID, ACCOUNT,
        Config.TWILIO_FROM, FROM,
        Config.TWILIO_API_URL, twilio.url(),
        Config.SMS_SENDS_PER_SECOND, String.valueOf(perSecond));
  }

  private static Map<String, String> onDatabaseOf(TestServer first, Map<String, String> env) {
    Map<String, String> shared = new HashMap<>(env);
    shared.put(Config.MONGODB_URI, first.server().databaseConnectionString());
    return shared;
  }

  @BeforeAll
  static void start() throws Exception {
    twilio = new FakeTwilio();
    heard = TestServer.start(dir.resolve("heard"), env(PER_SECOND));
  }

  @AfterAll
  static void stop() throws Exception {
    heard.close();
    twilio.close();
  }

  @BeforeEach
  void reset() {
    twilio.reset();
  }

  /** Queues a text to {@code number} (to the number itself, as a reply after an outage is). */
  private static String queue(TestServer server, String number, String text) {
    String id = "test|" + (++ids);
    assertTrue(server.server().outboundSms().enqueue(new OutboundQueue.Message(id, PSEUDONYMS.respondentKey(number),
        PSEUDONYMS.encryptContact(number), text, "test", null)).await());
    return id;
  }

  private static JsonObject message(String id) {
    return heard.find(OutboundQueue.COLLECTION, new JsonObject().put("_id", id)).get(0);
  }

  private static JsonObject awaitSettled(String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      JsonObject message = message(id);
      if (List.of("sent", "not-sent").contains(message.getString("state"))) {
        return message;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("message " + id + " was not settled: " + message(id));
  }

  @Test
  void sendsThroughTheMessagesApiAsTheAccountAndThenForgetsTheNumber() throws Exception {
    String id = queue(heard, "+447700900401", "We fixed the lights on Mill Lane. Thank you.");
    FakeTwilio.Sent request = twilio.awaitPosted(1).get(0);
    assertEquals("/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json", request.path());
    assertEquals("Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + SmsPhone.AUTH_TOKEN)
        .getBytes(StandardCharsets.UTF_8)), request.authorization());
    assertTrue(request.form().contains("To=%2B447700900401"), request.form());
    assertTrue(request.form().contains("From=%2B447700900999"), request.form());
    assertEquals("We fixed the lights on Mill Lane. Thank you.", request.body());
    JsonObject sent = awaitSettled(id);
    assertEquals("sent", sent.getString("state"));
    assertEquals("SM" + String.format("%032d", 1), sent.getString("providerSid"));
    assertFalse(sent.containsKey("to"), "the encrypted number goes once nothing more will be sent: " + sent);
  }

  @Test
  void serverErrorsAndRateLimitsAreRetriedAfterAskingWhetherTheMessageWent() throws Exception {
    String number = "+447700900402";
    twilio.script(500, 429, 503);
    String id = queue(heard, number, "Retried");
    assertEquals("sent", awaitSettled(id).getString("state"));
    assertEquals(4, twilio.postedTo(number).size(), "three refusals, then the message");
    assertEquals(2, twilio.lookups().stream().filter(number::equals).count(),
        "after each 5xx (which may have gone through) the message list is asked first");
  }

  @Test
  void aRefusalIsRecordedWithoutTheProvidersTextAndNotRetried() throws Exception {
    String number = "+447700900407";
    twilio.script(400);
    JsonObject refused = awaitSettled(queue(heard, number, "Hello"));
    assertEquals("not-sent", refused.getString("state"));
    assertEquals("refused: HTTP 400, Twilio error 21211", refused.getString("reason"),
        "Twilio's message names the number: only its code is kept");
    assertEquals(1, twilio.postedTo(number).size());
  }

  @Test
  void givingUpAfterRepeatedServerErrors() throws Exception {
    String number = "+447700900403";
    for (int i = 0; i < OutboundQueue.MAX_ATTEMPTS; i++) {
      twilio.script(502);
    }
    JsonObject failed = awaitSettled(queue(heard, number, "Hello"));
    assertEquals("not-sent", failed.getString("state"));
    assertTrue(failed.getString("reason").startsWith("unconfirmed: "), failed.encode());
    assertEquals(OutboundQueue.MAX_ATTEMPTS, twilio.postedTo(number).size());
  }

  @Test
  void nothingIsEverSentToAnOptedOutNumber() throws Exception {
    String number = "+447700900404";
    new SmsPhone(heard, number).text("STOP");
    JsonObject held = awaitSettled(queue(heard, number, "Hello again"));
    assertEquals("not-sent", held.getString("state"));
    assertEquals("opted-out", held.getString("reason"));
    assertEquals(0, twilio.posted().size());

    new SmsPhone(heard, number).text("START");
    assertEquals("sent", awaitSettled(queue(heard, number, "Hello again")).getString("state"));
    assertEquals(1, twilio.posted().size(), "after START it may be texted again");
  }

  @Test
  void respondentsAreTextedOnlyIfTheyConsented() throws Exception {
    String consenting = "+447700900405";
    SmsPhone phone = new SmsPhone(heard, consenting);
    for (String text : List.of("PULSE", "4", "a", "Parking", "yes")) {
      phone.text(text);
    }
    OutboundQueue queue = heard.server().outboundSms();
    queue.enqueue(new OutboundQueue.Message("consent|1", PSEUDONYMS.respondentKey(consenting), null,
        "We said we would: done.", "test", null)).await();
    assertEquals("sent", awaitSettled("consent|1").getString("state"));
    assertEquals(1, twilio.postedTo(consenting).size());

    String declining = "+447700900406";
    SmsPhone other = new SmsPhone(heard, declining);
    for (String text : List.of("PULSE", "4", "a", "Parking", "no")) {
      other.text(text);
    }
    queue.enqueue(new OutboundQueue.Message("consent|2", PSEUDONYMS.respondentKey(declining), null, "Hello", "test",
        null)).await();
    JsonObject noContact = awaitSettled("consent|2");
    assertEquals("no-contact", noContact.getString("reason"));
    assertEquals(1, twilio.posted().size());
  }

  @Test
  void theSameMessageIsSentOnceHoweverOftenItIsQueued() throws Exception {
    String number = "+447700900408";
    OutboundQueue.Message message = new OutboundQueue.Message("once|1", PSEUDONYMS.respondentKey(number),
        PSEUDONYMS.encryptContact(number), "Once", "test", null);
    assertTrue(heard.server().outboundSms().enqueue(message).await());
    assertFalse(heard.server().outboundSms().enqueue(message).await(), "already queued");
    awaitSettled("once|1");
    Thread.sleep(1500);
    assertFalse(heard.server().outboundSms().enqueue(message).await(), "already sent");
    Thread.sleep(1500);
    assertEquals(1, twilio.postedTo(number).size());
  }

  @Test
  void sendingIsPacedToTheConfiguredRate() throws Exception {
    int messages = PER_SECOND * 2 + 1;
    List<String> queued = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      queued.add(queue(heard, "+4477009005" + String.format("%02d", i), "Paced " + i));
    }
    for (String id : queued) {
      awaitSettled(id);
    }
    List<FakeTwilio.Sent> sent = twilio.posted();
    long spread = sent.get(sent.size() - 1).atMillis() - sent.get(0).atMillis();
    // 11 messages at 5 a second need at least two seconds between the first and the last.
    assertTrue(spread >= 1_900, "sent " + messages + " messages in " + spread + " ms");
  }

  @Test
  void instancesOnOneDatabaseShareTheProvidersRate(@TempDir Path other) throws Exception {
    try (TestServer first = TestServer.start(other.resolve("a"), env(2));
        TestServer second = TestServer.start(other.resolve("b"), onDatabaseOf(first, env(2)))) {
      List<String> queued = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        queued.add(queue(i % 2 == 0 ? first : second, "+4477009006" + String.format("%02d", i), "Shared " + i));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (twilio.posted().size() < 12 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      List<FakeTwilio.Sent> sent = twilio.posted();
      assertEquals(12, sent.size());
      long spread = sent.get(11).atMillis() - sent.get(0).atMillis();
      // Alone, each would send its six at 2 a second (4 a second together, about 2.5 s for all twelve);
      // sharing 2 a second, the twelve need six one-second windows.
      assertTrue(spread >= 3_500, "12 messages at a shared 2 a second went out in " + spread + " ms");
    }
  }

  @Test
  void aSendInterruptedByARestartIsResumedAndNeverSentTwice() throws Exception {
    String taken = "+447700900409";
    String never = "+447700900410";
    twilio.silence(true);
    String first = queue(heard, taken, "Taken, but the answer was lost");
    twilio.awaitPosted(1);
    heard.restart();
    twilio.silence(false);
    // As a crashed instance leaves them once their lease has run out: one Twilio took, one it never saw.
    JsonObject past = Documents.date(Instant.now().minusSeconds(1));
    heard.mongo().updateCollection(OutboundQueue.COLLECTION, new JsonObject().put("_id", first),
        new JsonObject().put("$set", new JsonObject().put("leaseUntil", past).put("owner", "crashed"))).await();
    heard.mongo().insert(OutboundQueue.COLLECTION, new JsonObject().put("_id", "test|crashed")
        .put("respondentKey", PSEUDONYMS.respondentKey(never)).put("to", PSEUDONYMS.encryptContact(never))
        .put("text", "Claimed, then the instance died").put("purpose", "test").put("state", "sending")
        .put("attempts", 0).put("owner", "crashed").put("leaseUntil", past)
        .put("createdAt", past).put("dueAt", past)).await();

    assertEquals("sent", awaitSettled(first).getString("state"));
    assertEquals("sent", awaitSettled("test|crashed").getString("state"));
    assertEquals(1, twilio.postedTo(taken).size(), "Twilio already had it: not sent again");
    assertEquals("SM" + String.format("%032d", 1), message(first).getString("providerSid"));
    assertEquals(1, twilio.postedTo(never).size(), "never sent: sent now");
    assertTrue(twilio.lookups().containsAll(List.of(taken, never)), "both were looked up first");
  }
}
