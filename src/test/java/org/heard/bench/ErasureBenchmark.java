package org.heard.bench;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure on the embedded store (run with {@code mvn -B -q -Pbench test -Dtest=ErasureBenchmark}):
 * with 10,000 and 100,000 stored responses, how long one erasure takes now that it rewrites the
 * store file without its dead pages, and how long residents' submissions made meanwhile wait
 * (every store operation waits while the file is rewritten).
 */
@Tag("benchmark")
class ErasureBenchmark {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @TempDir
  Path dir;

  @Test
  void erasure() throws Exception {
    try (TestServer heard = TestServer.start(dir, Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD))) {
      String token = StaffClient.token(heard, ADMIN, PASSWORD);
      SyntheticComments comments = new SyntheticComments(11);
      System.out.printf(Locale.ROOT, "%nERASURE BENCHMARK (%d cores, embedded store)%n",
          Runtime.getRuntime().availableProcessors());
      int stored = 0;
      for (int size : new int[] {10_000, 100_000}) {
        List<BulkOperation> batch = new ArrayList<>();
        while (stored < size) {
          batch.add(BulkOperation.createInsert(new JsonObject().put("_id", String.format("e%031d", stored))
              .put("surveyId", "community-safety").put("surveyVersion", 1).put("channel", "web")
              .put("receivedAt", new JsonObject().put("$date", Instant.now().toString())).put("language", "en")
              .put("analysedAt", new JsonObject().put("$date", Instant.now().toString()))
              .put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 3)
                  .put("what_would_help", comments.next()[0]))));
          stored++;
          if (batch.size() == 1_000) {
            heard.mongo().bulkWrite("responses", batch).toCompletionStage().toCompletableFuture().get();
            batch.clear();
          }
        }
        Thread.sleep(1_000);
        long fileBytes = Files.size(dir.resolve("data").resolve("heard-store.mv.db"));
        String victim = String.format("e%031d", size / 2);
        long start = System.nanoTime();
        AtomicBoolean erasing = new AtomicBoolean(true);
        CompletableFuture<long[]> submissions = CompletableFuture.supplyAsync(() -> {
          long worst = 0;
          long count = 0;
          try {
            while (erasing.get()) {
              long sent = System.nanoTime();
              heard.postResponse("community-safety", "during-" + size + "-" + count++, new JsonObject()
                  .put("answers", new JsonObject().put("ward", "E05000002").put("feel_safe_day", 4)).encode());
              worst = Math.max(worst, System.nanoTime() - sent);
              Thread.sleep(20);
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return new long[] {count, worst};
        });
        HttpResponse<String> erased = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/erasures"))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("responseId", victim).encode())).build());
        long erasureMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        erasing.set(false);
        long[] during = submissions.get();
        long after = Files.size(dir.resolve("data").resolve("heard-store.mv.db"));
        System.out.printf(Locale.ROOT, "  %,d responses: store file %,d MB before, %,d MB after; erasure answered %d"
            + " in %,d ms; %d submissions made meanwhile, the slowest %,d ms%n", size, fileBytes >> 20, after >> 20,
            erased.statusCode(), erasureMs, during[0], TimeUnit.NANOSECONDS.toMillis(during[1]));
      }
    }
  }
}
