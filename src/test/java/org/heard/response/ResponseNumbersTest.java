package org.heard.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.heard.store.StoreScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-survey reads go by response numbers ({@code seq}), a thousand keys at a time by a unique
 * index, so the embedded store never scans the collection for them: numbers stay unique across
 * restarts, a database from before numbers is numbered once at start-up, and the store's scan watch
 * sees Heard's scans (in {@code /metrics}) but not a tool's.
 */
class ResponseNumbersTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @Test
  void everyResponseIsNumberedOnceAndExportedWithoutAScan(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD);
    try (TestServer heard = TestServer.start(dir, env)) {
      for (int i = 0; i < 30; i++) {
        assertEquals(201, heard.postResponse("community-safety", "before-" + i, body(i)).statusCode());
      }
      heard.restart();
      for (int i = 0; i < 30; i++) {
        assertEquals(201, heard.postResponse("community-safety", "after-" + i, body(i)).statusCode());
      }
      // A repeat is stored once and takes no second number.
      assertEquals(200, heard.postResponse("community-safety", "after-0", body(0)).statusCode());
      List<JsonObject> stored = heard.find("responses", new JsonObject());
      Set<String> numbers = new HashSet<>();
      stored.forEach(r -> numbers.add(r.getString("seq")));
      assertEquals(60, stored.size());
      assertEquals(60, numbers.size(), "no number is given twice, across a restart too: " + numbers);
      assertTrue(numbers.stream().allMatch(n -> n.matches("community-safety#\\d+")), numbers.toString());
      assertTrue(numbers.stream().anyMatch(n -> Long.parseLong(n.substring(n.indexOf('#') + 1)) >= 1000),
          "a restart takes a new block of numbers: " + numbers);

      String analyst = analystToken(heard);
      assertEquals(61, exportLines(heard, analyst, ""), "header and every response");
      assertEquals(1, exportLines(heard, analyst, "&from=2001-01-01&to=2001-01-02"), "a range that holds none");
      List<String> responseScans = heard.server().storeScans().stream().map(StoreScan::shape)
          .filter(shape -> shape.collection().equals("responses")).map(Object::toString).toList();
      assertEquals(List.of(), responseScans.stream().filter(s -> !s.contains("seq: {$exists")).toList(),
          "the export read by numbers, not by scanning");

      // A tool's own client (this test's) is not counted as Heard's.
      heard.find("responses", new JsonObject().put("answers.ward", "E05000001"));
      assertFalse(heard.server().storeScans().stream().anyMatch(s -> s.shape().filter().contains("answers.ward")));
      // Heard's own scans are: staff reading the audit log reads the whole log, and /metrics says so.
      StaffClient admin = new StaffClient(heard);
      assertEquals(303, admin.login(ADMIN, PASSWORD));
      assertEquals(200, admin.get("/staff/audit").statusCode());
      String metrics = heard.get("/metrics").body();
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("heard_store_scans_total{") && l.contains("collection=\"audit_log\"")),
          metrics.lines().filter(l -> l.contains("store_scans")).toList().toString());
    }
  }

  @Test
  void aDatabaseFromBeforeNumbersIsNumberedOnceAtStartUp(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD);
    try (TestServer heard = TestServer.start(dir, env)) {
      for (int i = 0; i < 5; i++) {
        assertEquals(201, heard.postResponse("community-safety", "new-" + i, body(i)).statusCode());
      }
      // As an older Heard stored them: no number, and no record that the database was numbered.
      JsonObject template = heard.find("responses", new JsonObject()).get(0);
      template.remove("seq");
      heard.mongo().removeDocuments("response_sequences", new JsonObject().put("_id", "#all-numbered")).await();
      for (int i = 0; i < 1500; i++) {
        heard.mongo().insert("responses", template.copy().put("_id", "old-" + i)).await();
      }
      heard.restart();
      List<JsonObject> stored = heard.find("responses", new JsonObject());
      Set<String> numbers = new HashSet<>();
      stored.forEach(r -> numbers.add(r.getString("seq")));
      assertEquals(1505, stored.size());
      assertFalse(numbers.contains(null), "every response has a number after start-up");
      assertEquals(1505, numbers.size());
      assertEquals(1506, exportLines(heard, analystToken(heard), ""), "the export holds the old responses too");
      long scansBefore = numberingScans(heard);
      heard.restart();
      assertEquals(0, numberingScans(heard), "numbered once: the next start does not look again (" + scansBefore + " before)");
    }
  }

  @Test
  void aDatabaseNumberedBeforeNumbersWereListedIsListedOnce(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD);
    try (TestServer heard = TestServer.start(dir, env)) {
      for (int i = 0; i < 40; i++) {
        assertEquals(201, heard.postResponse("community-safety", "listed-" + i, body(i)).statusCode());
      }
      assertEquals(40, heard.count("response_numbers"), "each stored response's number is listed by id");
      String analyst = analystToken(heard);
      // As the Heard before lists stored them: numbered, but no list and no record of one.
      heard.mongo().removeDocuments("response_numbers", new JsonObject()).await();
      heard.mongo().removeDocuments("response_sequences", new JsonObject().put("_id", "#all-listed")).await();
      assertEquals(1, exportLines(heard, analyst, ""), "unlisted numbers are not read");
      heard.restart();
      assertEquals(40, heard.count("response_numbers"));
      assertEquals(41, exportLines(heard, analystToken(heard), ""), "listed at start-up, exported again");
      // A number listed twice for one response (a repeat that lost its race) is read once.
      JsonObject first = heard.find("responses", new JsonObject().put("_id", heard.find("responses", new JsonObject())
          .get(0).getString("_id"))).get(0);
      heard.mongo().save("response_numbers", new JsonObject().put("_id", "community-safety#999")
          .put("response", first.getString("_id"))).await();
      assertEquals(41, exportLines(heard, analystToken(heard), ""), "a stray number does not read a response twice");
    }
  }

  private static long numberingScans(TestServer heard) {
    return heard.server().storeScans().stream().filter(s -> s.shape().filter().contains("seq: {$exists"))
        .mapToLong(StoreScan::count).sum();
  }

  private static String analystToken(TestServer heard) throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    admin.postForm("/staff/accounts", Map.of("email", "analyst@example.org", "role", "analyst", "password", PASSWORD));
    return StaffClient.token(heard, "analyst@example.org", PASSWORD);
  }

  private static long exportLines(TestServer heard, String token, String range) throws Exception {
    HttpResponse<String> export = heard.send(HttpRequest.newBuilder(
            heard.uri("/api/v1/surveys/community-safety/export?format=csv" + range))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build());
    assertEquals(200, export.statusCode(), export.body());
    return export.body().lines().count();
  }

  private static String body(int i) {
    return new JsonObject().put("language", "en").put("answers", new JsonObject().put("ward", "E05000001")
        .put("feel_safe_day", 1 + i % 5).put("feel_safe_dark", 2)).encode();
  }
}
