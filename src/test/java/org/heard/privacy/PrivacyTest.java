package org.heard.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.sms.TwilioSignature;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Erasure of one respondent or response, and retention of free text and contact details. */
class PrivacyTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final String SECRET = "privacy-test-secret-0123456789abcdef0123";
  static final String TOKEN = "privacy-test-token";
  static final Pseudonyms PSEUDONYMS = new Pseudonyms(SECRET);

  private static Map<String, String> env() {
    return Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD, Config.SECRET, SECRET,
        Config.TWILIO_AUTH_TOKEN, TOKEN, Config.PUBLIC_URL, "http://heard.example.org");
  }

  /** Completes sms-pulse by text, saying yes to being contacted. */
  private static void answerByText(TestServer heard, String number) throws Exception {
    answerByText(heard, number, "Dealing outside 14 Mill Lane");
  }

  private static void answerByText(TestServer heard, String number, String comment) throws Exception {
    int n = 0;
    for (String text : List.of("PULSE", "2", "c", comment, "yes")) {
      Map<String, String> params = new java.util.LinkedHashMap<>();
      params.put("From", number);
      params.put("Body", text);
      params.put("MessageSid", "SM" + number.substring(1) + "x" + n++);
      String signature = org.heard.sms.TwilioSignature.compute(TOKEN, "http://heard.example.org/sms/twilio",
          new java.util.ArrayList<>(params.entrySet()));
      String form = params.entrySet().stream().map(e -> e.getKey() + "="
          + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
          .reduce((a, b) -> a + "&" + b).orElseThrow();
      HttpResponse<String> response = heard.send(HttpRequest.newBuilder(heard.uri("/sms/twilio"))
          .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
          .POST(HttpRequest.BodyPublishers.ofString(form)).build());
      assertEquals(200, response.statusCode(), response.body());
    }
  }

  @Test
  void anAdministratorErasesEverythingAboutOneRespondentOrOneResponse(@TempDir Path dir) throws Exception {
    try (TestServer heard = TestServer.start(dir, env())) {
      String number = "+447700900777";
      String key = PSEUDONYMS.respondentKey(number);
      answerByText(heard, number);
      HttpResponse<String> other = heard.postResponse("sms-pulse", "keep-me",
          "{\"answers\": {\"feel_safe_now\": 4, \"ward\": \"E05000003\"}}");
      String otherId = new JsonObject(other.body()).getString("id");
      assertEquals(1, heard.find("responses", new JsonObject().put("provenance.respondentKey", key)).size());
      assertEquals(1, heard.find("sms_numbers", new JsonObject().put("_id", key)).size());

      StaffClient admin = new StaffClient(heard);
      assertEquals(303, admin.login(ADMIN, PASSWORD));
      HttpResponse<String> none = admin.postForm("/staff/erasure", Map.of());
      assertEquals(422, none.statusCode());
      assertTrue(none.body().contains("Enter exactly one of"));
      HttpResponse<String> erased = admin.postForm("/staff/erasure", Map.of("phoneNumber", "+44 7700 900777"));
      assertEquals(200, erased.statusCode(), erased.body());
      assertTrue(erased.body().contains("1 responses and the text-message record"));

      assertEquals(0, heard.find("responses", new JsonObject().put("provenance.respondentKey", key)).size());
      assertEquals(0, heard.find("sms_numbers", new JsonObject().put("_id", key)).size(), "contact details too");
      assertEquals(1, heard.find("responses", new JsonObject().put("_id", otherId)).size(), "nothing else");
      List<JsonObject> audit = heard.find("audit_log", new JsonObject().put("action", "erasure"));
      assertEquals(1, audit.size());
      assertTrue(audit.get(0).getJsonArray("records").contains(key));
      assertFalse(audit.get(0).encode().contains("900777"), "the audit never holds the phone number");

      String token = StaffClient.token(heard, ADMIN, PASSWORD);
      HttpResponse<String> byId = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/erasures"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("responseId", otherId).encode())).build());
      assertEquals(200, byId.statusCode(), byId.body());
      assertEquals(new JsonArray().add(otherId), new JsonObject(byId.body()).getJsonArray("responses"));
      assertEquals(0, heard.count("responses"));
      HttpResponse<String> bad = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/erasures"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"responseId\": {\"$gt\": \"\"}}")).build());
      assertEquals(422, bad.statusCode(), "operators are not ids");
    }
  }

  /** The files under the data directory that hold {@code text} (as UTF-8 bytes). */
  private static List<Path> filesHolding(Path dataDir, String text) throws Exception {
    byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Path> holding = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dataDir)) {
      for (Path file : walk.filter(java.nio.file.Files::isRegularFile).toList()) {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
          if (java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
            holding.add(file);
            break;
          }
        }
      }
    }
    return holding;
  }

  @Test
  void afterAnErasureNoFileUnderTheDataDirectoryHoldsTheTextOrTheNumber(@TempDir Path dir) throws Exception {
    String marker = "Quokkafrond 4417";
    String number = "+447700900888";
    try (TestServer heard = TestServer.start(dir, env())) {
      answerByText(heard, number, marker + " keeps shouting at the bus stop");
      Thread.sleep(1_000);  // past a commit of the store
      Path data = dir.resolve("data");
      // Every file: the embedded store's, the spool's segments and rejected log, and any other.
      Path store = data.resolve("heard-store.mv.db");
      assertTrue(filesHolding(data, marker).stream().anyMatch(f -> f.startsWith(data.resolve("spool"))),
          "the comment is in the spool before the erasure (so the scan can fail)");
      assertTrue(filesHolding(data, marker).contains(store), "and in the store's file");
      StaffClient admin = new StaffClient(heard);
      assertEquals(303, admin.login(ADMIN, PASSWORD));
      HttpResponse<String> erased = admin.postForm("/staff/erasure", Map.of("phoneNumber", "07700 900888"));
      assertEquals(200, erased.statusCode(), erased.body());
      for (String text : List.of(marker, "7700900888", "07700 900888", "7700 900888")) {
        assertEquals(List.of(), filesHolding(data, text), "'" + text + "' is still in a file after the erasure");
      }
      // The rewritten store carries on: it takes new responses and opens again after a restart.
      assertEquals(201, heard.postResponse("sms-pulse", "after-scrub",
          "{\"answers\": {\"feel_safe_now\": 4, \"ward\": \"E05000003\"}}").statusCode());
      heard.restart();
      assertEquals(1, heard.count("responses"));
      assertEquals(List.of(), filesHolding(data, marker), "and still nothing after the restart");
    }
  }

  @Test
  void erasureFindsTheNumberHoweverItIsWritten(@TempDir Path dir) throws Exception {
    try (TestServer heard = TestServer.start(dir, env())) {
      StaffClient admin = new StaffClient(heard);
      assertEquals(303, admin.login(ADMIN, PASSWORD));
      List<String> written = List.of("07700 900301", "+44 (0)7700 900302", "0044 7700 900303", "447700900304",
          "(07700) 900-305", "07700-900-306");
      for (int i = 0; i < written.size(); i++) {
        String number = "+4477009003" + String.format("%02d", i + 1);
        answerByText(heard, number);
        String key = PSEUDONYMS.respondentKey(number);
        assertEquals(1, heard.find("sms_numbers", new JsonObject().put("_id", key)).size());
        HttpResponse<String> erased = admin.postForm("/staff/erasure", Map.of("phoneNumber", written.get(i)));
        assertEquals(200, erased.statusCode(), erased.body());
        assertTrue(erased.body().contains("1 responses and the text-message record"), written.get(i) + ": " + erased.body());
        assertEquals(0, heard.find("sms_numbers", new JsonObject().put("_id", key)).size(), written.get(i));
        assertEquals(0, heard.find("responses", new JsonObject().put("provenance.respondentKey", key)).size());
      }
      for (String notANumber : List.of("12 34", "call me maybe", "+44 7700")) {
        HttpResponse<String> refused = admin.postForm("/staff/erasure", Map.of("phoneNumber", notANumber));
        assertEquals(422, refused.statusCode(), notANumber);
        assertTrue(refused.body().contains("not a phone number of a possible length"), refused.body());
      }
    }
  }

  @Test
  void afterTheRetentionPeriodFreeTextAndContactDetailsGoAndClosedAnswersStay(@TempDir Path dir) throws Exception {
    try (TestServer heard = TestServer.start(dir, env())) {
      String number = "+447700900778";
      String key = PSEUDONYMS.respondentKey(number);
      answerByText(heard, number);
      assertTrue(heard.find("sms_numbers", new JsonObject().put("_id", key)).get(0).containsKey("contact"));
      JsonObject old = heard.find("responses", new JsonObject().put("provenance.respondentKey", key)).get(0);
      // Make the response older than sms-pulse's 730-day retention period, as time would.
      heard.mongo().updateCollection("responses", new JsonObject().put("_id", old.getString("_id")),
          new JsonObject().put("$set", new JsonObject().put("receivedAt",
              new JsonObject().put("$date", Instant.now().minus(731, ChronoUnit.DAYS).toString())))).await();
      assertEquals(201, heard.postResponse("sms-pulse", "recent", "{\"answers\": {\"feel_safe_now\": 4, "
          + "\"ward\": \"E05000003\", \"main_worry\": \"Speeding\"}}").statusCode());

      heard.restart(); // retention runs in the background at start-up (and every six hours)
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
      while (!heard.find("responses", new JsonObject().put("_id", old.getString("_id"))).get(0).containsKey("retainedAt")
          || heard.find("sms_numbers", new JsonObject().put("_id", key)).get(0).containsKey("contact")) {
        assertTrue(System.nanoTime() < deadline, "retention ran after the start");
        Thread.sleep(100);
      }

      JsonObject trimmed = heard.find("responses", new JsonObject().put("_id", old.getString("_id"))).get(0);
      assertEquals(new JsonObject().put("feel_safe_now", 2).put("ward", "E05000003").put("contact_ok", true),
          trimmed.getJsonObject("answers"), "the free text is gone; closed answers stay");
      assertTrue(trimmed.containsKey("retainedAt"));
      assertFalse(heard.find("sms_numbers", new JsonObject().put("_id", key)).get(0).containsKey("contact"),
          "the number kept for texting back is deleted");
      JsonObject recent = heard.find("responses", new JsonObject().put("provenance.idempotencyKey", "recent")).get(0);
      assertEquals("Speeding", recent.getJsonObject("answers").getString("main_worry"), "recent answers untouched");
    }
  }
}
