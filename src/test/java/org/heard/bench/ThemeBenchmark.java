package org.heard.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.heard.analysis.Analysers;
import org.heard.config.Config;
import org.heard.themes.ThemeModel;
import org.heard.themes.ThemeQuery;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Theme analysis benchmark (run with {@code mvn -Pbench test}): analysed comments per second for
 * 10,000 synthetic comments on this machine's cores; the time to build the themes of a survey
 * with 100,000 analysed responses in the embedded store (read, cluster, label); the time to take
 * in 100 newly analysed responses and report again; and peak heap with every model loaded.
 */
@Tag("benchmark")
class ThemeBenchmark {
  private static final int ANALYSED = Integer.getInteger("bench.themes.analysed", 10_000);
  private static final int RESPONSES = Integer.getInteger("bench.themes.responses", 100_000);

  @TempDir
  Path dir;

  @Test
  void themes() throws Exception {
    HeapSampler heap = new HeapSampler();
    long loadStart = System.nanoTime();
    Analysers analysers = new Analysers(Set.of("en", "pl"));
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    SyntheticComments synthetic = new SyntheticComments(20261128L);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < ANALYSED; i++) {
      texts.add(synthetic.next()[0]);
    }
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<JsonObject> analyses = new ArrayList<>();
    long start = System.nanoTime();
    List<Future<JsonObject>> futures = new ArrayList<>();
    for (String text : texts) {
      futures.add(pool.submit(() -> analysers.analyse(text, "en").toDocument()));
    }
    for (Future<JsonObject> future : futures) {
      analyses.add(future.get());
    }
    double analyseSeconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    analysers.close();

    // With -Dbench.themes.store=process the store runs in a process of its own (see StoreProcess), so
    // the heap measured is Heard's alone; by default it is the embedded store, in this JVM.
    boolean separateStore = "process".equals(System.getProperty("bench.themes.store"));
    Process store = null;
    Map<String, String> env = new java.util.HashMap<>();
    if (separateStore) {
      store = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g",
          "-cp", System.getProperty("java.class.path"), StoreProcess.class.getName(), dir.resolve("store").toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String storeUri = new java.io.BufferedReader(new java.io.InputStreamReader(store.getInputStream())).readLine()
          .replace("uri ", "");
      env.put(org.heard.config.Config.MONGODB_URI, storeUri);
    }
    try (TestServer heard = TestServer.start(dir, env)) {
      // 100,000 analysed responses over the last 180 days, stored as the worker stores them.
      Instant now = Instant.now();
      List<JsonObject> batch = new ArrayList<>();
      String[] areas = {"E05000001", "E05000002", "E05000003", "E05000004", "E05000005", "E05000006", "E05000007"};
      long insertStart = System.nanoTime();
      for (int i = 0; i < RESPONSES; i++) {
        JsonObject doc = response("bench-" + i, now.minus(i % 180, ChronoUnit.DAYS).minusSeconds(i % 86_000),
            areas[i % areas.length], texts.get(i % texts.size()), analyses.get(i % analyses.size()));
        batch.add(doc.put("seq", StoredNumbers.seq("community-safety", i)));
        if (batch.size() == 2_000) {
          StoredNumbers.insert(heard.mongo(), batch);
          batch = new ArrayList<>();
        }
      }
      if (!batch.isEmpty()) {
        StoredNumbers.insert(heard.mongo(), batch);
      }
      StoredNumbers.publish(heard.mongo(), "community-safety", RESPONSES);
      double insertSeconds = (System.nanoTime() - insertStart) / 1e9;

      long buildStart = System.nanoTime();
      ThemeModel model = heard.server().themes().rebuild("community-safety").toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.MINUTES);
      double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
      long themes = model.themes().stream().filter(t -> t.kind() == ThemeModel.Kind.THEME).count();

      LocalDate today = LocalDate.now(ZoneId.of("Europe/London"));
      ThemeQuery quarter = new ThemeQuery(today.minusDays(89), today, null, null, null, null, null);
      long incrementalStart = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        heard.server().themes().analysed(response("new-" + i, Instant.now(), areas[i % areas.length],
            texts.get(i), analyses.get(i)).put("analysedAt", new JsonObject().put("$date", Instant.now().toString())));
      }
      JsonObject report = heard.server().themes().report("community-safety", quarter, false)
          .toCompletionStage().toCompletableFuture().get();
      double incrementalSeconds = (System.nanoTime() - incrementalStart) / 1e9;

      long reportStart = System.nanoTime();
      heard.server().themes().report("community-safety", quarter, false).toCompletionStage().toCompletableFuture().get();
      double reportSeconds = (System.nanoTime() - reportStart) / 1e9;

      System.out.printf(Locale.ROOT, "%nTHEMES BENCHMARK (%d cores, store %s)%n", threads,
          separateStore ? "in its own process" : "embedded in this JVM");
      System.out.printf(Locale.ROOT, "  models loaded (OpenNLP en+pl, language detector, MiniLM): %.1f s%n", loadSeconds);
      System.out.printf(Locale.ROOT, "  analysed %d synthetic comments in %.1f s: %.0f comments/s (%d threads)%n",
          ANALYSED, analyseSeconds, ANALYSED / analyseSeconds, threads);
      System.out.printf(Locale.ROOT, "  stored %d analysed responses in %.1f s (setup)%n", RESPONSES, insertSeconds);
      System.out.printf(Locale.ROOT, "  themes built for %d responses in %.1f s (target < 60 s): %d themes%n",
          RESPONSES, buildSeconds, themes);
      System.out.printf(Locale.ROOT, "  100 new responses taken in and a 90-day report in %.3f s (target < 2 s); %d comments in the period%n",
          incrementalSeconds, report.getInteger("comments"));
      System.out.printf(Locale.ROOT, "  a 90-day theme report over the model: %.3f s%n", reportSeconds);
      System.out.printf(Locale.ROOT, "  heap (JVM capped at %d MiB; it also holds the generated data%s): in use at most "
          + "%d MiB, live after GC at most %d MiB (target < 1024 MiB)%n", HeapSampler.maxMiB(),
          separateStore ? "" : " and the embedded store", heap.peakMiB(), heap.peakAfterGcMiB());
      heap.close();
    } finally {
      if (store != null) {
        store.destroyForcibly().waitFor();
      }
    }
  }

  static JsonObject response(String id, Instant at, String area, String text, JsonObject analysis) {
    return new JsonObject().put("_id", id).put("surveyId", "community-safety").put("surveyVersion", 1)
        .put("channel", "web").put("receivedAt", new JsonObject().put("$date", at.toString())).put("language", "en")
        .put("answers", new JsonObject().put("ward", area).put("feel_safe_day", 4).put("feel_safe_dark", 2)
            .put("what_would_help", text).put("age_band", "25-44"))
        .put("provenance", new JsonObject()).put("complete", true)
        .put("analysis", new JsonObject().put("what_would_help", analysis))
        .put("analysedAt", new JsonObject().put("$date", at.toString()));
  }

}
