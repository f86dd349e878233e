package org.heard.bench;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.heard.TestServer;
import org.heard.analysis.Analysers;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digest benchmark (run with {@code mvn -Pbench test -Dtest=DigestBenchmark}): a survey with
 * 100,000 analysed responses over a year in the embedded store; after the themes are computed,
 * the time to render the digest page (90 days and a whole year, all areas and one area) and the
 * JSON digest. Target: the page in under 2 s.
 */
@Tag("benchmark")
class DigestBenchmark {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  private static final int RESPONSES = Integer.getInteger("bench.digest.responses", 100_000);

  @TempDir
  Path dir;

  @Test
  void digest() throws Exception {
    Analysers analysers = new Analysers(Set.of("en"));
    SyntheticComments comments = new SyntheticComments(11);
    List<String> texts = new ArrayList<>();
    List<JsonObject> analyses = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      String text = comments.next()[0];
      texts.add(text);
      analyses.add(analysers.analyse(text, "en").toDocument());
    }
    analysers.close();
    try (TestServer heard = TestServer.start(dir, Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD))) {
      Random random = new Random(11);
      String[] areas = {"E05000001", "E05000002", "E05000003", "E05000004", "E05000005", "E05000006", "E05000007"};
      String[] channels = {"web", "web", "web", "sms", "paper", "api"};
      String[] ages = {"16-24", "25-44", "25-44", "45-64", "65+"};
      Instant now = Instant.now();
      List<BulkOperation> batch = new ArrayList<>();
      long insertStart = System.nanoTime();
      for (int i = 0; i < RESPONSES; i++) {
        int c = random.nextInt(texts.size());
        Instant at = now.minus(random.nextInt(365), ChronoUnit.DAYS).minusSeconds(random.nextInt(80_000));
        batch.add(BulkOperation.createInsert(new JsonObject().put("_id", String.format("d%031d", i))
            .put("surveyId", "community-safety").put("surveyVersion", 1).put("channel", channels[random.nextInt(channels.length)])
            .put("receivedAt", new JsonObject().put("$date", at.toString())).put("language", "en")
            .put("answers", new JsonObject().put("ward", areas[random.nextInt(areas.length)])
                .put("feel_safe_day", 1 + random.nextInt(5)).put("feel_safe_dark", 1 + random.nextInt(5))
                .put("what_would_help", texts.get(c)).put("age_band", ages[random.nextInt(ages.length)]))
            .put("provenance", new JsonObject()).put("complete", true)
            .put("analysis", new JsonObject().put("what_would_help", analyses.get(c)))
            .put("analysedAt", new JsonObject().put("$date", at.toString()))));
        if (batch.size() == 5_000) {
          heard.mongo().bulkWrite("responses", batch).toCompletionStage().toCompletableFuture().get();
          batch = new ArrayList<>();
        }
      }
      if (!batch.isEmpty()) {
        heard.mongo().bulkWrite("responses", batch).toCompletionStage().toCompletableFuture().get();
      }
      double insertSeconds = (System.nanoTime() - insertStart) / 1e9;
      StaffClient admin = new StaffClient(heard);
      admin.login(ADMIN, PASSWORD);
      String token = StaffClient.token(heard, ADMIN, PASSWORD);
      long recountStart = System.nanoTime();
      JsonObject recount = heard.recount(token);
      double recountSeconds = (System.nanoTime() - recountStart) / 1e9;
      long themesStart = System.nanoTime();
      heard.server().themes().rebuild("community-safety").toCompletionStage().toCompletableFuture().get();
      double themesSeconds = (System.nanoTime() - themesStart) / 1e9;

      LocalDate today = LocalDate.now(ZoneId.of("Europe/London"));
      System.out.printf(Locale.ROOT, "%nDIGEST BENCHMARK (%d cores, embedded store, %,d analysed responses over a year)%n",
          Runtime.getRuntime().availableProcessors(), RESPONSES);
      System.out.printf(Locale.ROOT, "  setup: stored in %.0f s; counts rebuilt from scratch in %.1f s (%s); themes built in %.1f s%n",
          insertSeconds, recountSeconds, recount.encode(), themesSeconds);
      Map<String, String> pages = new java.util.LinkedHashMap<>();
      pages.put("page, last 90 days, all areas", "/staff/digests/community-safety");
      pages.put("page, last 365 days, all areas", "/staff/digests/community-safety?from=" + today.minusDays(364) + "&to=" + today);
      pages.put("page, last 90 days, one area", "/staff/digests/community-safety?area=E05000006");
      for (Map.Entry<String, String> page : pages.entrySet()) {
        double[] times = new double[5];
        for (int i = 0; i < times.length; i++) {
          long start = System.nanoTime();
          HttpResponse<String> response = admin.get(page.getValue());
          times[i] = (System.nanoTime() - start) / 1e9;
          if (response.statusCode() != 200) {
            throw new AssertionError(page.getKey() + " answered " + response.statusCode());
          }
        }
        report(page.getKey(), times);
      }
      double[] times = new double[5];
      for (int i = 0; i < times.length; i++) {
        long start = System.nanoTime();
        heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/digest"))
            .header("Authorization", "Bearer " + token).GET().build());
        times[i] = (System.nanoTime() - start) / 1e9;
      }
      report("JSON digest, last 90 days", times);

      // After a restart: nothing in memory, the theme model read back while the page is asked for.
      long restartStart = System.nanoTime();
      heard.restart();
      double restartSeconds = (System.nanoTime() - restartStart) / 1e9;
      StaffClient again = new StaffClient(heard);
      again.login(ADMIN, PASSWORD);
      double[] afterRestart = new double[5];
      String firstBody = null;
      for (int i = 0; i < afterRestart.length; i++) {
        long start = System.nanoTime();
        HttpResponse<String> response = again.get("/staff/digests/community-safety");
        afterRestart[i] = (System.nanoTime() - start) / 1e9;
        if (response.statusCode() != 200) {
          throw new AssertionError("the digest after a restart answered " + response.statusCode());
        }
        firstBody = firstBody == null ? response.body() : firstBody;
      }
      System.out.printf(Locale.ROOT, "  restart: %.1f s; the first page %s themes%n", restartSeconds,
          firstBody.contains("Themes are being refreshed") ? "said it was still preparing its" : "showed its");
      report("page after a restart, 90 days", afterRestart);
    }
  }

  private static void report(String what, double[] times) {
    double first = times[0];
    double[] sorted = times.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "  %-34s first %.3f s, median %.3f s, slowest %.3f s (target < 2 s)%n",
        what, first, sorted[sorted.length / 2], sorted[sorted.length - 1]);
  }
}
