package org.heard.privacy;

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
 * Two instances on one database: a response erased through either one leaves the other's
 * in-memory theme models within seconds (each instance reads the erasure signals every 2 s), not
 * at its next rebuild.
 */
class ErasureEverywhereTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final String[] WORDINGS = {
      "Cars speeding past the primary school every morning, someone will get hurt",
      "The street lights on the path are broken and it is pitch dark at night",
      "People dumping rubbish and old mattresses behind the shops again"};

  @Test
  void anErasureThroughOneInstanceLeavesTheOthersThemesWithinSeconds(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD,
        Config.SECRET, "shared-secret-for-instances-0123456789");
    try (TestServer first = TestServer.start(dir.resolve("a"), env)) {
      Map<String, String> shared = new HashMap<>(env);
      shared.put(Config.MONGODB_URI, first.server().databaseConnectionString());
      try (TestServer second = TestServer.start(dir.resolve("b"), shared)) {
        StaffClient admin = new StaffClient(first);
        assertEquals(303, admin.login(ADMIN, PASSWORD));
        assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", "analyst@example.org", "role", "analyst",
            "password", PASSWORD)).statusCode());
        String[] ids = new String[30];
        for (int i = 0; i < ids.length; i++) {
          HttpResponse<String> created = first.postResponse("community-safety", "everywhere-" + i, new JsonObject()
              .put("language", "en").put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 4)
                  .put("feel_safe_dark", 2).put("what_would_help", WORDINGS[i % 3] + " (" + i + ")")).encode());
          assertEquals(201, created.statusCode(), created.body());
          ids[i] = new JsonObject(created.body()).getString("id");
        }
        first.awaitAnalysed(ids.length);
        assertTrue(themeMembersOn(first).contains(ids[0]) && themeMembersOn(second).contains(ids[0]),
            "both instances hold the comment in their theme models");
        assertTrue(themeMembersOn(second).contains(ids[1]));

        long erasedAt = System.nanoTime();
        erase(first, ids[0]);
        long gone = awaitGone(second, ids[0]);
        System.out.printf("erased through the first instance, gone from the second's themes after %d ms%n",
            TimeUnit.NANOSECONDS.toMillis(gone - erasedAt));

        erasedAt = System.nanoTime();
        erase(second, ids[1]);
        gone = awaitGone(first, ids[1]);
        System.out.printf("erased through the second instance, gone from the first's themes after %d ms%n",
            TimeUnit.NANOSECONDS.toMillis(gone - erasedAt));
        assertTrue(themeMembersOn(second).contains(ids[2]), "the others stay");
      }
    }
  }

  private static void erase(TestServer server, String responseId) throws Exception {
    String token = StaffClient.token(server, ADMIN, PASSWORD);
    HttpResponse<String> erased = server.send(HttpRequest.newBuilder(server.uri("/api/v1/erasures"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("responseId", responseId).encode())).build());
    assertEquals(200, erased.statusCode(), erased.body());
  }

  /** Waits (at most 10 s: the signal is read every 2 s) until no theme of {@code server} lists the response. */
  private static long awaitGone(TestServer server, String responseId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (themeMembersOn(server).contains(responseId)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the erased response is still in the other instance's themes after 10 s");
      }
      Thread.sleep(100);
    }
    return System.nanoTime();
  }

  private static String themeMembersOn(TestServer server) throws Exception {
    String token = StaffClient.token(server, "analyst@example.org", PASSWORD);
    String today = LocalDate.now(ZoneId.of("Europe/London")).toString();
    HttpResponse<String> themes = server.send(HttpRequest.newBuilder(server.uri(
            "/api/v1/surveys/community-safety/themes?from=" + today + "&to=" + today + "&include=members"))
        .header("Authorization", "Bearer " + token).GET().build());
    assertEquals(200, themes.statusCode(), themes.body());
    return themes.body();
  }
}
