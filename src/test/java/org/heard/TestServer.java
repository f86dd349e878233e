package org.heard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.heard.config.Config;
import org.heard.store.Database;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Heard server for tests: started as {@code main} would start it (from environment-style
 * configuration) on a free port, with a temporary data directory and the embedded store, and
 * reached only over sockets: HTTP for the API, the MongoDB driver for what was stored.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  private final Map<String, String> env;
  private final Map<String, String> extraSurveys = new LinkedHashMap<>();
  private Path ownTempDir;
  private HeardServer server;
  private Vertx clientVertx;
  private MongoClient mongo;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(Map<String, String> env) {
    this.env = env;
  }

  /**
   * A server for a whole test class, started before its first test and stopped after its last:
   * {@code @RegisterExtension static final TestServer heard = TestServer.forClass();}
   */
  public static TestServer forClass() {
    return forClass(Map.of());
  }

  public static TestServer forClass(Map<String, String> extraEnv) {
    return new TestServer(new HashMap<>(extraEnv));
  }

  /** Adds a survey file (for a class-wide server, before it starts). */
  public TestServer withSurvey(String fileName, String yaml) {
    extraSurveys.put(fileName, yaml);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    ownTempDir = Files.createTempDirectory("heard-test");
    Map<String, String> extraEnv = new HashMap<>(env);
    env.clear();
    env.putAll(baseEnv(ownTempDir));
    env.putAll(extraEnv);
    Path surveys = Path.of(env.get(Config.SURVEYS_DIR));
    for (Map.Entry<String, String> extra : extraSurveys.entrySet()) {
      Files.writeString(surveys.resolve(extra.getKey()), extra.getValue());
    }
    startServer();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
    try (Stream<Path> files = Files.walk(ownTempDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** Starts a server on the sample surveys plus a closed and a not-yet-open survey. */
  public static TestServer start(Path tempDir) throws Exception {
    return start(tempDir, Map.of());
  }

  public static TestServer start(Path tempDir, Map<String, String> extraEnv) throws Exception {
    Map<String, String> env = baseEnv(tempDir);
    env.putAll(extraEnv);
    TestServer test = new TestServer(env);
    test.startServer();
    return test;
  }

  private static Map<String, String> baseEnv(Path tempDir) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put(Config.HTTP_HOST, "127.0.0.1");
    env.put(Config.HTTP_PORT, "0");
    env.put(Config.DATA_DIR, tempDir.resolve("data").toString());
    env.put(Config.SURVEYS_DIR, testSurveys(tempDir.resolve("surveys")).toString());
    env.put(Config.SHUTDOWN_GRACE_SECONDS, "2");
    return env;
  }

  /** The shipped samples, plus surveys outside their open dates. */
  public static Path testSurveys(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Files.createDirectories(dir);
    try (Stream<Path> samples = Files.list(Path.of("surveys"))) {
      for (Path sample : samples.toList()) {
        Files.copy(sample, dir.resolve(sample.getFileName()));
      }
    }
    Files.writeString(dir.resolve("closed-2020.yaml"), """
        id: closed-2020
        version: 1
        title: {en: A survey that closed}
        languages: [en]
        opens: 2020-01-01
        closes: 2020-12-31
        questions:
          - {id: q1, type: consent, text: {en: Agree?}}
        """);
    Files.writeString(dir.resolve("future.yaml"), """
        id: future
        version: 1
        title: {en: A survey that has not opened}
        languages: [en]
        opens: 2099-01-01
        questions:
          - {id: q1, type: consent, text: {en: Agree?}}
        """);
    return dir;
  }

  private void startServer() throws Exception {
    server = HeardServer.start(Config.from(env));
    clientVertx = Vertx.vertx();
    mongo = Database.connect(clientVertx, server.toolConnectionString("tests"),
        env.getOrDefault(Config.MONGODB_DATABASE, "heard"));
  }

  /** Stops the server cleanly (as on SIGTERM) and starts it again on the same data directory. */
  public void restart() throws Exception {
    stopServer();
    startServer();
  }

  /** Stops the server, runs {@code whileStopped} (a restore, say), and starts it again on the same data. */
  public void restartAfter(java.util.concurrent.Callable<?> whileStopped) throws Exception {
    stopServer();
    whileStopped.call();
    startServer();
  }

  /** The environment the server runs with (its data directory among it), for the command line. */
  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  public HeardServer server() {
    return server;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs a JSON response to the API with an idempotency key. */
  public HttpResponse<String> postResponse(String surveyId, String idempotencyKey, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/v1/surveys/" + surveyId + "/responses"))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request.build());
  }

  public HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws Exception {
    return http.send(request, body);
  }

  /** Documents in a collection, read back through the MongoDB driver. */
  public List<JsonObject> find(String collection, JsonObject query) {
    return mongo.find(collection, query).await();
  }

  public long count(String collection) {
    return mongo.count(collection, new JsonObject()).await();
  }

  /** Waits until at least {@code count} responses carry their text analysis (fails the test after 120 s). */
  public void awaitAnalysed(long count) throws InterruptedException {
    JsonObject analysed = new JsonObject().put("analysedAt", new JsonObject().put("$exists", true));
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
    while (find("responses", analysed).size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("responses were not analysed in time");
      }
      Thread.sleep(200);
    }
  }

  /**
   * Starts a recount of the digest counts with an admin's token, waits until the background job is
   * done (fails after 120 s or if it fails) and returns its last progress.
   */
  public JsonObject recount(String adminToken) throws Exception {
    HttpResponse<String> started = send(HttpRequest.newBuilder(uri("/api/v1/digest-counts/recount"))
        .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    if (started.statusCode() != 202) {
      throw new AssertionError("recount answered " + started.statusCode() + ": " + started.body());
    }
    String progress = new JsonObject(started.body()).getString("progress");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      JsonObject job = new JsonObject(send(HttpRequest.newBuilder(uri(progress))
          .header("Authorization", "Bearer " + adminToken).GET().build()).body());
      if (!"running".equals(job.getString("state"))) {
        if (!"done".equals(job.getString("state"))) {
          throw new AssertionError("the recount ended " + job.encode());
        }
        return job;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the recount did not finish in time");
  }

  public MongoClient mongo() {
    return mongo;
  }

  private void stopServer() throws Exception {
    if (mongo != null) {
      mongo.close().await(10, TimeUnit.SECONDS);
      clientVertx.close().await(10, TimeUnit.SECONDS);
      mongo = null;
    }
    if (server != null) {
      List<String> unaccepted = StoreScanPolicy.unaccepted(server.storeScans());
      server.stop();
      server = null;
      if (!unaccepted.isEmpty()) {
        throw new AssertionError("the embedded store scanned a whole collection for queries no index serves "
            + "(declare a unique index with exactly the filter's keys, or read by key; see StoreScanPolicy): "
            + unaccepted);
      }
    }
  }

  @Override
  public void close() throws Exception {
    stopServer();
  }
}
