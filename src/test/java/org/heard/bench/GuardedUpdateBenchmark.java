package org.heard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.heard.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn -B -q -Pbench test -Dtest=GuardedUpdateBenchmark}: the update that stores a comment's
 * analysis ("only if not analysed yet") on the embedded store, written as Heard writes it
 * ({@code analysedAt: null}, served by the unique {@code id_analysed} index) and as it was written
 * before ({@code analysedAt: {$exists: false}}, which the store can only serve by scanning), at 1,000,
 * 10,000 and 50,000 stored responses, in one run.
 */
@Tag("benchmark")
class GuardedUpdateBenchmark {
  private static final int UPDATES = 200;

  @TempDir
  Path dir;

  @Test
  void storingAnAnalysisDoesNotScan() throws Exception {
    try (TestServer heard = TestServer.start(dir)) {
      StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
          "%nGUARDED UPDATE (storing an analysis), %d updates per figure, embedded store%n", UPDATES));
      int stored = 0;
      for (int size : List.of(1_000, 10_000, 50_000)) {
        List<BulkOperation> inserts = new ArrayList<>();
        for (int i = stored; i < size; i++) {
          inserts.add(BulkOperation.createInsert(new JsonObject().put("_id", String.format("g%031d", i))
              .put("surveyId", "community-safety").put("answers", new JsonObject().put("what_would_help", "x".repeat(200)))));
        }
        heard.mongo().bulkWrite("responses", inserts).toCompletionStage().toCompletableFuture().get();
        double exists = perUpdate(heard, stored, new JsonObject().put("$exists", false));
        double equalsNull = perUpdate(heard, stored + UPDATES, null);
        table.append(String.format(Locale.ROOT, "  %,7d responses: analysedAt null %.2f ms, $exists false %.2f ms (ratio %.1f)%n",
            size, equalsNull, exists, exists / equalsNull));
        stored = size;
      }
      System.out.print(table);
    }
  }

  /** Mean milliseconds of one guarded update, on responses {@code from} onwards (each not analysed yet). */
  private static double perUpdate(TestServer heard, int from, Object guard) throws Exception {
    long started = System.nanoTime();
    for (int i = from; i < from + UPDATES; i++) {
      JsonObject filter = new JsonObject().put("_id", String.format("g%031d", i)).put("analysedAt", guard);
      long modified = heard.mongo().updateCollection("responses", filter,
              new JsonObject().put("$set", new JsonObject().put("analysedAt", new JsonObject().put("$date", "2026-12-01T00:00:00Z"))))
          .toCompletionStage().toCompletableFuture().get().getDocModified();
      assertEquals(1, modified, "the guard lets the first analysis through");
    }
    return (System.nanoTime() - started) / 1e6 / UPDATES;
  }
}
