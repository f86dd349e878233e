package org.heard.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one database build a survey's themes once: the instance that builds stores the
 * model, the other takes it from the database (the same ids, labels and build time) instead of
 * building again, and takes each later model the same way; once both show the same model, neither
 * builds the same comments again.
 */
class ThemeSharedBuildTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final String[] WORDINGS = {
      "Cars speeding past the primary school every morning", "The street lights on the path are broken at night",
      "People dumping rubbish and mattresses behind the shops", "Drug dealing in the car park every evening"};

  @Test
  void twoInstancesShowOneBuildOfTheThemes(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD);
    try (TestServer first = TestServer.start(dir.resolve("a"), env)) {
      Map<String, String> shared = new HashMap<>(env);
      shared.put(Config.MONGODB_URI, first.server().databaseConnectionString());
      try (TestServer second = TestServer.start(dir.resolve("b"), shared)) {
        post(first, 0, 30);
        first.awaitAnalysed(30);
        JsonObject built = themes(first).getJsonObject("model");
        assertEquals(1, builds(first), "the first instance built once");
        JsonObject taken = themes(second).getJsonObject("model");
        assertEquals(built.getString("builtAt"), taken.getString("builtAt"), "the second took the same model");
        assertEquals(1, builds(first), "and did not build it again");
        assertEquals(themes(first).getJsonArray("themes").stream().map(t -> ((JsonObject) t).getString("id")).toList(),
            themes(second).getJsonArray("themes").stream().map(t -> ((JsonObject) t).getString("id")).toList());

        post(second, 30, 45);
        first.awaitAnalysed(45);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        String one;
        String two;
        do {
          Thread.sleep(250);
          one = themes(first).getJsonObject("model").getString("builtAt");
          two = themes(second).getJsonObject("model").getString("builtAt");
          assertTrue(System.nanoTime() < deadline, "both show the newer model: " + one + " " + two);
        } while (one.equals(built.getString("builtAt")) || !one.equals(two));
        // Comments arriving one by one are built for about every 10% more; but once both show the
        // same model, neither builds that state again.
        long builds = builds(first);
        System.out.println("two instances: " + builds + " builds while 30 comments grew to 45");
        for (int i = 0; i < 12; i++) {
          Thread.sleep(500);
          assertEquals(one, themes(first).getJsonObject("model").getString("builtAt"));
          assertEquals(one, themes(second).getJsonObject("model").getString("builtAt"));
        }
        assertEquals(builds, builds(first), "no instance built the same comments again");
      }
    }
  }

  private static long builds(TestServer server) {
    var found = server.find(ThemeAnchors.COLLECTION, new JsonObject().put("_id", "community-safety"));
    return found.isEmpty() ? 0 : found.get(0).getLong("builds", 0L);
  }

  private static void post(TestServer heard, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      HttpResponse<String> created = heard.postResponse("community-safety", "shared-" + i, new JsonObject()
          .put("language", "en").put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 4)
              .put("feel_safe_dark", 2).put("what_would_help", WORDINGS[i % WORDINGS.length] + " (" + i + ")")).encode());
      assertEquals(201, created.statusCode(), created.body());
    }
  }

  private static JsonObject themes(TestServer heard) throws Exception {
    String token = StaffClient.token(heard, ADMIN, PASSWORD);
    String today = LocalDate.now(ZoneId.of("Europe/London")).toString();
    HttpResponse<String> response = heard.send(HttpRequest.newBuilder(heard.uri(
        "/api/v1/surveys/community-safety/themes?from=" + today + "&to=" + today))
        .header("Authorization", "Bearer " + token).GET().build());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
