package org.heard.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Themes stay fresh and never fail a reader: the model is rebuilt by itself as comments arrive
 * (without anyone reading), the API and the digest say when it was built and from how many
 * comments, and a rebuild that fails leaves both answering 200 with the last good model and a
 * note, or (with no model at all, after a restart) with no themes and a note, never 500.
 */
class ThemeFreshnessTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @Test
  void themesAreRebuiltAsCommentsArriveAndAFailedBuildNeverFailsAReader(@TempDir Path dir) throws Exception {
    try (TestServer heard = TestServer.start(dir, Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD))) {
      String token = StaffClient.token(heard, ADMIN, PASSWORD);
      ThemeClient.post(heard, "fresh", 0, 20);
      heard.awaitAnalysed(20);
      JsonObject first = ThemeClient.themes(heard, token);
      assertEquals("current", first.getJsonObject("model").getString("state"), first.encode());
      assertEquals(20, first.getJsonObject("model").getInteger("builtFrom"));
      assertTrue(first.getJsonObject("model").getString("builtAt") != null);

      // 20 more, and nobody reads: the model is rebuilt by itself, its anchors saved with the count.
      ThemeClient.post(heard, "fresh", 20, 40);
      heard.awaitAnalysed(40);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (ThemeClient.stored(heard, "comments") < 36) {
        assertTrue(System.nanoTime() < deadline, "rebuilt without a reader: built from " + ThemeClient.stored(heard, "comments"));
        Thread.sleep(100);
      }
      JsonObject fresh = ThemeClient.themes(heard, token).getJsonObject("model");
      assertTrue(fresh.getInteger("builtFrom") >= 0.8 * (fresh.getInteger("builtFrom") + fresh.getInteger("arrivedSince")),
          "never shown from under 80% of what it covers: " + fresh);

      // A damaged analysis (a vector of the wrong length) makes every rebuild fail from now on.
      JsonObject analysed = heard.find("responses", new JsonObject().put("analysis.what_would_help.analysed", true)).get(0);
      heard.mongo().updateCollection("responses", new JsonObject().put("_id", analysed.getString("_id")),
              new JsonObject().put("$set", new JsonObject().put("analysis.what_would_help.vector",
                  Base64.getEncoder().encodeToString(new byte[7]))))
          .toCompletionStage().toCompletableFuture().get();
      ThemeClient.post(heard, "fresh", 40, 60);
      heard.awaitAnalysed(60);
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      JsonObject failed;
      do {
        Thread.sleep(200);
        failed = ThemeClient.themes(heard, token);
        assertTrue(System.nanoTime() < deadline, "the failed rebuild is reported: " + failed.getJsonObject("model"));
      } while (!"failed".equals(failed.getJsonObject("model").getString("state")));
      assertFalse(failed.getJsonArray("themes").isEmpty(), "the last good model is still shown");
      assertTrue(failed.getString("note").startsWith("Themes are being refreshed"), failed.getString("note"));
      assertEquals(200, digest(heard, token).statusCode());

      // After a restart nothing is in memory and the build still fails: the first reader is told
      // themes are on their way, and the last good model is taken from the database.
      heard.restart();
      String again = StaffClient.token(heard, ADMIN, PASSWORD);
      JsonObject waiting = ThemeClient.themes(heard, again);
      assertTrue(waiting.getString("note").startsWith("Themes are being refreshed"), waiting.encode());
      HttpResponse<String> digest = digest(heard, again);
      assertEquals(200, digest.statusCode(), digest.body());
      assertTrue(new JsonObject(digest.body()).getString("themeNote").startsWith("Themes are being refreshed"));
      StaffClient admin = new StaffClient(heard);
      assertEquals(303, admin.login(ADMIN, PASSWORD));
      String page = admin.get("/staff/digests/community-safety?from=" + ThemeClient.today() + "&to=" + ThemeClient.today()).body();
      assertTrue(page.contains("Themes are being refreshed"), "the digest page says so");
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      JsonObject restored;
      do {
        Thread.sleep(200);
        restored = ThemeClient.themes(heard, again);
        assertTrue(System.nanoTime() < deadline, "the last good model comes back: " + restored.encode());
      } while (restored.getJsonArray("themes").isEmpty());
      assertEquals("failed", restored.getJsonObject("model").getString("state"));
      assertTrue(restored.getJsonObject("model").getString("builtAt") != null);
    }
  }

  private static HttpResponse<String> digest(TestServer heard, String token) throws Exception {
    String today = ThemeClient.today();
    return heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/digest?from=" + today
        + "&to=" + today)).header("Authorization", "Bearer " + token).GET().build());
  }
}
