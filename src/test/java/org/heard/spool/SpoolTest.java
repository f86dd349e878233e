package org.heard.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.StoppableDatabase;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost when the database goes away: the API, the web form and SMS keep
 * taking answers into the durable spool, and everything is written once the database is back.
 */
class SpoolTest {
  private static final String PULSE = "{\"answers\": {\"feel_safe_now\": 3, \"ward\": \"E05000002\"}}";

  private static JsonObject ready(TestServer heard) throws Exception {
    return new JsonObject(heard.get("/ready").body());
  }

  @Test
  void whileTheDatabaseIsAwayEveryChannelKeepsTakingAnswersAndNothingIsLost(@TempDir Path dir) throws Exception {
    try (StoppableDatabase database = new StoppableDatabase(dir.resolve("mongo.mv.db"));
        TestServer heard = TestServer.start(dir.resolve("heard"), Map.of(Config.MONGODB_URI, database.uri()))) {
      assertEquals(201, heard.postResponse("sms-pulse", "before", PULSE).statusCode());

      // A web visitor is half-way through the form when the database goes.
      HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
      HttpResponse<String> first = browser.send(HttpRequest.newBuilder(heard.uri("/surveys/sms-pulse?lang=en"))
          .build(), HttpResponse.BodyHandlers.ofString());
      Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(first.body());
      assertTrue(csrf.find());

      database.stop();
      List<String> acknowledged = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> queued = heard.postResponse("sms-pulse", "during-" + i, PULSE);
        assertEquals(202, queued.statusCode(), queued.body());
        acknowledged.add(new JsonObject(queued.body()).getString("id"));
      }
      HttpResponse<String> page = post(browser, heard, "/surveys/sms-pulse", "csrf=" + csrf.group(1)
          + "&feel_safe_now=5&ward=E05000007&main_worry=Parking&contact_ok=true&contact_ok.phone=07700900731");
      assertEquals(303, page.statusCode(), "the web form carries on: " + page.body());
      HttpResponse<String> sent = post(browser, heard, "/surveys/sms-pulse/check", "csrf=" + csrf.group(1));
      assertEquals(303, sent.statusCode(), sent.body());
      JsonObject state = ready(heard);
      assertEquals("down", state.getString("database"));
      assertEquals(22, state.getJsonObject("spool").getInteger("backlog"), "the response, and the consent with its number");
      assertEquals(202, heard.postResponse("sms-pulse", "during-0", PULSE).statusCode(),
          "a retry while queued is queued again (and stored once)");

      database.restart();
      for (int i = 0; i < 200 && ready(heard).getJsonObject("spool").getInteger("backlog") > 0; i++) {
        Thread.sleep(100);
      }
      assertEquals(0, ready(heard).getJsonObject("spool").getInteger("backlog"), "drained once the database is back");
      for (String id : acknowledged) {
        assertEquals(1, heard.find("responses", new JsonObject().put("_id", id)).size(), id);
      }
      assertEquals(1, heard.find("responses", new JsonObject().put("channel", "web")
          .put("answers.main_worry", "Parking")).size(), "the web response too");
      String key = heard.find("responses", new JsonObject().put("channel", "web").put("answers.main_worry", "Parking"))
          .get(0).getJsonObject("provenance").getString("respondentKey");
      List<JsonObject> consenting = heard.find("sms_numbers", new JsonObject().put("consents.sms-pulse", true));
      assertEquals(1, consenting.size(), "the consent given during the outage is kept");
      assertEquals(key, consenting.get(0).getString("_id"));
      assertTrue(consenting.get(0).getString("contact").startsWith("v1:"));
      assertEquals(22, heard.count("responses"), "every acknowledged response, each once");
      assertEquals(200, heard.postResponse("sms-pulse", "during-3", PULSE).statusCode(),
          "and idempotency is intact afterwards");
    }
  }

  @Test
  void whenNeitherTheSpoolNorTheDatabaseCanBeWrittenTheAnswerIs503(@TempDir Path dir) throws Exception {
    Path spoolDir = Files.createDirectories(dir.resolve("heard").resolve("data").resolve("spool"));
    Path full = Path.of("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "needs /dev/full to simulate a full disk");
    // On a full disk every new segment is unwritable too (the spool tries a new one after a failure).
    for (int segment = 1; segment <= 300; segment++) {
      Files.createSymbolicLink(spoolDir.resolve("spool-" + segment + ".log"), full);
    }
    try (StoppableDatabase database = new StoppableDatabase(dir.resolve("mongo.mv.db"));
        TestServer heard = TestServer.start(dir.resolve("heard"), Map.of(Config.MONGODB_URI, database.uri()))) {
      HttpResponse<String> direct = heard.postResponse("sms-pulse", "disk-full-1", PULSE);
      assertEquals(201, direct.statusCode(), "the database still takes it: " + direct.body());
      assertFalse(ready(heard).getJsonObject("spool").getBoolean("writable"));

      database.stop();
      HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
      HttpResponse<String> first = browser.send(HttpRequest.newBuilder(heard.uri("/surveys/sms-pulse?lang=en"))
          .build(), HttpResponse.BodyHandlers.ofString());
      Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(first.body());
      assertTrue(csrf.find());
      assertEquals(303, post(browser, heard, "/surveys/sms-pulse", "csrf=" + csrf.group(1)
          + "&feel_safe_now=5&ward=E05000007&main_worry=Parking+on+pavements&contact_ok=false").statusCode());
      HttpResponse<String> notSent = post(browser, heard, "/surveys/sms-pulse/check", "csrf=" + csrf.group(1));
      assertEquals(503, notSent.statusCode());
      assertTrue(notSent.body().contains("Your answers could not be sent just now. They are kept here"), notSent.body());
      assertTrue(notSent.body().contains("Parking on pavements"), "the web form keeps what the person typed");

      HttpResponse<String> refused = heard.postResponse("sms-pulse", "disk-full-2", PULSE);
      assertEquals(503, refused.statusCode(), refused.body());
      assertEquals("urn:heard:problem:store-unavailable", new JsonObject(refused.body()).getString("type"));
      assertTrue(new JsonObject(refused.body()).getString("detail").contains("Nothing was stored"));
      database.restart();
    }
  }

  @Test
  void whileTheDatabaseIsAwayAKeyReusedForOtherAnswersIsRefusedAsWhenItIsUp(@TempDir Path dir) throws Exception {
    try (StoppableDatabase database = new StoppableDatabase(dir.resolve("mongo.mv.db"));
        TestServer heard = TestServer.start(dir.resolve("heard"), Map.of(Config.MONGODB_URI, database.uri()))) {
      database.stop();
      HttpResponse<String> queued = heard.postResponse("sms-pulse", "outage-key", PULSE);
      assertEquals(202, queued.statusCode(), queued.body());
      assertEquals(202, heard.postResponse("sms-pulse", "outage-key", PULSE).statusCode(), "the same answers again");
      HttpResponse<String> other = heard.postResponse("sms-pulse", "outage-key",
          "{\"answers\": {\"feel_safe_now\": 1, \"ward\": \"E05000002\"}}");
      assertEquals(409, other.statusCode(), other.body());
      assertEquals("urn:heard:problem:idempotency-key-reused", new JsonObject(other.body()).getString("type"));

      database.restart();
      for (int i = 0; i < 200 && ready(heard).getJsonObject("spool").getInteger("backlog") > 0; i++) {
        Thread.sleep(100);
      }
      List<JsonObject> stored = heard.find("responses",
          new JsonObject().put("_id", new JsonObject(queued.body()).getString("id")));
      assertEquals(1, stored.size());
      assertEquals(3, stored.get(0).getJsonObject("answers").getInteger("feel_safe_now"), "the first answers");
      assertFalse(Files.exists(dir.resolve("heard").resolve("data").resolve("spool").resolve("rejected.log")),
          "nothing acknowledged is set aside");
    }
  }

  @Test
  void aKeyStoredBeforeTheOutageIsRefusedForOtherAnswersDuringIt(@TempDir Path dir) throws Exception {
    String otherAnswers = "{\"answers\": {\"feel_safe_now\": 1, \"ward\": \"E05000002\"}}";
    try (StoppableDatabase database = new StoppableDatabase(dir.resolve("mongo.mv.db"))) {
      // Two instances on one database share one secret, as a deployment must.
      Map<String, String> env = Map.of(Config.MONGODB_URI, database.uri(), Config.SECRET, "spool-test-shared-secret-0123456789");
      try (TestServer gone = TestServer.start(dir.resolve("gone"), env)) {
        assertEquals(201, gone.postResponse("sms-pulse", "stored-elsewhere", PULSE).statusCode());
      }
      try (TestServer heard = TestServer.start(dir.resolve("heard"), env)) {
        assertEquals(201, heard.postResponse("sms-pulse", "stored-here", PULSE).statusCode());
        database.stop();
        for (String key : List.of("stored-here", "stored-elsewhere")) {
          HttpResponse<String> reused = heard.postResponse("sms-pulse", key, otherAnswers);
          assertEquals(409, reused.statusCode(), key + ": " + reused.body());
          assertEquals("urn:heard:problem:idempotency-key-reused", new JsonObject(reused.body()).getString("type"));
        }
        assertEquals(202, heard.postResponse("sms-pulse", "stored-here", PULSE).statusCode(),
            "the same answers again are fine (kept, and found already stored later)");
        database.restart();
        for (int i = 0; i < 200 && ready(heard).getJsonObject("spool").getInteger("backlog") > 0; i++) {
          Thread.sleep(100);
        }
        assertEquals(0, ready(heard).getJsonObject("spool").getInteger("backlog"));
        for (JsonObject stored : heard.find("responses", new JsonObject())) {
          assertEquals(3, stored.getJsonObject("answers").getInteger("feel_safe_now"), "the first answers stand");
        }
        assertEquals(2, heard.count("responses"));
        assertFalse(Files.exists(dir.resolve("heard").resolve("data").resolve("spool").resolve("rejected.log")),
            "nothing acknowledged is set aside");
      }
    }
  }

  @Test
  void theDatabaseGoesAndComesBackUnderLoadAndEveryAcknowledgedResponseIsStoredOnce(@TempDir Path dir)
      throws Exception {
    try (StoppableDatabase database = new StoppableDatabase(dir.resolve("mongo.mv.db"));
        TestServer heard = TestServer.start(dir.resolve("heard"), Map.of(Config.MONGODB_URI, database.uri()))) {
      java.util.Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
      java.util.concurrent.atomic.AtomicBoolean going = new java.util.concurrent.atomic.AtomicBoolean(true);
      java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
      List<Thread> load = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int worker = t;
        Thread thread = new Thread(() -> {
          for (int n = 0; going.get(); n++) {
            try {
              HttpResponse<String> r = heard.postResponse("sms-pulse", "load-" + worker + "-" + n, PULSE);
              if (r.statusCode() == 201 || r.statusCode() == 202) {
                acknowledged.add(new JsonObject(r.body()).getString("id"));
              } else {
                errors.incrementAndGet();
              }
            } catch (Exception e) {
              errors.incrementAndGet();
            }
          }
        });
        thread.start();
        load.add(thread);
      }
      Thread.sleep(1000);
      database.stop();
      Thread.sleep(2500);
      database.restart();
      Thread.sleep(2000);
      going.set(false);
      for (Thread thread : load) {
        thread.join(30_000);
      }
      for (int i = 0; i < 200 && ready(heard).getJsonObject("spool").getInteger("backlog") > 0; i++) {
        Thread.sleep(100);
      }
      assertEquals(0, errors.get(), "every request was acknowledged");
      assertEquals(acknowledged.size(), heard.count("responses"), "each acknowledged response stored exactly once");
      List<String> ids = new ArrayList<>(acknowledged);
      assertEquals(ids.size(), heard.find("responses", new JsonObject().put("_id", new JsonObject().put("$in",
          new io.vertx.core.json.JsonArray(new ArrayList<>(ids))))).size());
      System.out.println("database outage under load: " + ids.size() + " responses acknowledged, all stored");
    }
  }

  private static HttpResponse<String> post(HttpClient browser, TestServer heard, String path, String form)
      throws Exception {
    return browser.send(HttpRequest.newBuilder(heard.uri(path)).header("Accept", "text/html")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
