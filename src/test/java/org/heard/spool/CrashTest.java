package org.heard.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.HeardProcess;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.privacy.Pseudonyms;
import org.heard.response.Channel;
import org.heard.response.ResponseService;
import org.heard.sms.TwilioSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill test: a real Heard process under a steady load on every channel (API, web form, SMS) is
 * killed with SIGKILL at random moments, restarted each time on the same data directory, and at the
 * end every response it acknowledged is stored exactly once. {@code heard.crash.kills} (default 5)
 * and {@code heard.crash.seed} tune it; the README names the command for a longer run.
 */
class CrashTest {
  private static final String SECRET = "crash-test-secret-0123456789abcdef0123";
  private static final String TOKEN = "crash-test-twilio-token";
  private static final String PUBLIC_URL = "https://heard.example.org";
  private static final String PULSE = "{\"answers\": {\"feel_safe_now\": 2, \"ward\": \"E05000001\"}}";

  @TempDir
  Path dir;

  private volatile String url;
  private final AtomicBoolean loading = new AtomicBoolean(true);
  private final Set<String> acknowledgedIds = ConcurrentHashMap.newKeySet();
  private final Map<String, String> channelOf = new ConcurrentHashMap<>();
  private final Set<String> acknowledgedSmsNumbers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger attempts = new AtomicInteger();

  @Test
  void everyAcknowledgedResponseSurvivesSigkill() throws Exception {
    int kills = Integer.getInteger("heard.crash.kills", 5);
    Random random = new Random(Long.getLong("heard.crash.seed", 20261124L));
    Path surveys = TestServer.testSurveys(dir.resolve("surveys"));
    HeardProcess process = start(surveys);
    List<Thread> load = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      load.add(daemon(this::apiLoad, "api-" + i));
    }
    for (int i = 0; i < 2; i++) {
      load.add(daemon(this::webLoad, "web-" + i));
    }
    for (int i = 0; i < 2; i++) {
      int worker = i;
      load.add(daemon(() -> smsLoad(worker), "sms-" + i));
    }
    try {
      for (int kill = 0; kill < kills; kill++) {
        Thread.sleep(800 + random.nextInt(2200));
        process.kill();
        process = start(surveys);
      }
      Thread.sleep(1500);
      loading.set(false);
      for (Thread thread : load) {
        thread.join(30_000);
      }
      process.stop(); // SIGTERM at the end, as an operator would
    } finally {
      loading.set(false);
      process.close();
    }

    assertTrue(acknowledgedIds.size() > 20, "the load produced acknowledged responses: " + acknowledgedIds.size());
    // Six runs of logs under load, crashes and replays: no personal data, no secret.
    String logs = java.nio.file.Files.readString(dir.resolve("stderr.txt"));
    for (String privateText : List.of("+44770", "447700", "Streetlights out", "Noise", SECRET, TOKEN)) {
      assertTrue(!logs.contains(privateText), "the logs contain " + privateText + ":\n" + logs);
    }
    try (TestServer heard = TestServer.start(dir, Map.of(Config.SECRET, SECRET, Config.TWILIO_AUTH_TOKEN, TOKEN))) {
      List<String> missing = new ArrayList<>();
      for (String id : acknowledgedIds) {
        if (heard.find("responses", new JsonObject().put("_id", id)).size() != 1) {
          missing.add(id + " (" + channelOf.get(id) + ")");
        }
      }
      Pseudonyms pseudonyms = new Pseudonyms(SECRET);
      for (String number : acknowledgedSmsNumbers) {
        int found = heard.find("responses", new JsonObject().put("channel", "sms").put("complete", true)
            .put("provenance.respondentKey", pseudonyms.respondentKey(number))).size();
        if (found != 1) {
          missing.add("sms " + number + " x" + found);
        }
      }
      if (!missing.isEmpty()) {
        java.nio.file.Files.createDirectories(Path.of("target"));
        java.nio.file.Files.copy(dir.resolve("stderr.txt"), Path.of("target", "crash-stderr.txt"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      System.out.printf("crash test: %d responses and %d SMS conversations acknowledged over %d SIGKILLs, "
          + "%d missing%n", acknowledgedIds.size(), acknowledgedSmsNumbers.size(), kills, missing.size());
      assertEquals(List.of(), missing, acknowledgedIds.size() + " responses and " + acknowledgedSmsNumbers.size()
          + " SMS conversations acknowledged over " + kills + " kills (" + attempts.get() + " attempts)");
    }
  }

  private static Thread daemon(Runnable work, String name) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private HeardProcess start(Path surveys) throws Exception {
    HeardProcess process = HeardProcess.start(dir, surveys, Map.of(Config.SECRET, SECRET, Config.TWILIO_AUTH_TOKEN,
        TOKEN, Config.PUBLIC_URL, PUBLIC_URL, Config.WEB_POSTS_PER_MINUTE, "100000",
        Config.WEB_NEW_FORMS_PER_HOUR, "10000000", Config.WEB_SENDS_PER_MINUTE, "10000000"));
    url = process.url();
    return process;
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HttpResponse<String> send(HttpRequest.Builder request) {
    attempts.incrementAndGet();
    try {
      return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      pause();
      return null;  // the process was killed under us: not acknowledged, try again
    }
  }

  private void apiLoad() {
    int n = 0;
    while (loading.get()) {
      String key = Thread.currentThread().getName() + "-" + n++;
      HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/surveys/sms-pulse/responses"))
          .header("Content-Type", "application/json").header("Idempotency-Key", key)
          .POST(HttpRequest.BodyPublishers.ofString(PULSE)));
      if (response != null && (response.statusCode() == 201 || response.statusCode() == 202)) {
        String id = new JsonObject(response.body()).getString("id");
        acknowledgedIds.add(id);
        channelOf.put(id, "api " + response.statusCode() + " " + key);
      }
    }
  }

  private void webLoad() {
    Pattern csrfField = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    while (loading.get()) {
      CookieManager cookies = new CookieManager();
      HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(2)).build();
      try {
        String base = url;
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(base + "/surveys/sms-pulse?lang=en"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher csrf = csrfField.matcher(page.body());
        if (!csrf.find()) {
          continue;
        }
        String form = "csrf=" + csrf.group(1) + "&feel_safe_now=4&ward=E05000004&main_worry=Noise&contact_ok=false";
        HttpResponse<String> next = browser.send(post(base + "/surveys/sms-pulse", form), HttpResponse.BodyHandlers.ofString());
        if (next.statusCode() != 303) {
          continue;
        }
        HttpResponse<String> done = browser.send(post(base + "/surveys/sms-pulse/check", "csrf=" + csrf.group(1)),
            HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() == 303 && done.headers().firstValue("Location").orElse("").endsWith("/done")) {
          HttpCookie token = cookies.getCookieStore().getCookies().stream()
              .filter(c -> c.getName().equals("heard_form_sms_pulse")).findFirst().orElseThrow();
          String id = ResponseService.responseIdFor(Channel.WEB, "sms-pulse", token.getValue());
          acknowledgedIds.add(id);
          channelOf.put(id, "web");
        }
      } catch (Exception killed) {
        pause();  // not acknowledged
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static HttpRequest post(String url, String form) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
  }

  private void smsLoad(int worker) {
    int conversation = 0;
    AtomicInteger sid = new AtomicInteger();
    while (loading.get()) {
      String number = String.format("+4477009%02d%04d", worker, conversation++);
      String last = null;
      for (String text : List.of("PULSE", "4", "a", "Streetlights out", "no")) {
        last = text(number, text, "SM" + worker + "x" + number.substring(1) + "x" + sid.incrementAndGet());
        if (last == null) {
          break;
        }
      }
      if (last != null && last.contains("Thank you")) {
        acknowledgedSmsNumbers.add(number);
      }
    }
  }

  private String text(String from, String body, String messageSid) {
    Map<String, String> params = new java.util.LinkedHashMap<>();
    params.put("From", from);
    params.put("Body", body);
    params.put("MessageSid", messageSid);
    String signature = TwilioSignature.compute(TOKEN, PUBLIC_URL + "/sms/twilio", new ArrayList<>(params.entrySet()));
    String form = params.entrySet().stream().map(e -> e.getKey() + "="
        + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).reduce((a, b) -> a + "&" + b).orElseThrow();
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + "/sms/twilio"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(form)));
    return response != null && response.statusCode() == 200 ? response.body() : null;
  }
}
