package org.heard.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.PaperEntryTest;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Theme builds and paper imports run as background jobs whose progress the job API and the staff
 * pages show: a theme build records the comments it read and what it made; a large CSV import is
 * answered at once with its progress page, which counts the forms stored until it is done and then
 * links to the batch; a board member may not read the pages.
 */
class BackgroundJobsTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));

  @BeforeAll
  static void accounts() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    for (String role : new String[] {"outreach", "board"}) {
      assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", role + "@example.org", "role", role,
          "password", PASSWORD)).statusCode());
    }
  }

  @Test
  void aThemeBuildIsAJobWithItsProgressAndResult() throws Exception {
    String[] wordings = {"Cars speeding past the primary school every morning",
        "The street lights on the path are broken at night", "People dumping rubbish behind the shops"};
    for (int i = 0; i < 30; i++) {
      assertEquals(201, heard.postResponse("community-safety", "job-theme-" + i, new JsonObject().put("language", "en")
          .put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 4).put("feel_safe_dark", 2)
              .put("what_would_help", wordings[i % 3] + " (" + i + ")")).encode()).statusCode());
    }
    heard.awaitAnalysed(30);
    String token = StaffClient.token(heard, ADMIN, PASSWORD);
    String today = LocalDate.now(ZoneId.of("Europe/London")).toString();
    HttpResponse<String> themes = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/themes?from="
        + today + "&to=" + today)).header("Authorization", "Bearer " + token).GET().build());
    assertEquals(200, themes.statusCode(), themes.body());
    JsonObject job = job(token, "themes-community-safety");
    assertEquals("done", job.getString("state"), job.encode());
    assertTrue(job.getLong("done") >= 30, "it read every analysed comment: " + job.encode());
    assertTrue(job.getJsonObject("result").getInteger("comments") >= 30, job.encode());
    assertTrue(job.getJsonObject("result").getInteger("themes") >= 1, job.encode());
    assertEquals("automatic", job.getString("startedBy"));
  }

  @Test
  void aLargeImportAnswersAtOnceWithItsProgressPage() throws Exception {
    StaffClient outreach = new StaffClient(heard);
    assertEquals(303, outreach.login("outreach@example.org", PASSWORD));
    StringBuilder csv = new StringBuilder("serial,ward,years_in_area,feel_safe_day,feel_safe_dark,victim_last_year\r\n");
    int rows = 600;
    for (int i = 0; i < rows; i++) {
      csv.append("J").append(i).append(",").append(1 + i % 7).append(",,").append(1 + i % 5).append(",2,2\r\n");
    }
    long started = System.nanoTime();
    HttpResponse<String> upload = PaperEntryTest.upload(heard, outreach, "community-safety", csv.toString());
    long answeredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertEquals(303, upload.statusCode(), upload.body());
    String progress = upload.headers().firstValue("Location").orElseThrow();
    assertTrue(progress.startsWith("/staff/jobs/paper-import-"), "the upload is answered with its progress: " + progress);

    String page = outreach.get(progress).body();
    assertTrue(page.contains("of 600"), page);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (page.contains("<dd class=\"summary-value\">running</dd>")) {
      assertTrue(page.contains("Check progress again"), page);
      assertTrue(System.nanoTime() < deadline, "the import finished in time");
      Thread.sleep(250);
      page = outreach.get(progress).body();
    }
    long storedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertTrue(page.contains("<dd class=\"summary-value\">done</dd>"), page);
    assertTrue(page.contains("600 of 600"), page);
    assertTrue(page.contains("stored: 600"), page);
    assertTrue(page.contains("href=\"/staff/entry/community-safety/batches/"), "it links to the batch: " + page);
    assertEquals(rows, heard.find("responses", new JsonObject().put("channel", "paper")
        .put("provenance.venue", "Library")).size());
    System.out.printf("a CSV import of %d forms: answered in %d ms with its progress page, stored in %d ms%n", rows,
        answeredMs, storedMs);

    String list = outreach.get("/staff/jobs").body();
    assertTrue(list.contains(progress.substring("/staff/jobs/".length())), list);
    StaffClient board = new StaffClient(heard);
    assertEquals(303, board.login("board@example.org", PASSWORD));
    assertEquals(403, board.get("/staff/jobs").statusCode());
    assertEquals(404, outreach.get("/staff/jobs/no-such-job").statusCode());
  }

  private static JsonObject job(String token, String name) throws Exception {
    HttpResponse<String> response = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/jobs/" + name))
        .header("Authorization", "Bearer " + token).GET().build());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
