package org.heard.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heard.MainRunner;
import org.heard.StoppableDatabase;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.heard.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heard.jar migrate --to}: an embedded store copied into another database server (a separate
 * wire-protocol server stands in for MongoDB), interrupted and carried on, run again to no effect,
 * every response copied exactly with the store's unique indexes, and Heard then serving from the
 * target with the same data directory (its secret key) and exporting every response.
 */
class MigrateTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @Test
  void anEmbeddedStoreMovesToAMongoDbAndHeardServesFromIt(@TempDir Path dir) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));
    try (StoppableDatabase target = new StoppableDatabase(dir.resolve("target.mv.db"))) {
      List<JsonObject> original;
      Map<String, String> heardEnv;
      try (TestServer heard = TestServer.start(dir, env)) {
        for (int i = 0; i < 45; i++) {
          assertEquals(201, heard.postResponse("community-safety", "moved-" + i, body(i)).statusCode());
        }
        StaffClient admin = new StaffClient(heard);
        assertEquals(303, admin.login(ADMIN, PASSWORD));
        heardEnv = heard.env();
        MainRunner.Result running = MainRunner.run(heardEnv, "migrate", "--to", target.uri());
        assertEquals(1, running.status());
        assertTrue(running.err().contains("in use by a running Heard"), running.err());
        original = sorted(heard.find("responses", new JsonObject()));
      }
      assertEquals(64, MainRunner.run(heardEnv, "migrate").status());
      assertEquals(64, MainRunner.run(heardEnv, "migrate", "--to", "http://example.org").status());

      // Interrupted every 40 documents (as a copy cut short would be), then carried on until done.
      int runs = 0;
      MainRunner.Result step;
      do {
        step = MainRunner.run(heardEnv, "migrate", "--to", target.uri(), "--limit", "40");
        runs++;
        assertTrue(step.status() == 0 || step.status() == 3, step.out() + step.err());
      } while (step.status() == 3 && runs < 50);
      assertEquals(0, step.status(), step.out() + step.err());
      assertTrue(runs >= 3, "the copy was carried on across " + runs + " runs");
      assertTrue(step.out().contains("done: every collection copied and counted"), step.out());
      assertTrue(step.out().lines().anyMatch(l -> l.matches("responses\\s+45\\s+45")), step.out());

      MainRunner.Result again = MainRunner.run(heardEnv, "migrate", "--to", target.uri());
      assertEquals(0, again.status(), again.err());
      assertTrue(again.out().contains("(0 documents this run)"), again.out());
      System.out.printf("migrate: copied in %d runs of --limit 40; counts per collection:%n%s%nrun again: %s%n", runs,
          step.out().lines().filter(l -> l.matches("\\S+\\s+\\d+\\s+\\d+.*")).reduce((a, b) -> a + "\n" + b).orElse(""),
          again.out().lines().filter(l -> l.contains("documents this run")).findFirst().orElse(""));

      Vertx vertx = Vertx.vertx();
      try {
        MongoClient copy = Database.connect(vertx, target.uri(), "heard");
        assertEquals(original, sorted(copy.find("responses", new JsonObject()).await()), "every response exactly");
        List<String> indexes = copy.listIndexes("responses").await().stream()
            .map(index -> ((JsonObject) index).getString("name")).toList();
        assertTrue(indexes.containsAll(List.of("seq", "id_analysed", "id_revision")), indexes.toString());
        copy.close().await();
      } finally {
        vertx.close().await();
      }

      env.put(Config.MONGODB_URI, target.uri());
      try (TestServer moved = TestServer.start(dir, env)) {
        StaffClient admin = new StaffClient(moved);
        assertEquals(303, admin.login(ADMIN, PASSWORD), "the staff accounts came too");
        admin.postForm("/staff/accounts", Map.of("email", "analyst@example.org", "role", "analyst", "password", PASSWORD));
        String token = StaffClient.token(moved, "analyst@example.org", PASSWORD);
        HttpResponse<String> export = moved.send(HttpRequest.newBuilder(
                moved.uri("/api/v1/surveys/community-safety/export?format=csv"))
            .header("Authorization", "Bearer " + token).GET().build());
        assertEquals(200, export.statusCode(), export.body());
        assertEquals(46, export.body().lines().count(), "a header and every response, read on the target");
        assertEquals(201, moved.postResponse("community-safety", "after-move", body(1)).statusCode());
      }
    }
  }

  private static List<JsonObject> sorted(List<JsonObject> documents) {
    return documents.stream().sorted(Comparator.comparing(d -> d.getString("_id"))).toList();
  }

  private static String body(int i) {
    return new JsonObject().put("language", "en").put("answers", new JsonObject().put("ward", "E05000001")
        .put("feel_safe_day", 1 + i % 5).put("feel_safe_dark", 2)).encode();
  }
}
