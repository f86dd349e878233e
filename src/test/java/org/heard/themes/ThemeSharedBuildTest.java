package org.heard.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
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

  @Test
  void twoInstancesShowOneBuildOfTheThemes(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD,
        Config.SECRET, "shared-secret-for-instances-0123456789");
    try (TestServer first = TestServer.start(dir.resolve("a"), env)) {
      Map<String, String> shared = new HashMap<>(env);
      shared.put(Config.MONGODB_URI, first.server().databaseConnectionString());
      try (TestServer second = TestServer.start(dir.resolve("b"), shared)) {
        ThemeClient.post(first, "shared", 0, 30);
        first.awaitAnalysed(30);
        JsonObject built = themes(first).getJsonObject("model");
        assertEquals(1, ThemeClient.stored(first, "builds"), "the first instance built once");
        JsonObject taken = themes(second).getJsonObject("model");
        assertEquals(built.getString("builtAt"), taken.getString("builtAt"), "the second took the same model");
        assertEquals(1, ThemeClient.stored(first, "builds"), "and did not build it again");
        assertEquals(themes(first).getJsonArray("themes").stream().map(t -> ((JsonObject) t).getString("id")).toList(),
            themes(second).getJsonArray("themes").stream().map(t -> ((JsonObject) t).getString("id")).toList());

        ThemeClient.post(second, "shared", 30, 45);
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
        long builds = ThemeClient.stored(first, "builds");
        System.out.println("two instances: " + builds + " builds while 30 comments grew to 45");
        for (int i = 0; i < 12; i++) {
          Thread.sleep(500);
          assertEquals(one, themes(first).getJsonObject("model").getString("builtAt"));
          assertEquals(one, themes(second).getJsonObject("model").getString("builtAt"));
        }
        assertEquals(builds, ThemeClient.stored(first, "builds"), "no instance built the same comments again");
      }
    }
  }

  private static JsonObject themes(TestServer heard) throws Exception {
    return ThemeClient.themes(heard, StaffClient.token(heard, ADMIN, PASSWORD));
  }
}
