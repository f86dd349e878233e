package org.heard.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The recount runs as a background job: answered at once (202) with where to follow it, its progress
 * readable from the job API, its result kept; while a recount runs (here, one written as another
 * instance would be running it) the digest is refused with how far it got, on the API and the page,
 * and a second recount is refused; a run whose instance went away reads as stopped and may be
 * started again.
 */
class RecountJobTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));

  @Test
  void aRecountRunsInTheBackgroundAndTheDigestWaitsForIt() throws Exception {
    for (int i = 0; i < 12; i++) {
      assertEquals(201, heard.postResponse("community-safety", "recount-" + i, new JsonObject().put("language", "en")
          .put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 4).put("feel_safe_dark", 2))
          .encode()).statusCode());
    }
    String token = StaffClient.token(heard, ADMIN, PASSWORD);
    JsonObject done = heard.recount(token);
    assertEquals(12, done.getJsonObject("result").getLong("responses"), done.encode());
    assertEquals(12L, done.getLong("done"));
    assertEquals(12L, done.getLong("total"), "once done, the total is what was counted");
    assertNotNull(done.getString("finishedAt"));
    assertEquals(ADMIN, done.getString("startedBy"));
    assertEquals(200, digest(token).statusCode());

    // Another instance is recounting: 500 of about 2,000 so far, alive a moment ago.
    Instant now = Instant.now();
    heard.mongo().save("background_jobs", new JsonObject().put("_id", "digest-recount").put("run", "elsewhere")
        .put("state", "running").put("done", 500L).put("total", 2000L).put("startedBy", ADMIN)
        .put("startedAt", new JsonObject().put("$date", now.minusSeconds(10).toString()))
        .put("heartbeatAt", new JsonObject().put("$date", now.toString())).putNull("finishedAt")).await();
    HttpResponse<String> refused = digest(token);
    assertEquals(503, refused.statusCode(), refused.body());
    JsonObject problem = new JsonObject(refused.body());
    assertEquals("urn:heard:problem:recount-in-progress", problem.getString("type"));
    assertTrue(problem.getString("detail").contains("500 of about 2,000 responses counted"), problem.getString("detail"));
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    HttpResponse<String> page = admin.get("/staff/digests/community-safety");
    assertEquals(503, page.statusCode());
    assertTrue(page.body().contains("being rebuilt"), "the page says why, instead of partial totals");
    HttpResponse<String> second = startRecount(token);
    assertEquals(409, second.statusCode(), second.body());
    assertEquals("urn:heard:problem:job-running", new JsonObject(second.body()).getString("type"));
    JsonObject running = job(token);
    assertEquals("running", running.getString("state"));
    assertEquals(500L, running.getLong("done"));
    assertNotNull(running.getLong("secondsLeft"), "a rate and the time left: " + running.encode());
    assertTrue(running.getDouble("ratePerSecond") > 0);

    // Its instance went away: the run reads as stopped, the digest shows, and a recount may start again.
    heard.mongo().updateCollection("background_jobs", new JsonObject().put("_id", "digest-recount"),
        new JsonObject().put("$set", new JsonObject().put("heartbeatAt",
            new JsonObject().put("$date", now.minusSeconds(60).toString())))).await();
    assertEquals("stopped", job(token).getString("state"));
    assertEquals(200, digest(token).statusCode());
    assertEquals(12, heard.recount(token).getJsonObject("result").getLong("responses"));
  }

  private static HttpResponse<String> digest(String token) throws Exception {
    return heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/digest"))
        .header("Authorization", "Bearer " + token).GET().build());
  }

  private static HttpResponse<String> startRecount(String token) throws Exception {
    return heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/digest-counts/recount"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
  }

  private static JsonObject job(String token) throws Exception {
    return new JsonObject(heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/jobs/digest-recount"))
        .header("Authorization", "Bearer " + token).GET().build()).body());
  }
}
