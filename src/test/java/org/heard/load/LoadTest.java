package org.heard.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.TestServer;
import org.heard.bench.LoadClients;
import org.heard.config.Config;
import org.heard.privacy.Pseudonyms;
import org.heard.response.Channel;
import org.heard.response.ResponseService;
import org.heard.sms.TwilioSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load test: 200 simulated residents completing the web form and 50 SMS conversations at once,
 * first against one server, then against two server instances on one database (each resident
 * alternating between them). It reports throughput, p50/p99 latency, errors and heap, and checks
 * that every acknowledged response is stored exactly once with the answers given, in both setups.
 * The suite runs it for {@code heard.load.seconds} (default 8) per setup; the README has the
 * command for the full two minutes.
 */
class LoadTest {
  private static final int WEB_RESIDENTS = Integer.getInteger("heard.load.web", 200);
  private static final int SMS_RESIDENTS = Integer.getInteger("heard.load.sms", 50);
  private static final long SECONDS = Long.getLong("heard.load.seconds", 8);
  private static final String SECRET = "load-test-secret-0123456789abcdef012345";
  private static final String TOKEN = "load-test-token";
  private static final String PUBLIC_URL = "http://heard.example.org";
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final JsonObject WEB_ANSWERS = new JsonObject().put("feel_safe_now", 3).put("ward", "E05000005")
      .put("main_worry", "Cars racing at night").put("contact_ok", false);
  private static final JsonObject SMS_ANSWERS = new JsonObject().put("feel_safe_now", 4).put("ward", "E05000002")
      .put("main_worry", "Broken lights").put("contact_ok", false);

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  /** What one run measured. */
  private static final class Run {
    final ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final Set<String> webIds = ConcurrentHashMap.newKeySet();
    final Set<String> smsNumbers = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    volatile long peakHeap;
    double seconds;

    String report(String name) {
      long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
      double p50 = all.length == 0 ? 0 : all[all.length / 2] / 1e6;
      double p99 = all.length == 0 ? 0 : all[(int) (all.length * 0.99)] / 1e6;
      return String.format(Locale.ROOT, "%-26s %7.1f req/s  %5d web + %4d SMS responses  p50 %6.1f ms  p99 %7.1f ms"
              + "  errors %d  peak heap %d MiB", name, requests.get() / seconds, webIds.size(), smsNumbers.size(), p50,
          p99, errors.get(), peakHeap / (1024 * 1024));
    }
  }

  @Test
  void manyResidentsAtOnceOnOneAndOnTwoInstances() throws Exception {
    // This measures capacity, so the web form's limits (WebFormRateLimitTest checks them) are lifted.
    Map<String, String> env = Map.of(Config.SECRET, SECRET, Config.TWILIO_AUTH_TOKEN, TOKEN,
        Config.PUBLIC_URL, PUBLIC_URL, Config.WEB_POSTS_PER_MINUTE, "100000",
        Config.WEB_NEW_FORMS_PER_HOUR, "10000000", Config.WEB_SENDS_PER_MINUTE, "10000000");
    List<String> report = new ArrayList<>();
    try (TestServer one = TestServer.start(dir.resolve("one"), env)) {
      Run single = load(List.of(base(one)));
      verify(one, single);
      report.add(single.report("one instance"));

      Map<String, String> second = new HashMap<>(env);
      second.put(Config.MONGODB_URI, one.server().databaseConnectionString());
      try (TestServer two = TestServer.start(dir.resolve("two"), second)) {
        Run pair = load(List.of(base(one), base(two)));
        verify(one, pair);
        report.add(pair.report("two instances, one db"));
      }
    }
    String text = String.join("\n", report) + "\n(" + WEB_RESIDENTS + " web residents and " + SMS_RESIDENTS
        + " SMS conversations at once, " + SECONDS + " s per setup)\n";
    System.out.print(text);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "load-report.txt"), text);
  }

  private static String base(TestServer server) {
    return "http://127.0.0.1:" + server.server().port();
  }

  private Run load(List<String> bases) throws Exception {
    Run run = new Run();
    AtomicBoolean going = new AtomicBoolean(true);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < WEB_RESIDENTS; i++) {
      int resident = i;
      threads.add(thread(() -> webResident(bases, resident, going, run)));
    }
    for (int i = 0; i < SMS_RESIDENTS; i++) {
      int resident = i;
      threads.add(thread(() -> smsResident(bases, resident, going, run)));
    }
    Thread heap = thread(() -> {
      while (going.get()) {
        Runtime runtime = Runtime.getRuntime();
        run.peakHeap = Math.max(run.peakHeap, runtime.totalMemory() - runtime.freeMemory());
        sleep(250);
      }
    });
    long start = System.nanoTime();
    Thread.sleep(SECONDS * 1000);
    going.set(false);
    for (Thread t : threads) {
      t.join(60_000);
    }
    heap.join();
    run.seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(0, run.errors.get(), "errors: " + run.errorSamples.stream().limit(5).toList());
    return run;
  }

  private static Thread thread(Runnable work) {
    Thread t = new Thread(work);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends one request, timing it; a transport failure or an unexpected status is an error. */
  private HttpResponse<String> timed(Run run, long[] times, int[] count, HttpRequest request, int expected) {
    long begin = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (count[0] < times.length) {
        times[count[0]++] = System.nanoTime() - begin;
      }
      run.requests.incrementAndGet();
      if (response.statusCode() != expected) {
        run.errors.incrementAndGet();
        run.errorSamples.add(request.uri().getPath() + " -> " + response.statusCode());
        return null;
      }
      return response;
    } catch (Exception e) {
      run.errors.incrementAndGet();
      run.errorSamples.add(request.uri().getPath() + " -> " + e);
      return null;
    }
  }

  private void webResident(List<String> bases, int resident, AtomicBoolean going, Run run) {
    long[] times = new long[200_000];
    int[] count = {0};
    int step = resident;
    while (going.get()) {
      Map<String, String> cookies = new LinkedHashMap<>();
      String base = bases.get(step++ % bases.size());
      HttpResponse<String> page = timed(run, times, count, HttpRequest.newBuilder(URI.create(base
          + "/surveys/sms-pulse?lang=en")).timeout(Duration.ofSeconds(30)).build(), 200);
      if (page == null) {
        continue;
      }
      LoadClients.keep(cookies, page);
      Matcher csrf = CSRF.matcher(page.body());
      if (!csrf.find()) {
        run.errors.incrementAndGet();
        continue;
      }
      String form = "csrf=" + csrf.group(1) + "&feel_safe_now=3&ward=E05000005&main_worry="
          + URLEncoder.encode("Cars racing at night", StandardCharsets.UTF_8) + "&contact_ok=false";
      base = bases.get(step++ % bases.size());
      HttpResponse<String> next = timed(run, times, count, LoadClients.post(base + "/surveys/sms-pulse", form, cookies), 303);
      if (next == null) {
        continue;
      }
      LoadClients.keep(cookies, next);
      base = bases.get(step++ % bases.size());
      HttpResponse<String> done = timed(run, times, count, LoadClients.post(base + "/surveys/sms-pulse/check",
          "csrf=" + csrf.group(1), cookies), 303);
      if (done != null && cookies.containsKey("heard_form_sms_pulse")) {
        run.webIds.add(ResponseService.responseIdFor(Channel.WEB, "sms-pulse", cookies.get("heard_form_sms_pulse")));
      }
    }
    run.latencies.add(Arrays.copyOf(times, count[0]));
  }

  private void smsResident(List<String> bases, int resident, AtomicBoolean going, Run run) {
    long[] times = new long[200_000];
    int[] count = {0};
    int conversation = 0;
    int step = resident;
    String phase = String.valueOf(bases.size());
    while (going.get()) {
      String number = String.format("+44770%s%02d%04d", phase, resident, conversation++);
      String last = null;
      int message = 0;
      for (String text : List.of("PULSE", "4", "b", "Broken lights", "no")) {
        String base = bases.get(step++ % bases.size());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("From", number);
        params.put("Body", text);
        params.put("MessageSid", "SM" + number.substring(1) + "m" + message++);
        String signature = TwilioSignature.compute(TOKEN, PUBLIC_URL + "/sms/twilio", new ArrayList<>(params.entrySet()));
        String form = params.entrySet().stream().map(e -> e.getKey() + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).reduce((a, b) -> a + "&" + b).orElseThrow();
        HttpResponse<String> reply = timed(run, times, count, HttpRequest.newBuilder(URI.create(base + "/sms/twilio"))
            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Twilio-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(form)).build(), 200);
        if (reply == null) {
          last = null;
          break;
        }
        last = reply.body();
      }
      if (last != null && last.contains("Thank you")) {
        run.smsNumbers.add(number);
      } else if (last != null) {
        run.errors.incrementAndGet();
        run.errorSamples.add("conversation did not finish: " + last);
      }
    }
    run.latencies.add(Arrays.copyOf(times, count[0]));
  }

  /** Every acknowledged response is stored exactly once, with the answers that were given. */
  private static void verify(TestServer server, Run run) {
    List<String> ids = new ArrayList<>(run.webIds);
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + 500));
      List<JsonObject> found = server.find("responses", new JsonObject().put("_id",
          new JsonObject().put("$in", new JsonArray(new ArrayList<>(batch)))));
      assertEquals(batch.size(), found.size(), "every acknowledged web response is stored");
      found.forEach(r -> assertEquals(WEB_ANSWERS, r.getJsonObject("answers")));
    }
    // One read of every SMS response, not one scan per number (respondent keys are not indexed).
    Map<String, List<JsonObject>> smsByKey = new HashMap<>();
    server.find("responses", new JsonObject().put("channel", "sms")).forEach(r -> smsByKey
        .computeIfAbsent(r.getJsonObject("provenance").getString("respondentKey"), k -> new ArrayList<>()).add(r));
    Pseudonyms pseudonyms = new Pseudonyms(SECRET);
    for (String number : run.smsNumbers) {
      List<JsonObject> found = smsByKey.getOrDefault(pseudonyms.respondentKey(number), List.of());
      assertEquals(1, found.size(), number);
      assertEquals(SMS_ANSWERS, found.get(0).getJsonObject("answers"));
      assertTrue(found.get(0).getBoolean("complete"));
    }
    assertTrue(run.webIds.size() > 0 && run.smsNumbers.size() > 0, "the load produced responses on both channels");
  }
}
