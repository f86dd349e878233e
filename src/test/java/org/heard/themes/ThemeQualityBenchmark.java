package org.heard.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.Reader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Theme quality through the real server (run with {@code mvn -B -q -Pbench test
 * -Dtest=ThemeQualityBenchmark -Dbench.themes.file=../../shared/data/themes-dev.csv}, a path from
 * the project directory; default the dev set): every comment of a labelled {@code text,label} CSV
 * is posted through the API, analysed by the worker, and the themes API is read as an analyst with
 * {@code include=members}; NMI and ARI are computed against the labels ("other" and language groups
 * count as clusters), as {@code themes-eval} does without the server.
 */
@Tag("benchmark")
class ThemeQualityBenchmark {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @TempDir
  Path dir;

  @Test
  void themesThroughTheServer() throws Exception {
    Path file = Path.of(System.getProperty("bench.themes.file", "../shared/data/themes-dev.csv"));
    List<String> texts = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
        texts.add(record.get(0));
        labels.add(record.get(1));
      }
    }
    try (TestServer heard = TestServer.start(dir, Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD))) {
      Map<String, String> labelOf = new HashMap<>();
      for (int i = 0; i < texts.size(); i++) {
        HttpResponse<String> created = heard.postResponse("community-safety", "quality-" + i, new JsonObject()
            .put("language", "en").put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 3)
                .put("feel_safe_dark", 3).put("what_would_help", texts.get(i))).encode());
        assertEquals(201, created.statusCode(), created.body());
        labelOf.put(new JsonObject(created.body()).getString("id"), labels.get(i));
      }
      heard.awaitAnalysed(texts.size());
      String token = StaffClient.token(heard, ADMIN, PASSWORD);
      String today = LocalDate.now(ZoneId.of("Europe/London")).toString();
      HttpResponse<String> response = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/themes?from="
          + today + "&to=" + today + "&include=members")).header("Authorization", "Bearer " + token).GET().build());
      assertEquals(200, response.statusCode(), response.body());
      JsonObject report = new JsonObject(response.body());
      List<String> gold = new ArrayList<>();
      List<Integer> clusters = new ArrayList<>();
      int theme = 0;
      int other = 0;
      for (Object t : report.getJsonArray("themes")) {
        JsonObject shown = (JsonObject) t;
        for (Object member : shown.getJsonArray("members")) {
          gold.add(labelOf.get((String) member));
          clusters.add(theme);
          other += "other".equals(shown.getString("kind")) ? 1 : 0;
        }
        theme++;
      }
      int[] assigned = clusters.stream().mapToInt(Integer::intValue).toArray();
      System.out.printf(Locale.ROOT, "%nTHEMES THROUGH THE SERVER (%s, %d comments; model built from %d)%n"
              + "  themes %d, other %.1f%%, NMI %.3f, ARI %.3f%n", file.getFileName(), texts.size(),
          report.getJsonObject("model").getInteger("builtFrom"), theme, 100.0 * other / gold.size(),
          Scores.nmi(assigned, gold), Scores.ari(assigned, gold));
      for (Object t : report.getJsonArray("themes")) {
        JsonObject shown = (JsonObject) t;
        System.out.printf(Locale.ROOT, "  %-40s %4d%n", shown.getString("label"), shown.getInteger("size"));
      }
    }
  }
}
