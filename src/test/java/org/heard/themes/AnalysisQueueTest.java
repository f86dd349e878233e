package org.heard.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.heard.analysis.AnalysisQueue;
import org.heard.analysis.CommentAnalysis;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analysis queue across restarts and between two instances sharing one database. */
class AnalysisQueueTest {
  @TempDir
  Path dir;

  static void post(TestServer server, String key, String text) throws Exception {
    JsonObject answers = new JsonObject().put("ward", "E05000003").put("feel_safe_day", 4).put("feel_safe_dark", 3)
        .put("what_would_help", text);
    assertEquals(201, server.postResponse("community-safety", key, new JsonObject().put("answers", answers).encode())
        .statusCode());
  }

  static void awaitAllAnalysed(TestServer server, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      long analysed = server.find("responses", new JsonObject().put("analysedAt", new JsonObject().put("$exists", true))).size();
      if (analysed == count && server.count(AnalysisQueue.COLLECTION) == 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not every response was analysed, or the queue did not empty");
  }

  @Test
  void aRestartWithAnalysesQueuedLosesNone() throws Exception {
    int count = 60;
    try (TestServer server = TestServer.start(dir)) {
      for (int i = 0; i < count; i++) {
        post(server, "restart-" + i, "Comment number " + i + " about cars parked on the pavement by the school.");
      }
      long waiting = server.find("responses", new JsonObject().put("analysedAt", new JsonObject().put("$exists", false))).size();
      assertTrue(waiting > 0, "the restart happens with responses still waiting for analysis (" + waiting + ")");
      server.restart();
      awaitAllAnalysed(server, count);
      List<JsonObject> responses = server.find("responses", new JsonObject());
      assertEquals(count, responses.size());
      responses.forEach(r -> assertTrue(r.getJsonObject("analysis").containsKey("what_would_help")));
    }
  }

  @Test
  void responsesAnalysedByAnOlderVersionAreAnalysedAgainAtStartUp() throws Exception {
    try (TestServer server = TestServer.start(dir.resolve("old"))) {
      post(server, "old-analysis", "Mr Okonkwo keeps parking his van across the dropped kerb.");
      awaitAllAnalysed(server, 1);
      JsonObject stored = server.find("responses", new JsonObject()).get(0);
      assertEquals(CommentAnalysis.VERSION, stored.getInteger("analysisVersion"));
      // As an older Heard left it: a name among the terms, and no version.
      JsonObject old = stored.getJsonObject("analysis").copy();
      old.getJsonObject("what_would_help").put("terms", new JsonArray(List.of("okonkwo", "van")));
      server.mongo().updateCollection("responses", new JsonObject().put("_id", stored.getString("_id")),
          new JsonObject().put("$set", new JsonObject().put("analysis", old))
              .put("$unset", new JsonObject().put("analysisVersion", ""))).toCompletionStage().toCompletableFuture().get();
      server.restart();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      JsonObject again;
      do {
        Thread.sleep(200);
        again = server.find("responses", new JsonObject()).get(0);
        assertTrue(System.nanoTime() < deadline, "analysed again after the restart: " + again.encode());
      } while (again.getInteger("analysisVersion", 0) != CommentAnalysis.VERSION);
      String terms = again.getJsonObject("analysis").getJsonObject("what_would_help").getJsonArray("terms").encode();
      assertFalse(terms.contains("okonkwo"), terms);
      assertTrue(terms.contains("van"), terms);
    }
  }

  @Test
  void twoInstancesOnOneDatabaseAnalyseEachResponseOnce() throws Exception {
    int count = 80;
    try (TestServer first = TestServer.start(dir.resolve("a"), Map.of(Config.SECRET, "shared-secret-for-instances-0123456789"));
         TestServer second = TestServer.start(dir.resolve("b"),
             Map.of(Config.MONGODB_URI, first.server().databaseConnectionString(), Config.SECRET, "shared-secret-for-instances-0123456789"))) {
      for (int i = 0; i < count; i++) {
        post(i % 2 == 0 ? first : second, "pair-" + i, "Litter and broken glass on the footpath, comment " + i + ".");
      }
      awaitAllAnalysed(first, count);
      for (JsonObject response : first.find("responses", new JsonObject())) {
        assertEquals(1, response.getInteger("analysisRuns"), "analysed exactly once: " + response.getString("_id"));
      }
    }
  }
}
