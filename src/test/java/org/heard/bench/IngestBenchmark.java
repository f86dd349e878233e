package org.heard.bench;

import static org.heard.bench.LoadClients.Phase;
import static org.heard.bench.LoadClients.WebRun;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.heard.HeardProcess;
import org.heard.analysis.Analysers;
import org.heard.analysis.CommentAnalysis;
import org.heard.config.Config;
import org.heard.store.Database;
import org.heard.store.EmbeddedMongo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest benchmark (issue 22), every scenario side by side with its baseline in one run, each
 * repeated {@code bench.reps} times (medians printed), at each store size of {@code bench.sizes}:
 * <ul>
 *   <li>raw driver {@code insertOne} into the embedded store (in a process of its own), and a bare
 *       Vert.x server that parses and inserts (its store in its own process, as Heard's is), and
 *       Heard's {@code POST /api/v1/surveys/community-safety/responses} with a comment, at 16 and at
 *       200 connections; the servers' CPU per stored response from /proc;
 *   <li>200 residents completing the web form with 1 s think time, idle and then while a backlog
 *       of comments is analysed; the analysis rate meanwhile and after;
 *   <li>Heard's start-up at that size, without and with the backlog; its resident set at the end.
 * </ul>
 * Each server starts from a copy of one store holding that many analysed, numbered responses, and
 * Heard runs with the README start command's JVM options ({@code bench.jvm}). Writes the table to
 * {@code target/bench-ingest.txt}.
 */
@Tag("benchmark")
class IngestBenchmark {
  /** The README start command's JVM options: the benchmark measures what a deployment runs. */
  static final String README_JVM = "-Xmx512m";
  private static final List<Integer> SIZES = Arrays.stream(System.getProperty("bench.sizes", "1000,10000,100000")
      .split(",")).map(String::trim).map(Integer::valueOf).toList();
  private static final List<Integer> CONNECTIONS = Arrays.stream(System.getProperty("bench.connections", "16,200")
      .split(",")).map(String::trim).map(Integer::valueOf).toList();
  private static final int REPS = Integer.getInteger("bench.reps", 3);
  /** Each server is a fresh JVM: its first seconds are compiled code still being made. */
  private static final long WARMUP_MS = Long.getLong("bench.warmupMs", 8_000);
  private static final Set<String> SCENARIOS = Set.of(System.getProperty("bench.scenarios", "ingest,web").split(","));
  private static final long MEASURE_MS = Long.getLong("bench.measureMs", 10_000);
  private static final long WEB_SECONDS = Long.getLong("bench.webSeconds", 30);
  private static final int RESIDENTS = Integer.getInteger("bench.residents", 200);
  private static final int BACKLOG = Integer.getInteger("bench.backlog", 10_000);
  private static final List<String> JVM = List.of(System.getProperty("bench.jvm", README_JVM).split(" "));
  private static final String API = "/api/v1/surveys/community-safety/responses";
  private static final Path SURVEYS = Path.of("surveys").toAbsolutePath();
  private static final Map<String, String> ENV = Map.of(Config.WEB_POSTS_PER_MINUTE, "100000",
      Config.WEB_NEW_FORMS_PER_HOUR, "10000000", Config.WEB_SENDS_PER_MINUTE, "10000000");
  private static final Pattern ANALYSED = Pattern.compile("(?m)^heard_responses_analysed_total (\\S+)$");

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  /** Per size, per figure, one value per repetition. */
  private final Map<Integer, Map<String, List<Double>>> figures = new LinkedHashMap<>();
  /** Per size, Heard's own account of its last start-up with the backlog (its stages' times). */
  private final Map<Integer, String> startUpStages = new LinkedHashMap<>();

  @Test
  void ingestWebFormAndBacklogAtEachSize() throws Exception {
    List<JsonObject[]> comments = analysedComments();
    for (int size : SIZES) {
      Path seed = seed(size, comments);
      for (int rep = 1; rep <= REPS; rep++) {
        if (SCENARIOS.contains("ingest")) {
          ingest(size, seed, dir.resolve("run-" + size + "-" + rep));
        }
        if (SCENARIOS.contains("web")) {
          webForm(size, seed, dir.resolve("web-" + size + "-" + rep));
        }
      }
      deleteTree(seed);
      // Written after each size, so a long run's finished sizes are kept whatever happens later.
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "bench-ingest.txt"), report());
    }
    System.out.println(report());
  }

  // ---- the scenarios

  private void ingest(int size, Path seed, Path run) throws Exception {
    copyTree(seed, run.resolve("raw"));
    Process store = java(List.of("-Xmx1g"), StoreProcess.class.getName(), run.resolve("raw/data").toString());
    try {
      String uri = firstLine(store, "uri ").substring(4);
      for (int connections : CONNECTIONS) {
        record(size, LoadClients.rawInserts(uri, connections, WARMUP_MS, MEASURE_MS, store.pid()));
      }
    } finally {
      stop(store);
    }
    copyTree(seed, run.resolve("bare"));
    Process bare = java(JVM, BareIngestServer.class.getName(), run.resolve("bare/data").toString());
    try {
      int port = Integer.parseInt(firstLine(bare, "listening ").substring(10));
      for (int connections : CONNECTIONS) {
        record(size, LoadClients.posts("bare Vert.x POST", port, "/responses", connections, WARMUP_MS, MEASURE_MS,
            bare.pid()));
      }
    } finally {
      stop(bare);
    }
    copyTree(seed, run.resolve("heard"));
    long started = System.nanoTime();
    try (HeardProcess heard = HeardProcess.start(run.resolve("heard"), SURVEYS, ENV, JVM)) {
      put(size, "start-up, no backlog (s)", (System.nanoTime() - started) / 1e9);
      int port = URI.create(heard.url()).getPort();
      for (int connections : CONNECTIONS) {
        Phase phase = LoadClients.posts("Heard POST", port, API, connections, WARMUP_MS, MEASURE_MS, heard.pid());
        record(size, phase);
        if (phase.errors() > 0) {
          throw new AssertionError(phase.name() + ": " + phase.errors() + " requests failed");
        }
      }
      heard.stop();
    }
    deleteTree(run);
  }

  private void webForm(int size, Path seed, Path run) throws Exception {
    copyTree(seed, run);
    HeardProcess heard = HeardProcess.start(run, SURVEYS, ENV, JVM);
    try {
      awaitAnalysisUp(heard);
      WebRun idle = LoadClients.residents(heard.url(), RESIDENTS, 1_000, WARMUP_MS, WEB_SECONDS);
      record(size, "web form, idle", idle);
      Phase backlog = LoadClients.postCount(URI.create(heard.url()).getPort(), API, 16, BACKLOG);
      put(size, "backlog of " + BACKLOG + " posted (s)", backlog.seconds());
      heard.stop();
      long started = System.nanoTime();
      heard = HeardProcess.start(run, SURVEYS, ENV, JVM);
      put(size, "start-up with the backlog (s)", (System.nanoTime() - started) / 1e9);
      startUpStages.put(size, Files.readAllLines(run.resolve("stderr.txt")).stream()
          .filter(line -> line.contains("ready for traffic")).reduce((a, b) -> b).orElse("?"));
      awaitAnalysisUp(heard);
      double analysedBefore = analysed(heard);
      long during = System.nanoTime();
      WebRun busy = LoadClients.residents(heard.url(), RESIDENTS, 1_000, WARMUP_MS, WEB_SECONDS);
      double analysedDuring = analysed(heard);
      put(size, "analysis while residents use the form (comments/s)",
          (analysedDuring - analysedBefore) / ((System.nanoTime() - during) / 1e9));
      record(size, "web form, backlog analysed", busy);
      long after = System.nanoTime();
      Thread.sleep(20_000);
      put(size, "analysis after (comments/s)", (analysed(heard) - analysedDuring) / ((System.nanoTime() - after) / 1e9));
      put(size, "resident set now (MiB)", LoadClients.residentMiB(heard.pid(), "VmRSS"));
      put(size, "resident set at most (MiB)", LoadClients.residentMiB(heard.pid(), "VmHWM"));
      heard.stop();
      if (idle.errors() + busy.errors() > 0) {
        throw new AssertionError("web form requests failed: " + idle.errorSamples() + " " + busy.errorSamples());
      }
    } finally {
      heard.close();
      deleteTree(run);
    }
  }

  private void awaitAnalysisUp(HeardProcess heard) throws Exception {
    for (int i = 0; i < 600; i++) {
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(heard.url() + "/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (ready.body().contains("\"analysis\":{\"state\":\"up\"")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("text analysis did not come up in 60 s");
  }

  private double analysed(HeardProcess heard) throws Exception {
    String metrics = http.send(HttpRequest.newBuilder(URI.create(heard.url() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher found = ANALYSED.matcher(metrics);
    return found.find() ? Double.parseDouble(found.group(1)) : 0;
  }

  // ---- the store each server starts from

  /** 300 synthetic comments with their analyses (text, analysis document). */
  private static List<JsonObject[]> analysedComments() {
    Analysers analysers = new Analysers(Set.of("en"));
    SyntheticComments synthetic = new SyntheticComments(22);
    List<JsonObject[]> comments = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String text = synthetic.next()[0];
      comments.add(new JsonObject[] {new JsonObject().put("text", text), analysers.analyse(text, "en").toDocument()});
    }
    analysers.close();
    return comments;
  }

  /**
   * A data directory as Heard leaves it after taking {@code size} responses over a year: Heard's own
   * first start makes it (key, indexes, markers); the responses are then written into its store,
   * numbered in time order and analysed, as Heard numbers and analyses them.
   */
  private Path seed(int size, List<JsonObject[]> comments) throws Exception {
    Path seed = dir.resolve("seed-" + size);
    HeardProcess.start(seed, SURVEYS, ENV, JVM).stop();
    EmbeddedMongo store = EmbeddedMongo.start(seed.resolve("data"), 0, false);
    Vertx vertx = Vertx.vertx();
    try {
      MongoClient mongo = Database.connect(vertx, store.toolConnectionString("bench"), "heard");
      Random random = new Random(size);
      String[] areas = {"E05000001", "E05000002", "E05000003", "E05000004", "E05000005", "E05000006", "E05000007"};
      String[] channels = {"web", "web", "web", "sms", "paper", "api"};
      Instant start = Instant.now().minus(Duration.ofDays(365));
      long step = Duration.ofDays(365).toMillis() / size;
      List<JsonObject> batch = new ArrayList<>();
      for (int n = 0; n < size; n++) {
        JsonObject[] comment = comments.get(random.nextInt(comments.size()));
        String at = start.plusMillis(n * step).toString();
        batch.add(new JsonObject().put("_id", String.format(Locale.ROOT, "seed%028d", n))
            .put("seq", StoredNumbers.seq("community-safety", n))
            .put("surveyId", "community-safety").put("surveyVersion", 1)
            .put("channel", channels[random.nextInt(channels.length)])
            .put("receivedAt", new JsonObject().put("$date", at)).put("language", "en")
            .put("answers", new JsonObject().put("ward", areas[random.nextInt(areas.length)])
                .put("feel_safe_day", 1 + random.nextInt(5)).put("feel_safe_dark", 1 + random.nextInt(5))
                .put("what_would_help", comment[0].getString("text")))
            .put("provenance", new JsonObject()).put("complete", true).put("contentHash", "0".repeat(64))
            .put("analysis", new JsonObject().put("what_would_help", comment[1]))
            .put("analysedAt", new JsonObject().put("$date", at)).put("analysisVersion", CommentAnalysis.VERSION));
        if (batch.size() == 1_000) {
          StoredNumbers.insert(mongo, batch);
          batch = new ArrayList<>();
        }
      }
      if (!batch.isEmpty()) {
        StoredNumbers.insert(mongo, batch);
      }
      StoredNumbers.publish(mongo, "community-safety", size);
      mongo.close().await();
    } finally {
      vertx.close().await();
      store.stop();
    }
    // Heard's next start counts them for digests (as it does a database restored without counts): once, here.
    HeardProcess.start(seed, SURVEYS, ENV, JVM).stop();
    return seed;
  }

  // ---- the table

  private void record(int size, Phase phase) {
    put(size, phase.name() + ": per s", phase.perSecond());
    put(size, phase.name() + ": p99 ms", phase.p99Millis());
    if (!phase.name().startsWith("raw")) {
      put(size, phase.name() + ": server CPU µs per response", phase.cpuMicrosPerOp());
    }
  }

  private void record(int size, String scenario, WebRun run) {
    run.pages().forEach((page, latencies) -> put(size, scenario + ": " + page + " p99 ms",
        LoadClients.percentile(latencies, 0.99)));
    put(size, scenario + ": every page, worst p99 ms", run.worstP99());
    put(size, scenario + ": forms sent", run.sent());
    put(size, scenario + ": failed requests", run.errors());
  }

  private void put(int size, String figure, double value) {
    figures.computeIfAbsent(size, s -> new LinkedHashMap<>()).computeIfAbsent(figure, f -> new ArrayList<>()).add(value);
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted.length == 0 ? Double.NaN : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  private String report() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Heard ingest benchmark, %s, %d cores, Heard with %s; %d repetitions, medians"
            + " (each repetition's value in brackets); %d s per ingest phase after %d s warm-up, %d residents for %d s"
            + " after the same warm-up%n",
        LocalDate.now(), Runtime.getRuntime().availableProcessors(), String.join(" ", JVM), REPS, MEASURE_MS / 1000,
        WARMUP_MS / 1000, RESIDENTS, WEB_SECONDS));
    for (Map.Entry<Integer, Map<String, List<Double>>> bySize : figures.entrySet()) {
      out.append(String.format(Locale.ROOT, "%n%,d stored responses%n", bySize.getKey()));
      Map<String, List<Double>> values = bySize.getValue();
      values.forEach((figure, list) -> out.append(String.format(Locale.ROOT, "  %-72s %10.1f  %s%n", figure,
          median(list), list.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList())));
      if (startUpStages.containsKey(bySize.getKey())) {
        String line = startUpStages.get(bySize.getKey());
        out.append("  last start-up with the backlog: ").append(line.substring(Math.max(0, line.indexOf("ready for traffic"))))
            .append('\n');
      }
      for (int connections : CONNECTIONS) {
        String heard = "Heard POST, " + connections + " connections: per s";
        out.append(String.format(Locale.ROOT, "  ratio Heard / raw insertOne, %3d connections: %.2f (target >= 0.80);"
                + " Heard / bare Vert.x: %.2f%n", connections,
            ratio(values, heard, "raw driver insertOne, " + connections + " in flight: per s"),
            ratio(values, heard, "bare Vert.x POST, " + connections + " connections: per s")));
      }
    }
    if (figures.size() > 1) {
      int smallest = figures.keySet().iterator().next();
      for (int size : figures.keySet().stream().filter(size -> size != smallest).toList()) {
        for (String figure : List.of("Heard POST, 16 connections: per s", "Heard POST, 200 connections: per s",
            "analysis after (comments/s)", "analysis while residents use the form (comments/s)")) {
          out.append(String.format(Locale.ROOT, "%s at %,d / at %,d: %.2f (target within 0.80-1.20)%n", figure, size,
              smallest, median(figures.get(size).get(figure)) / median(figures.get(smallest).get(figure))));
        }
      }
    }
    return out.toString();
  }

  private static double ratio(Map<String, List<Double>> values, String over, String under) {
    ToDoubleFunction<String> m = key -> values.containsKey(key) ? median(values.get(key)) : Double.NaN;
    return m.applyAsDouble(over) / m.applyAsDouble(under);
  }

  // ---- processes and files

  private static Process java(List<String> jvm, String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static String firstLine(Process process, String prefix) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    while (line != null && line.startsWith("[") && !line.startsWith(prefix)) {
      line = out.readLine();  // the JVM's own notes (a flight recording's start, say)
    }
    if (line == null || !line.startsWith(prefix)) {
      process.destroyForcibly();
      throw new AssertionError("did not start: " + line);
    }
    return line;
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(path);
      }
    }
  }
}
