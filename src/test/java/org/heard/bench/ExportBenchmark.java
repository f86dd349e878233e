package org.heard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.heard.TestServer;
import org.heard.analysis.CommentAnalysis;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export benchmark (run with {@code mvn -Pbench test -Dtest=ExportBenchmark}): streams CSV, xlsx and
 * JSON Lines of 100,000 and 1,000,000 stored responses through {@code GET /api/v1/surveys/{id}/export}
 * and reports the time and the heap Heard used while exporting (target: 1,000,000 in under 120 s
 * with under 512 MiB heap: run with {@code -Dtest.heap=512m} to cap this JVM there). The store runs
 * in a process of its own, as a real MongoDB would.
 */
@Tag("benchmark")
class ExportBenchmark {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @TempDir
  Path dir;

  @Test
  void export() throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (String size : System.getProperty("bench.export.sizes", "100000,1000000").split(",")) {
      sizes.add(Integer.parseInt(size.strip()));
    }
    // By default the store is embedded, in this JVM, as the README's start command runs it: the heap
    // measured holds Heard, the store and the reading client. With -Dbench.export.store=process it
    // runs in a process of its own (StoreProcess) and Heard reaches it as it would a MongoDB;
    // -Dbench.export.storeJvm="-XX:StartFlightRecording=filename=store.jfr" then profiles that side.
    boolean separate = "process".equals(System.getProperty("bench.export.store"));
    Process store = null;
    Map<String, String> env = new java.util.HashMap<>(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));
    if (separate) {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx" + System.getProperty("bench.export.storeHeap", "8g")));
      command.addAll(List.of(System.getProperty("bench.export.storeJvm", "").split("\\s+")).stream()
          .filter(s -> !s.isEmpty()).toList());
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), StoreProcess.class.getName(),
          dir.resolve("store").toString()));
      store = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      // The JVM may print first (a flight recording says it started); the store's own line names it.
      java.io.BufferedReader storeOut = new java.io.BufferedReader(new java.io.InputStreamReader(store.getInputStream()));
      String line = storeOut.readLine();
      while (line != null && !line.startsWith("uri ")) {
        line = storeOut.readLine();
      }
      env.put(Config.MONGODB_URI, String.valueOf(line).replace("uri ", ""));
    }
    try (TestServer heard = TestServer.start(dir, env)) {
      StaffClient admin = new StaffClient(heard);
      admin.login(ADMIN, PASSWORD);
      admin.postForm("/staff/accounts", Map.of("email", "analyst@example.org", "role", "analyst", "password", PASSWORD));
      String token = StaffClient.token(heard, "analyst@example.org", PASSWORD);
      SyntheticComments comments = new SyntheticComments(7);
      Random random = new Random(7);
      String[] areas = {"E05000001", "E05000002", "E05000003", "E05000004", "E05000005", "E05000006", "E05000007"};
      String[] channels = {"web", "web", "web", "sms", "paper", "api"};
      String[] concerns = {"asb", "drugs", "burglary", "vehicle_crime", "speeding", "hate_crime"};
      Instant now = Instant.now();
      int stored = 0;
      System.out.printf(Locale.ROOT, "%nEXPORT BENCHMARK (%d cores; Heard, %s and the reading client in one JVM capped "
          + "at %d MiB)%n", Runtime.getRuntime().availableProcessors(),
          separate ? "(the store in a process of its own)" : "the embedded store", HeapSampler.maxMiB());
      for (int size : sizes) {
        long insertStart = System.nanoTime();
        List<JsonObject> batch = new ArrayList<>();
        while (stored < size) {
          String text = comments.next()[0];
          JsonObject doc = new JsonObject().put("_id", String.format("r%031d", stored)).put("surveyId", "community-safety")
              .put("seq", StoredNumbers.seq("community-safety", stored))
              .put("surveyVersion", 1).put("channel", channels[random.nextInt(channels.length)])
              .put("receivedAt", new JsonObject().put("$date", now.minus(stored % 365, ChronoUnit.DAYS).toString()))
              .put("language", "en")
              .put("answers", new JsonObject().put("ward", areas[random.nextInt(areas.length)])
                  .put("years_in_area", random.nextInt(40)).put("feel_safe_day", 1 + random.nextInt(5))
                  .put("feel_safe_dark", 1 + random.nextInt(5))
                  .put("concerns", new JsonArray(List.of(concerns[random.nextInt(6)], concerns[random.nextInt(6)])))
                  .put("what_would_help", text).put("age_band", "25-44"))
              .put("provenance", new JsonObject()).put("complete", true)
              .put("analysis", new JsonObject().put("what_would_help", new JsonObject().put("language", "en").put("redacted", text)))
              .put("analysedAt", new JsonObject().put("$date", now.toString()))
              // Analysed by the current text analysis: the start-up sweep leaves them alone, so the
              // export is measured on its own, not beside a re-analysis of every comment.
              .put("analysisVersion", CommentAnalysis.VERSION);
          batch.add(doc);
          stored++;
          if (batch.size() == 1_000) {
            StoredNumbers.insert(heard.mongo(), batch);
            batch = new ArrayList<>();
            if (stored % 100_000 == 0) {
              System.out.printf(Locale.ROOT, "    %,d stored (%.0f s)%n", stored, (System.nanoTime() - insertStart) / 1e9);
            }
          }
        }
        if (!batch.isEmpty()) {
          StoredNumbers.insert(heard.mongo(), batch);
        }
        StoredNumbers.publish(heard.mongo(), "community-safety", stored);
        System.out.printf(Locale.ROOT, "  stored %,d responses (setup, %.0f s)%n", size, (System.nanoTime() - insertStart) / 1e9);
        for (String format : List.of("jsonl", "csv", "xlsx")) {
          try (HeapSampler heap = new HeapSampler()) {
            long start = System.nanoTime();
            long[] counted = read(heard, token, format);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (format.equals("jsonl") && counted[1] != size) {
              throw new AssertionError("the JSON Lines export held " + counted[1] + " responses of " + size);
            }
            System.out.printf(Locale.ROOT, "  %-5s %,9d responses: %6.1f s (%,.0f responses/s), %,d MiB, %,d lines; "
                    + "heap in use at most %d MiB, live after GC at most %d MiB; process resident at most %d MiB%n",
                format, size, seconds, size / seconds, counted[0] / (1024 * 1024), counted[1], heap.peakMiB(),
                heap.peakAfterGcMiB(), peakResidentMiB());
          }
        }
      }
    } finally {
      if (store != null) {
        store.destroyForcibly().waitFor();
      }
    }
  }

  /** The most this process has had resident (VmHWM), in MiB; -1 where /proc cannot say. */
  static long peakResidentMiB() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return -1;
  }

  /** Reads the export as a client would, counting bytes and lines. */
  static long[] read(TestServer heard, String token, String format) throws Exception {
    HttpResponse<InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/export?format=" + format))
            .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new AssertionError("export answered " + response.statusCode());
    }
    long bytes = 0;
    long lines = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = response.body()) {
      int read;
      while ((read = in.read(buffer)) > 0) {
        bytes += read;
        for (int i = 0; i < read; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
      }
    }
    return new long[] {bytes, lines};
  }
}
