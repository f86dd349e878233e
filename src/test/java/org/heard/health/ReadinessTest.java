package org.heard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.heard.Main;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ready} tells whether text analysis works. A Heard whose models cannot load (here: ONNX
 * Runtime's native library is not where it is told to look, in a process of its own so this JVM's
 * runtime stays intact) says analysis is down, and still takes residents' answers.
 */
class ReadinessTest {
  @RegisterExtension
  static final TestServer heard = TestServer.forClass();

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void readySaysAnalysisIsUpOnceItsModelsHaveLoaded() throws Exception {
    JsonObject ready = awaitAnalysisState(heard.uri("/ready"), "up");
    assertEquals("ready", ready.getString("status"));
    assertEquals("up", ready.getString("database"));
  }

  @Test
  void readySaysAnalysisIsDownWhenItsModelsFailedToLoadAndAnswersAreStillTaken() throws Exception {
    Path emptyNativeDir = Files.createDirectories(dir.resolve("no-native-libraries"));
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Donnxruntime.native.path=" + emptyNativeDir, "-cp", System.getProperty("java.class.path"),
        Main.class.getName());
    Map<String, String> env = builder.environment();
    env.put(Config.HTTP_PORT, "0");
    env.put(Config.HTTP_HOST, "127.0.0.1");
    env.put(Config.DATA_DIR, dir.resolve("data").toString());
    env.put(Config.SURVEYS_DIR, TestServer.testSurveys(dir.resolve("surveys")).toString());
    builder.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.txt").toFile()));
    Process process = builder.start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("Heard listening on "), line + " / " + stderr());
      String url = line.substring("Heard listening on ".length());

      JsonObject ready = awaitAnalysisState(URI.create(url + "/ready"), "down");
      assertEquals("ready", ready.getString("status"), "analysis being down does not make Heard unready");
      assertEquals("up", ready.getString("database"));
      String detail = ready.getJsonObject("analysis").getString("detail");
      assertTrue(detail.contains("could not be loaded"), detail);

      HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(url
              + "/api/v1/surveys/community-safety/responses"))
          .header("Content-Type", "application/json").header("Idempotency-Key", "analysis-down-1")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("answers", new JsonObject()
              .put("ward", "E05000001").put("feel_safe_day", 4).put("feel_safe_dark", 2)
              .put("what_would_help", "Cars speeding past the school every morning")).encode())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, stored.statusCode(), stored.body());
    } finally {
      process.destroy();
      process.waitFor();
    }
  }

  private JsonObject awaitAnalysisState(URI ready, String state) throws Exception {
    JsonObject last = null;
    for (int i = 0; i < 240; i++) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      last = new JsonObject(response.body());
      if (state.equals(last.getJsonObject("analysis").getString("state"))) {
        assertEquals(200, response.statusCode());
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("analysis never became " + state + ": " + last + " / " + stderr());
  }

  private String stderr() throws Exception {
    Path file = dir.resolve("stderr.txt");
    return Files.exists(file) ? Files.readString(file) : "";
  }
}
