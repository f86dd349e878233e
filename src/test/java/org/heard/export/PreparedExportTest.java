package org.heard.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.heard.bench.StoredNumbers;
import org.heard.config.Config;
import org.heard.staff.StaffAccessTestSupport;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An export prepared in the background: asked for (202, audited), followed by its job, stored in the
 * database in parts of 256 KB, and downloaded byte for byte the same as the export streamed at once;
 * only by the member of staff who asked (or an administrator); from the digest page too, through its
 * progress page.
 */
class PreparedExportTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final int RESPONSES = 6000;

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));

  static String analyst;
  static String other;

  @BeforeAll
  static void responsesAndAccounts() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    for (String name : new String[] {"analyst", "other"}) {
      assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", name + "@example.org", "role", "analyst",
          "password", PASSWORD)).statusCode());
    }
    analyst = StaffClient.token(heard, "analyst@example.org", PASSWORD);
    other = StaffClient.token(heard, "other@example.org", PASSWORD);
    // Enough comment text for an export of several parts.
    List<JsonObject> responses = new ArrayList<>();
    Instant now = Instant.now();
    String words = "The street lights on the path by the river are broken and it is pitch dark at night. ".repeat(8);
    for (int i = 0; i < RESPONSES; i++) {
      responses.add(new JsonObject().put("_id", String.format("e%031d", i)).put("surveyId", "community-safety")
          .put("surveyVersion", 1).put("channel", "web").put("language", "en")
          .put("receivedAt", new JsonObject().put("$date", now.minusSeconds(60L * i).toString()))
          .put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 1 + i % 5)
              .put("feel_safe_dark", 2).put("what_would_help", words + i))
          .put("provenance", new JsonObject()).put("complete", true).put("analysisVersion", 3)
          .put("analysedAt", new JsonObject().put("$date", now.toString()))
          .put("seq", StoredNumbers.seq("community-safety", i)));
    }
    StoredNumbers.insert(heard.mongo(), responses);
    StoredNumbers.publish(heard.mongo(), "community-safety", RESPONSES);
  }

  @Test
  void aPreparedExportIsTheSameAsTheStreamedOneAndOnlyForItsOwner() throws Exception {
    for (String format : new String[] {"csv", "jsonl"}) {
      HttpResponse<String> asked = send(analyst, "POST", "/api/v1/surveys/community-safety/exports?format=" + format);
      assertEquals(202, asked.statusCode(), asked.body());
      JsonObject started = new JsonObject(asked.body());
      assertTrue(started.getString("job").startsWith("export-"), started.encode());
      JsonObject job = awaitJob(started.getString("progress"));
      assertEquals(RESPONSES, job.getJsonObject("result").getLong("responses"), job.encode());
      assertEquals(RESPONSES, job.getLong("done"));

      HttpResponse<byte[]> prepared = bytes(analyst, started.getString("download"));
      assertEquals(200, prepared.statusCode());
      assertTrue(prepared.headers().firstValue("Content-Disposition").orElse("").contains("." + format + "\""));
      HttpResponse<byte[]> streamed = bytes(analyst, "/api/v1/surveys/community-safety/export?format=" + format);
      assertArrayEquals(streamed.body(), prepared.body(), "byte for byte the export streamed at once");
      String id = started.getString("export");
      long parts = heard.find("exports", new JsonObject().put("_id", id)).get(0).getInteger("parts");
      assertTrue(parts >= 3, "stored in parts of at most 256 KB: " + parts + " for " + prepared.body().length + " bytes");
      JsonArray partIds = new JsonArray();
      for (int n = 0; n < parts; n++) {
        partIds.add(id + "#" + n);
      }
      assertEquals(parts, heard.find("export_parts", new JsonObject().put("_id", new JsonObject().put("$in", partIds)))
          .size());

      HttpResponse<String> someoneElse = send(other, "GET", started.getString("download"));
      assertEquals(403, someoneElse.statusCode());
      assertTrue(someoneElse.body().contains("not-your-export"), someoneElse.body());
      String admin = StaffClient.token(heard, ADMIN, PASSWORD);
      assertEquals(200, bytes(admin, started.getString("download")).statusCode(), "an administrator may");
    }
    assertEquals(404, send(analyst, "GET", "/api/v1/exports/no-such-export").statusCode());
    HttpResponse<String> codebook = send(analyst, "POST", "/api/v1/surveys/community-safety/exports?format=codebook");
    assertEquals(400, codebook.statusCode(), codebook.body());
    assertTrue(StaffAccessTestSupport.audit(heard, ADMIN, PASSWORD, "export").stream()
        .anyMatch(event -> event.toString().contains("\"download\"")), "every download is audited");
  }

  @Test
  void theDigestPagePreparesTheWorkbookAndItsProgressPageLinksToIt() throws Exception {
    StaffClient browser = new StaffClient(heard);
    assertEquals(303, browser.login("analyst@example.org", PASSWORD));
    String digest = browser.get("/staff/digests/community-safety").body();
    assertTrue(digest.contains("Prepare the workbook in the background"), digest);
    HttpResponse<String> asked = browser.postForm("/staff/digests/community-safety/exports/xlsx", Map.of());
    assertEquals(303, asked.statusCode(), asked.body());
    String progress = asked.headers().firstValue("Location").orElseThrow();
    assertTrue(progress.startsWith("/staff/jobs/export-"), progress);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String page = browser.get(progress).body();
    while (!page.contains("See what it made")) {
      assertTrue(System.nanoTime() < deadline, "the workbook was prepared in time: " + page);
      Thread.sleep(200);
      page = browser.get(progress).body();
    }
    int at = page.indexOf("/staff/exports/");
    String link = page.substring(at, page.indexOf('"', at));
    HttpResponse<byte[]> workbook = browser.send(HttpRequest.newBuilder(heard.uri(link)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, workbook.statusCode());
    assertEquals("PK", new String(workbook.body(), 0, 2), "a zip: the xlsx workbook");
  }

  private static JsonObject awaitJob(String progress) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      JsonObject job = new JsonObject(send(analyst, "GET", progress).body());
      if (!"running".equals(job.getString("state"))) {
        assertEquals("done", job.getString("state"), job.encode());
        return job;
      }
      assertTrue(System.nanoTime() < deadline, "the export was prepared in time");
      Thread.sleep(100);
    }
  }

  private static HttpResponse<String> send(String token, String method, String path) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(heard.uri(path)).header("Authorization", "Bearer " + token);
    return heard.send(method.equals("POST")
        ? request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build()
        : request.GET().build());
  }

  private static HttpResponse<byte[]> bytes(String token, String path) throws Exception {
    return heard.send(HttpRequest.newBuilder(heard.uri(path)).header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
