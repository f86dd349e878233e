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
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The ingest benchmark's load, generated in the benchmark's JVM against servers in processes of
 * their own: raw driver inserts, closed-loop API posts over N connections, and residents completing
 * the web form with think time. Each returns what it measured.
 */
public final class LoadClients {
  static final String API_BODY = """
      {"answers": {"ward": "E05000002", "years_in_area": 12, "feel_safe_day": 4, "feel_safe_dark": 2,
       "concerns": ["asb", "drugs"], "victim_last_year": "no",
       "what_would_help": "More lighting on the canal path and a PCSO walking the estate at night",
       "contact_ok": false, "age_band": "25-44"}, "language": "en"}""";
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final String[] WORRIES = {"Cars racing along the high street at night",
      "Broken street lights by the station", "Drug dealing near the park gates", "Litter and fly tipping in the alley",
      "Teenagers gathering outside the shops", "Nobody answers when I report burglaries"};

  private LoadClients() {
  }

  /** One measured phase: operations done, failures, time, each operation's latency and the server's CPU per operation. */
  record Phase(String name, long operations, long errors, double seconds, long[] latencies, double cpuMicrosPerOp) {
    double perSecond() {
      return operations / seconds;
    }

    double p99Millis() {
      return percentile(latencies, 0.99);
    }
  }

  static double percentile(long[] latencies, double p) {
    if (latencies.length == 0) {
      return Double.NaN;
    }
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
  }

  /** CPU seconds (user + system) the process has used so far, from /proc; NaN where there is none. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;  // clock ticks of 1/100 s
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  /** A /proc/PID/status figure in MiB (VmRSS: resident now; VmHWM: the most it was). */
  static double residentMiB(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
      }
    } catch (Exception e) {
      // no /proc here
    }
    return Double.NaN;
  }

  // ---- raw driver inserts

  static Phase rawInserts(String uri, int inFlight, long warmupMs, long measureMs, long pid) throws Exception {
    try (MongoClient client = MongoClients.create(uri)) {
      MongoCollection<Document> responses = client.getDatabase("heard").getCollection("responses");
      insertFor(responses, inFlight, warmupMs, new AtomicLong(), new AtomicLong(), new ConcurrentLinkedQueue<>());
      AtomicLong ops = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      double cpu = cpuSeconds(pid);
      long start = System.nanoTime();
      insertFor(responses, inFlight, measureMs, ops, errors, latencies);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Phase("raw driver insertOne, " + inFlight + " in flight", ops.get(), errors.get(), seconds,
          latencies.stream().mapToLong(Long::longValue).toArray(), (cpuSeconds(pid) - cpu) * 1e6 / ops.get());
    }
  }

  private static void insertFor(MongoCollection<Document> collection, int inFlight, long millis, AtomicLong ops,
      AtomicLong errors, ConcurrentLinkedQueue<Long> latencies) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    CountDownLatch done = new CountDownLatch(inFlight);
    for (int i = 0; i < inFlight; i++) {
      insertLoop(collection, deadline, ops, errors, latencies, done);
    }
    done.await();
  }

  private static void insertLoop(MongoCollection<Document> collection, long deadline, AtomicLong ops, AtomicLong errors,
      ConcurrentLinkedQueue<Long> latencies, CountDownLatch done) {
    if (System.nanoTime() > deadline) {
      done.countDown();
      return;
    }
    long started = System.nanoTime();
    collection.insertOne(rawDocument()).subscribe(new Subscriber<>() {
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
        insertLoop(collection, deadline, ops, errors, latencies, done);
      }

      @Override
      public void onComplete() {
        latencies.add(System.nanoTime() - started);
        ops.incrementAndGet();
        insertLoop(collection, deadline, ops, errors, latencies, done);
      }
    });
  }

  /** A response as Heard stores it (the API body's answers, its provenance and hash). */
  private static Document rawDocument() {
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

  // ---- API posts

  /** Closed-loop POSTs of {@link #API_BODY} with fresh idempotency keys over {@code connections} connections. */
  static Phase posts(String name, int port, String path, int connections, long warmupMs, long measureMs, long pid)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
          .setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
      postFor(vertx, client, path, connections, warmupMs, new AtomicLong(), new AtomicLong(), new ConcurrentLinkedQueue<>());
      AtomicLong ops = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      double cpu = cpuSeconds(pid);
      long start = System.nanoTime();
      postFor(vertx, client, path, connections, measureMs, ops, errors, latencies);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Phase(name + ", " + connections + " connections", ops.get(), errors.get(), seconds,
          latencies.stream().mapToLong(Long::longValue).toArray(), (cpuSeconds(pid) - cpu) * 1e6 / ops.get());
    } finally {
      vertx.close().await();
    }
  }

  /** Posts {@code count} responses as fast as {@code connections} connections take them (a backlog's making). */
  static Phase postCount(int port, String path, int connections, long count) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
          new PoolOptions().setHttp1MaxSize(connections));
      AtomicLong ops = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      AtomicLong left = new AtomicLong(count);
      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      long start = System.nanoTime();
      List<Future<Void>> loops = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        Promise<Void> finished = Promise.promise();
        vertx.runOnContext(v -> postLoop(client, path, () -> left.decrementAndGet() >= 0, ops, errors, latencies, finished));
        loops.add(finished.future());
      }
      Future.all(loops).await(600, TimeUnit.SECONDS);
      return new Phase("backlog posted", ops.get(), errors.get(), (System.nanoTime() - start) / 1e9,
          latencies.stream().mapToLong(Long::longValue).toArray(), Double.NaN);
    } finally {
      vertx.close().await();
    }
  }

  private static void postFor(Vertx vertx, HttpClient client, String path, int connections, long millis, AtomicLong ops,
      AtomicLong errors, ConcurrentLinkedQueue<Long> latencies) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Promise<Void> finished = Promise.promise();
      vertx.runOnContext(v -> postLoop(client, path, () -> System.nanoTime() < deadline, ops, errors, latencies, finished));
      loops.add(finished.future());
    }
    Future.all(loops).await(millis + 120_000, TimeUnit.MILLISECONDS);
  }

  private static void postLoop(HttpClient client, String path, java.util.function.BooleanSupplier more, AtomicLong ops,
      AtomicLong errors, ConcurrentLinkedQueue<Long> latencies, Promise<Void> finished) {
    if (!more.getAsBoolean()) {
      finished.complete();
      return;
    }
    long started = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path).setTimeout(30_000)
        .putHeader("Content-Type", "application/json").putHeader("Idempotency-Key", UUID.randomUUID().toString());
    client.request(options)
        .compose(request -> request.send(Buffer.buffer(API_BODY)))
        .compose(response -> response.body().map(body -> response.statusCode()))
        .onComplete(result -> {
          if (result.succeeded() && result.result() == 201) {
            ops.incrementAndGet();
            latencies.add(System.nanoTime() - started);
          } else {
            errors.incrementAndGet();
          }
          postLoop(client, path, more, ops, errors, latencies, finished);
        });
  }

  // ---- residents on the web form

  /** What residents met: each page's latencies, failures, and forms sent. */
  record WebRun(Map<String, long[]> pages, long errors, long sent, List<String> errorSamples) {
    double worstP99() {
      return pages.values().stream().mapToDouble(l -> percentile(l, 0.99)).max().orElse(Double.NaN);
    }
  }

  /**
   * {@code residents} people each completing the sms-pulse form in a loop, as a browser does (the
   * form, the answers posted, the check page, the send, the confirmation), waiting {@code thinkMs}
   * between pages, for {@code seconds} after {@code warmupMs} (pages answered before then are not counted).
   */
  static WebRun residents(String base, int residents, long thinkMs, long warmupMs, long seconds)
      throws InterruptedException {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
    Map<String, ConcurrentLinkedQueue<Long>> pages = new ConcurrentHashMap<>();
    AtomicLong errors = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
    AtomicBoolean going = new AtomicBoolean(true);
    long measureFrom = System.nanoTime() + warmupMs * 1_000_000;
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < residents; i++) {
      int resident = i;
      Thread thread = new Thread(() -> {
        Resident r = new Resident(http, base, pages, errors, samples, measureFrom);
        sleep((long) (Math.random() * thinkMs));  // arrivals spread over the first think time
        while (going.get()) {
          if (r.completeOnce(resident, thinkMs, going) && System.nanoTime() >= measureFrom) {
            sent.incrementAndGet();
          }
        }
      });
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    Thread.sleep(warmupMs + seconds * 1000);
    going.set(false);
    for (Thread thread : threads) {
      thread.join(60_000);
    }
    Map<String, long[]> byPage = new LinkedHashMap<>();
    for (String page : List.of("form", "answers", "check page", "send", "confirmation")) {
      ConcurrentLinkedQueue<Long> times = pages.getOrDefault(page, new ConcurrentLinkedQueue<>());
      byPage.put(page, times.stream().mapToLong(Long::longValue).toArray());
    }
    return new WebRun(byPage, errors.get(), sent.get(), samples.stream().limit(5).toList());
  }

  private record Resident(java.net.http.HttpClient http, String base, Map<String, ConcurrentLinkedQueue<Long>> pages,
      AtomicLong errors, ConcurrentLinkedQueue<String> samples, long measureFrom) {
    boolean completeOnce(int resident, long thinkMs, AtomicBoolean going) {
      Map<String, String> cookies = new LinkedHashMap<>();
      HttpResponse<String> form = timed("form", get(base + "/surveys/sms-pulse?lang=en", cookies), 200);
      if (form == null) {
        return false;
      }
      keep(cookies, form);
      Matcher csrf = CSRF.matcher(form.body());
      if (!csrf.find()) {
        fail("form without csrf");
        return false;
      }
      sleep(thinkMs);
      String answers = "csrf=" + csrf.group(1) + "&feel_safe_now=" + (1 + resident % 5) + "&ward=E05000005&main_worry="
          + URLEncoder.encode(WORRIES[resident % WORRIES.length], StandardCharsets.UTF_8) + "&contact_ok=false";
      HttpResponse<String> posted = timed("answers", post(base + "/surveys/sms-pulse", answers, cookies), 303);
      if (posted == null) {
        return false;
      }
      keep(cookies, posted);
      HttpResponse<String> check = timed("check page", get(location(posted), cookies), 200);
      if (check == null) {
        return false;
      }
      sleep(thinkMs);
      if (!going.get()) {
        return false;
      }
      HttpResponse<String> send = timed("send", post(base + "/surveys/sms-pulse/check", "csrf=" + csrf.group(1), cookies), 303);
      if (send == null) {
        return false;
      }
      keep(cookies, send);
      HttpResponse<String> done = timed("confirmation", get(location(send), cookies), 200);
      sleep(thinkMs);
      return done != null;
    }

    private String location(HttpResponse<String> redirect) {
      return URI.create(base + "/").resolve(redirect.headers().firstValue("Location").orElse("/")).toString();
    }

    private HttpResponse<String> timed(String page, HttpRequest request, int expected) {
      long begin = System.nanoTime();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (begin >= measureFrom) {
          pages.computeIfAbsent(page, p -> new ConcurrentLinkedQueue<>()).add(System.nanoTime() - begin);
        }
        if (response.statusCode() != expected) {
          fail(page + " -> " + response.statusCode());
          return null;
        }
        return response;
      } catch (Exception e) {
        fail(page + " -> " + e);
        return null;
      }
    }

    private void fail(String why) {
      errors.incrementAndGet();
      samples.add(why);
    }
  }

  private static HttpRequest get(String url, Map<String, String> cookies) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Accept", "text/html");
    withCookies(builder, cookies);
    return builder.build();
  }

  /** A form POST as a browser sends it, with the cookies kept so far. */
  public static HttpRequest post(String url, String form, Map<String, String> cookies) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    withCookies(builder, cookies);
    return builder.build();
  }

  private static void withCookies(HttpRequest.Builder builder, Map<String, String> cookies) {
    if (!cookies.isEmpty()) {
      builder.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }
  }

  /** Keeps the cookies a response sets, as a browser does. */
  public static void keep(Map<String, String> cookies, HttpResponse<String> response) {
    for (String header : response.headers().allValues("Set-Cookie")) {
      String pair = header.split(";", 2)[0];
      int eq = pair.indexOf('=');
      if (eq > 0) {
        cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
