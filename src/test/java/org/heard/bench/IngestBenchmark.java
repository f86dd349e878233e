package org.heard.bench;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.heard.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Ingest benchmark (run with {@code mvn -Pbench test}): in one run on this machine, raw driver
 * inserts into the embedded store, {@code POST /api/v1/surveys/{id}/responses} at 32 concurrent
 * connections, and {@code GET /health} as the HTTP ceiling; prints the ratios.
 */
@Tag("benchmark")
class IngestBenchmark {
  private static final int CONCURRENCY = 32;
  private static final long WARMUP_MS = Long.getLong("bench.warmupMs", 3_000);
  private static final long MEASURE_MS = Long.getLong("bench.measureMs", 10_000);
  private static final String BODY = """
      {"answers": {"ward": "E05000002", "years_in_area": 12, "feel_safe_day": 4, "feel_safe_dark": 2,
       "concerns": ["asb", "drugs"], "victim_last_year": "no",
       "what_would_help": "More lighting on the canal path and a PCSO walking the estate at night",
       "contact_ok": false, "age_band": "25-44"}, "language": "en"}""";

  @TempDir
  Path tempDir;

  record Result(String name, long operations, long errors, double seconds, long[] latenciesNanos) {
    double perSecond() {
      return operations / seconds;
    }

    String line() {
      long[] sorted = latenciesNanos.clone();
      Arrays.sort(sorted);
      return String.format(Locale.ROOT, "%-34s %9.0f ops/s  p50 %6.2f ms  p99 %6.2f ms  errors %d  (n=%d)",
          name, perSecond(), percentile(sorted, 0.50), percentile(sorted, 0.99), errors, operations);
    }

    private static double percentile(long[] sorted, double p) {
      return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
  }

  @Test
  void ingestAgainstRawInsertAndHealth() throws Exception {
    try (TestServer heard = TestServer.start(tempDir)) {
      Result raw = rawInserts(heard.server().databaseConnectionString());
      Vertx vertx = Vertx.vertx();
      try {
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
            .setDefaultPort(heard.server().port()), new PoolOptions().setHttp1MaxSize(CONCURRENCY));
        Result ingest = http(vertx, http, "POST /api/v1/surveys/community-safety/responses (32 conn)", true);
        Result health = http(vertx, http, "GET /health (32 conn)", false);
        String report = String.join("\n",
            "Heard ingest benchmark, " + Runtime.getRuntime().availableProcessors() + " cores, "
                + MEASURE_MS / 1000 + " s per phase after " + WARMUP_MS / 1000 + " s warm-up",
            raw.line(), ingest.line(), health.line(),
            String.format(Locale.ROOT, "ratio ingest/raw-insert = %.2f (target >= 0.60)", ingest.perSecond() / raw.perSecond()),
            String.format(Locale.ROOT, "ratio ingest/health     = %.2f", ingest.perSecond() / health.perSecond()));
        System.out.println(report);
        Files.writeString(Path.of("target", "bench-ingest.txt"), report + "\n");
        if (ingest.errors() > 0) {
          throw new AssertionError("ingest had errors: " + ingest.errors());
        }
      } finally {
        vertx.close().await();
      }
    }
  }

  /** Inserts response-sized documents with the MongoDB reactive-streams driver, 32 in flight. */
  private Result rawInserts(String uri) throws Exception {
    try (MongoClient client = MongoClients.create(uri)) {
      MongoCollection<Document> collection = client.getDatabase("heard").getCollection("bench_raw");
      run(collection, WARMUP_MS, new AtomicLong(), new AtomicLong(), null);
      List<long[]> latencies = new ArrayList<>();
      AtomicLong ops = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      long start = System.nanoTime();
      run(collection, MEASURE_MS, ops, errors, latencies);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result("raw driver insertOne (32 in flight)", ops.get(), errors.get(), seconds, flatten(latencies));
    }
  }

  private void run(MongoCollection<Document> collection, long millis, AtomicLong ops, AtomicLong errors,
      List<long[]> latencies) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    CountDownLatch done = new CountDownLatch(CONCURRENCY);
    List<LatencyLog> logs = new ArrayList<>();
    for (int i = 0; i < CONCURRENCY; i++) {
      LatencyLog log = new LatencyLog();
      logs.add(log);
      insertLoop(collection, deadline, ops, errors, log, done);
    }
    done.await();
    if (latencies != null) {
      logs.forEach(l -> latencies.add(l.toArray()));
    }
  }

  private void insertLoop(MongoCollection<Document> collection, long deadline, AtomicLong ops, AtomicLong errors,
      LatencyLog log, CountDownLatch done) {
    if (System.nanoTime() > deadline) {
      done.countDown();
      return;
    }
    long started = System.nanoTime();
    collection.insertOne(sampleDocument()).subscribe(new Subscriber<>() {
      @Override
      public void onSubscribe(Subscription s) {
        s.request(1);
      }

      @Override
      public void onNext(com.mongodb.client.result.InsertOneResult result) {
      }

      @Override
      public void onError(Throwable t) {
        errors.incrementAndGet();
        insertLoop(collection, deadline, ops, errors, log, done);
      }

      @Override
      public void onComplete() {
        log.add(System.nanoTime() - started);
        ops.incrementAndGet();
        insertLoop(collection, deadline, ops, errors, log, done);
      }
    });
  }

  private static Document sampleDocument() {
    return new Document("_id", UUID.randomUUID().toString().replace("-", ""))
        .append("surveyId", "community-safety").append("surveyVersion", 1).append("channel", "api")
        .append("receivedAt", new Date()).append("language", "en")
        .append("answers", new Document("ward", "E05000002").append("years_in_area", 12L).append("feel_safe_day", 4)
            .append("feel_safe_dark", 2).append("concerns", List.of("asb", "drugs")).append("victim_last_year", "no")
            .append("what_would_help", "More lighting on the canal path and a PCSO walking the estate at night")
            .append("contact_ok", false).append("age_band", "25-44"))
        .append("provenance", new Document("idempotencyKey", UUID.randomUUID().toString()))
        .append("complete", true).append("contentHash", "0".repeat(64));
  }

  /** Drives 32 request loops against the server: POSTs with fresh idempotency keys, or GET /health. */
  private Result http(Vertx vertx, HttpClient client, String name, boolean post) throws Exception {
    phase(vertx, client, post, WARMUP_MS, new AtomicLong(), new AtomicLong(), new ArrayList<>());
    AtomicLong ops = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<LatencyLog> logs = new ArrayList<>();
    long start = System.nanoTime();
    phase(vertx, client, post, MEASURE_MS, ops, errors, logs);
    double seconds = (System.nanoTime() - start) / 1e9;
    List<long[]> latencies = new ArrayList<>();
    logs.forEach(l -> latencies.add(l.toArray()));
    return new Result(name, ops.get(), errors.get(), seconds, flatten(latencies));
  }

  private void phase(Vertx vertx, HttpClient client, boolean post, long millis, AtomicLong ops, AtomicLong errors,
      List<LatencyLog> logs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < CONCURRENCY; i++) {
      LatencyLog log = new LatencyLog();
      logs.add(log);
      Promise<Void> finished = Promise.promise();
      vertx.runOnContext(v -> requestLoop(client, post, deadline, ops, errors, log, finished));
      loops.add(finished.future());
    }
    Future.all(loops).await(millis + 60_000, TimeUnit.MILLISECONDS);
  }

  private void requestLoop(HttpClient client, boolean post, long deadline, AtomicLong ops, AtomicLong errors,
      LatencyLog log, Promise<Void> finished) {
    if (System.nanoTime() > deadline) {
      finished.complete();
      return;
    }
    long started = System.nanoTime();
    RequestOptions options = new RequestOptions()
        .setMethod(post ? HttpMethod.POST : HttpMethod.GET)
        .setURI(post ? "/api/v1/surveys/community-safety/responses" : "/health");
    if (post) {
      options.putHeader("Content-Type", "application/json").putHeader("Idempotency-Key", UUID.randomUUID().toString());
    }
    client.request(options)
        .compose(request -> post ? request.send(Buffer.buffer(BODY)) : request.send())
        .compose(response -> response.body().map(body -> response.statusCode()))
        .onComplete(result -> {
          boolean ok = result.succeeded() && result.result() == (post ? 201 : 200);
          if (ok) {
            ops.incrementAndGet();
            log.add(System.nanoTime() - started);
          } else {
            errors.incrementAndGet();
          }
          requestLoop(client, post, deadline, ops, errors, log, finished);
        });
  }

  private static long[] flatten(List<long[]> parts) {
    return parts.stream().flatMapToLong(Arrays::stream).toArray();
  }

  /** Latencies of one loop; each loop runs on one thread at a time, so no locking is needed. */
  private static final class LatencyLog {
    private long[] values = new long[1024];
    private int size;

    synchronized void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    synchronized long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
