package org.heard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.error.HeardException;
import org.heard.privacy.Pseudonyms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Outbound texts through a local stand-in for Twilio's Messages API. */
class SmsSenderTest {
  private static final String ACCOUNT = "AC" + "a".repeat(32);
  private static final String FROM = "+447700900999";
  private static final int PER_SECOND = 5;
  private static final String SECRET = "sms-sender-secret-0123456789abcdef0123";
  private static final Pseudonyms PSEUDONYMS = new Pseudonyms(SECRET);

  /** What the stand-in received, and the statuses it will answer with (then 201). */
  private record Received(long atMillis, String path, String authorization, String form) {
  }

  private static final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private static final Deque<Integer> script = new ConcurrentLinkedDeque<>();
  private static Vertx vertx;
  private static HttpServer twilio;
  private static Path dir;
  private static TestServer heard;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    twilio = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(new Received(System.currentTimeMillis(), request.path(), request.getHeader("Authorization"),
          body.toString(StandardCharsets.UTF_8)));
      Integer status = script.poll();
      if (status == null || status == 201) {
        request.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("sid", "SM" + received.size()).put("status", "queued").encode());
      } else {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
            .putHeader("Retry-After", status == 429 ? "0" : null)
            .end(new JsonObject().put("code", 21211).put("message", "The 'To' number is not valid.").encode());
      }
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    dir = Files.createTempDirectory("heard-sender");
    heard = TestServer.start(dir, Map.of(
        Config.TWILIO_AUTH_TOKEN, SmsPhone.AUTH_TOKEN,
        Config.PUBLIC_URL, SmsPhone.PUBLIC_URL,
        Config.SECRET, SECRET,
        Config.TWILIO_ACCOUNT_SID, ACCOUNT,
        Config.TWILIO_FROM, FROM,
        Config.TWILIO_API_URL, "http://127.0.0.1:" + twilio.actualPort(),
        Config.SMS_SENDS_PER_SECOND, String.valueOf(PER_SECOND)));
  }

  @AfterAll
  static void stop() throws Exception {
    heard.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void reset() {
    received.clear();
    script.clear();
  }

  private static SmsSender sender() {
    return heard.server().smsSender().orElseThrow();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }

  @Test
  void sendsThroughTheMessagesApiAsTheAccount() throws Exception {
    assertEquals("SM1", await(sender().send("+447700900401", "We fixed the lights on Mill Lane. Thank you.")));
    Received request = received.get(0);
    assertEquals("/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json", request.path());
    assertEquals("Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + SmsPhone.AUTH_TOKEN)
        .getBytes(StandardCharsets.UTF_8)), request.authorization());
    assertTrue(request.form().contains("To=%2B447700900401"), request.form());
    assertTrue(request.form().contains("From=%2B447700900999"), request.form());
    assertTrue(request.form().contains("Body=We+fixed+the+lights"), request.form());
  }

  @Test
  void serverErrorsAndRateLimitsAreRetried() throws Exception {
    script.addAll(List.of(500, 429, 503));
    await(sender().send("+447700900402", "Retried"));
    assertEquals(4, received.size(), "three refusals, then the message");
  }

  @Test
  void aRefusalIsReportedAndNotRetried() throws Exception {
    script.add(400);
    Exception refused = assertThrows(Exception.class, () -> await(sender().send("not-a-number", "Hello")));
    HeardException.BadRequest error = assertInstanceOf(HeardException.BadRequest.class, refused);
    assertTrue(error.getMessage().contains("The 'To' number is not valid."), error.getMessage());
    assertEquals(1, received.size());
  }

  @Test
  void givingUpAfterRepeatedServerErrors() throws Exception {
    for (int i = 0; i < SmsSender.MAX_ATTEMPTS; i++) {
      script.add(502);
    }
    Exception failed = assertThrows(Exception.class, () -> await(sender().send("+447700900403", "Hello")));
    assertInstanceOf(HeardException.Unavailable.class, failed);
    assertEquals(SmsSender.MAX_ATTEMPTS, received.size());
  }

  @Test
  void nothingIsEverSentToAnOptedOutNumber() throws Exception {
    String number = "+447700900404";
    new SmsPhone(heard, number).text("STOP");
    Exception refused = assertThrows(Exception.class, () -> await(sender().send(number, "Hello again")));
    assertEquals("urn:heard:problem:opted-out",
        "urn:heard:problem:" + assertInstanceOf(HeardException.Forbidden.class, refused).type());
    assertEquals(0, received.size());

    new SmsPhone(heard, number).text("START");
    await(sender().send(number, "Hello again"));
    assertEquals(1, received.size(), "after START it may be texted again");
  }

  @Test
  void respondentsAreTextedOnlyIfTheyConsented() throws Exception {
    String consenting = "+447700900405";
    SmsPhone phone = new SmsPhone(heard, consenting);
    for (String text : List.of("PULSE", "4", "a", "Parking", "yes")) {
      phone.text(text);
    }
    await(sender().sendToRespondent(PSEUDONYMS.respondentKey(consenting), "We said we would: done."));
    assertTrue(received.get(0).form().contains("To=%2B447700900405"));

    String declining = "+447700900406";
    SmsPhone other = new SmsPhone(heard, declining);
    for (String text : List.of("PULSE", "4", "a", "Parking", "no")) {
      other.text(text);
    }
    String declinedKey = PSEUDONYMS.respondentKey(declining);
    assertEquals(1, heard.find(NumberStore.COLLECTION, new JsonObject().put("_id", declinedKey)).size());
    Exception noContact = assertThrows(Exception.class,
        () -> await(sender().sendToRespondent(declinedKey, "Hello")));
    assertInstanceOf(HeardException.NotFound.class, noContact);
    assertEquals(1, received.size());
  }

  @Test
  void sendingIsPacedToTheConfiguredRate() throws Exception {
    List<Future<String>> sends = new ArrayList<>();
    int messages = PER_SECOND * 2 + 1;
    for (int i = 0; i < messages; i++) {
      sends.add(sender().send("+4477009005" + String.format("%02d", i), "Paced " + i));
    }
    Future.all(sends).await(30, TimeUnit.SECONDS);
    long spread = received.get(received.size() - 1).atMillis() - received.get(0).atMillis();
    // 11 messages at 5 a second need at least two seconds between the first and the last.
    assertTrue(spread >= 1_900, "sent " + messages + " messages in " + spread + " ms");
  }
}
