package org.heard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heard.auth.StaffAccounts;
import org.heard.config.Config;
import org.heard.config.ConfigException;
import org.heard.response.ResponseStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, stopping and restarting Heard; health and readiness; configuration problems. */
class ServerLifecycleTest {
  private static final String PULSE = """
      {"answers": {"feel_safe_now": 4, "ward": "E05000003", "main_worry": "Speeding on Mill Lane"}}""";

  @TempDir
  Path tempDir;

  @Test
  void healthAndReadyAnswerJson() throws Exception {
    try (TestServer heard = TestServer.start(tempDir)) {
      HttpResponse<String> health = heard.get("/health");
      assertEquals(200, health.statusCode());
      assertEquals("up", new JsonObject(health.body()).getString("status"));
      HttpResponse<String> ready = heard.get("/ready");
      assertEquals(200, ready.statusCode());
      assertEquals("up", new JsonObject(ready.body()).getString("database"));
      assertTrue(heard.server().embeddedDatabase());
    }
  }

  @Test
  void storedResponsesSurviveARestart() throws Exception {
    try (TestServer heard = TestServer.start(tempDir)) {
      HttpResponse<String> created = heard.postResponse("sms-pulse", "restart-1", PULSE);
      assertEquals(201, created.statusCode());
      String id = new JsonObject(created.body()).getString("id");

      heard.restart();

      List<JsonObject> stored = heard.find(ResponseStore.COLLECTION, new JsonObject().put("_id", id));
      assertEquals(1, stored.size());
      assertEquals("Speeding on Mill Lane", stored.get(0).getJsonObject("answers").getString("main_worry"));
      HttpResponse<String> retry = heard.postResponse("sms-pulse", "restart-1", PULSE);
      assertEquals(200, retry.statusCode(), "the idempotency key must still be known after a restart");
      assertEquals(id, new JsonObject(retry.body()).getString("id"));
      assertEquals(1, heard.count(ResponseStore.COLLECTION));
    }
  }

  @Test
  void unwritableDataDirectoryIsAOneLineErrorNamingThePath() throws Exception {
    Path notADirectory = Files.writeString(tempDir.resolve("plain-file"), "x");
    Path dataDir = notADirectory.resolve("data");
    Map<String, String> env = Map.of(Config.DATA_DIR, dataDir.toString(), Config.HTTP_PORT, "0",
        Config.SURVEYS_DIR, "surveys");
    ConfigException e = assertThrows(ConfigException.class, () -> HeardServer.start(Config.from(env)));
    assertEquals(1, e.problems().size());
    assertTrue(e.problems().get(0).contains(dataDir.toAbsolutePath().toString()), e.problems().get(0));

    MainRunner.Result result = MainRunner.run(env);
    assertNotEquals(0, result.status());
    assertEquals(1, result.err().strip().lines().count(), result.err());
    assertTrue(result.err().contains(dataDir.toAbsolutePath().toString()));
  }

  @Test
  void configurationProblemsAreReportedTogether() {
    ConfigException e = assertThrows(ConfigException.class, () -> Config.from(Map.of(
        Config.HTTP_PORT, "eighty", Config.PUBLIC_URL, "ftp://example.org", Config.ADMIN_EMAIL, "a@b.org",
        Config.SECRET, "short", Config.MONGODB_URI, "http://db")));
    assertEquals(5, e.problems().size(), e.problems().toString());
    assertFalse(e.toString().contains("short"), "secrets never appear in messages");
  }

  @Test
  void analysisRetryOfZeroIsRefusedLikeEveryOtherBadValue() {
    ConfigException e = assertThrows(ConfigException.class, () -> Config.from(Map.of(
        Config.ANALYSIS_RETRY_SECONDS, "0", Config.HTTP_PORT, "eighty")));
    assertEquals(2, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(Config.ANALYSIS_RETRY_SECONDS + " must be between 1")),
        e.problems().toString());
  }

  @Test
  void secretKeyIsGeneratedOnceOwnerOnlyAndKept() throws Exception {
    Path keyFile = tempDir.resolve("data").resolve("secret.key");
    try (TestServer heard = TestServer.start(tempDir)) {
      assertTrue(Files.exists(keyFile));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
      String first = Files.readString(keyFile);
      assertTrue(first.strip().length() >= 32);
      heard.restart();
      assertEquals(first, Files.readString(keyFile));
    }
    Path other = tempDir.resolve("configured");
    try (TestServer heard = TestServer.start(other, Map.of(Config.SECRET, "k".repeat(40)))) {
      assertFalse(Files.exists(other.resolve("data").resolve("secret.key")),
          "a configured secret is not written to disk");
    }
  }

  @Test
  void firstAdministratorIsCreatedOnceWithAnArgon2Hash() throws Exception {
    Map<String, String> admin = Map.of(Config.ADMIN_EMAIL, "Chair@Example.org",
        Config.ADMIN_PASSWORD, "a long first password");
    try (TestServer heard = TestServer.start(tempDir, admin)) {
      List<JsonObject> staff = heard.find(StaffAccounts.COLLECTION, new JsonObject());
      assertEquals(1, staff.size());
      JsonObject account = staff.get(0);
      assertEquals("chair@example.org", account.getString("_id"));
      assertEquals("admin", account.getString("role"));
      String hash = account.getString("passwordHash");
      assertTrue(hash.startsWith("$argon2id$"), hash);
      assertFalse(account.encode().contains("a long first password"));
    }
    Map<String, String> changed = Map.of(Config.ADMIN_EMAIL, "someone@example.org",
        Config.ADMIN_PASSWORD, "another long password");
    try (TestServer heard = TestServer.start(tempDir, changed)) {
      assertEquals(1, heard.count(StaffAccounts.COLLECTION), "an administrator exists: nothing is added");
    }
  }

  @Test
  void externalMongoUriIsUsedAndADownDatabaseIsReportedNotHidden() throws Exception {
    MongoServer external = new MongoServer(H2Backend.inMemory());
    external.bind("127.0.0.1", 0);
    String uri = "mongodb://127.0.0.1:" + external.getLocalAddress().getPort();
    try (TestServer heard = TestServer.start(tempDir, Map.of(Config.MONGODB_URI, uri,
        Config.MONGODB_DATABASE, "partnership_a"))) {
      assertFalse(heard.server().embeddedDatabase());
      assertFalse(Files.exists(tempDir.resolve("data").resolve("heard-store.mv.db")));
      assertEquals(201, heard.postResponse("sms-pulse", "ext-1", PULSE).statusCode());
      assertEquals(1, heard.count(ResponseStore.COLLECTION));

      external.shutdownNow();

      // Still ready: what it takes goes to the spool, so a load balancer keeps it in.
      HttpResponse<String> ready = heard.get("/ready");
      assertEquals(200, ready.statusCode(), ready.body());
      assertEquals("down", new JsonObject(ready.body()).getString("database"));
      assertTrue(new JsonObject(ready.body()).getBoolean("accepting"));
      assertEquals(0, new JsonObject(ready.body()).getJsonObject("spool").getInteger("backlog"), "nothing waits yet");
      HttpResponse<String> queued = heard.postResponse("sms-pulse", "ext-2", PULSE);
      assertEquals(202, queued.statusCode(), queued.body());
      assertEquals("queued", new JsonObject(queued.body()).getString("stored"));
      assertEquals(1, new JsonObject(heard.get("/ready").body()).getJsonObject("spool").getInteger("backlog"),
          "the spool holds it until the database is back (SpoolTest checks the rest)");
      assertEquals(200, heard.get("/health").statusCode(), "the process itself is still up");
    } finally {
      external.shutdownNow();
    }
  }

  @Test
  void sigtermStopsTheProcessCleanlyAndDataIsThereAfterwards() throws Exception {
    Path dataDir = tempDir.resolve("data");
    Path surveys = TestServer.testSurveys(tempDir.resolve("surveys"));
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName());
    builder.environment().put(Config.HTTP_PORT, "0");
    builder.environment().put(Config.HTTP_HOST, "127.0.0.1");
    builder.environment().put(Config.DATA_DIR, dataDir.toString());
    builder.environment().put(Config.SURVEYS_DIR, surveys.toString());
    builder.redirectError(tempDir.resolve("stderr.txt").toFile());
    Process process = builder.start();
    String url;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("Heard listening on http://127.0.0.1:"),
          line + " / " + Files.readString(tempDir.resolve("stderr.txt")));
      url = line.substring("Heard listening on ".length());
      int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
      assertTrue(port > 0, "port 0 means a free port, and the real one is printed");

      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      HttpResponse<String> created = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
              url + "/api/v1/surveys/sms-pulse/responses"))
          .header("Content-Type", "application/json").header("Idempotency-Key", "before-sigterm")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(PULSE)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode());

      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server must stop after SIGTERM");
    } finally {
      process.destroyForcibly();
    }
    assertEquals(143, process.exitValue(), "128 + SIGTERM after the shutdown hook ran");
    String stderr = Files.readString(tempDir.resolve("stderr.txt"));
    assertFalse(stderr.contains("did not complete cleanly"), stderr);

    try (TestServer heard = TestServer.start(tempDir)) {
      assertEquals(1, heard.find(ResponseStore.COLLECTION,
          new JsonObject().put("provenance.idempotencyKey", "before-sigterm")).size());
    }
  }
}
