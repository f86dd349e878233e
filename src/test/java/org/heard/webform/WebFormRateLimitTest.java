package org.heard.webform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.response.ResponseStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web form's limits count form sessions and surveys, not addresses: every resident behind one
 * address (here all come from 127.0.0.1) completes the form, while a script that floods it with
 * one session, with fresh sessions, or with many sends is slowed down, and no answer is lost.
 */
class WebFormRateLimitTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final String PAGE = "feel_safe_now=4&ward=E05000003&contact_ok=false&main_worry=";
  private static final String SHORT_SURVEY = """
      id: %s
      version: 1
      title: {en: Quick}
      languages: [en]
      channels: {web: true}
      questions:
        - {id: worry, type: text, text: {en: What worries you?}}
      """;

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.WEB_POSTS_PER_MINUTE, "5",
          Config.WEB_NEW_FORMS_PER_HOUR, "300", Config.WEB_SENDS_PER_MINUTE, "250"))
      .withSurvey("flood.yaml", SHORT_SURVEY.formatted("flood"))
      .withSurvey("busy.yaml", SHORT_SURVEY.formatted("busy"));

  /** One connection pool for every resident, as a shared connection's proxy would hold. */
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** One person's browser: its own cookies, so its own form session. */
  private static final class Resident {
    private final Map<String, String> cookies = new ConcurrentHashMap<>();
    private String csrf;

    private HttpRequest.Builder request(String path) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(heard.uri(path)).header("Accept", "text/html");
      if (!cookies.isEmpty()) {
        builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("; ")));
      }
      return builder;
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      for (String set : response.headers().allValues("Set-Cookie")) {
        String pair = set.split(";", 2)[0];
        cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      }
      return response;
    }

    HttpResponse<String> get(String path) throws Exception {
      HttpResponse<String> page = send(request(path).GET().build());
      Matcher m = CSRF.matcher(page.body());
      if (m.find()) {
        csrf = m.group(1);
      }
      return page;
    }

    HttpResponse<String> post(String path, String fields) throws Exception {
      return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&" + fields)).build());
    }
  }

  private static String encoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void twoHundredResidentsBehindOneAddressEachCompleteTheForm() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String worry = "Resident " + i + " worries about the underpass";
        outcomes.add(pool.submit(() -> {
          Resident resident = new Resident();
          resident.get("/surveys/sms-pulse?lang=en");
          HttpResponse<String> page = resident.post("/surveys/sms-pulse", PAGE + encoded(worry));
          HttpResponse<String> sent = resident.post("/surveys/sms-pulse/check", "");
          return page.statusCode() + " " + sent.statusCode() + " " + sent.headers().firstValue("Location").orElse("");
        }));
      }
      for (Future<String> outcome : outcomes) {
        assertEquals("303 303 /surveys/sms-pulse/done", outcome.get());
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(200, heard.find(ResponseStore.COLLECTION,
        new JsonObject().put("answers.main_worry", new JsonObject().put("$regex", "^Resident \\d+ worries"))).size());
  }

  @Test
  void oneSessionSendingPageAfterPageIsSlowedDown() throws Exception {
    Resident script = new Resident();
    script.get("/surveys/sms-pulse?lang=en");
    for (int i = 0; i < 5; i++) {
      assertEquals(303, script.post("/surveys/sms-pulse", PAGE + "again").statusCode(), "post " + (i + 1));
    }
    HttpResponse<String> refused = script.post("/surveys/sms-pulse", PAGE + "again");
    assertEquals(429, refused.statusCode());
    assertEquals("60", refused.headers().firstValue("Retry-After").orElse(""));
    assertTrue(refused.body().contains("wait a minute"), refused.body());
  }

  @Test
  void aScriptStartingFreshSessionsFromOneAddressIsSlowedDown() throws Exception {
    for (int i = 0; i < 300; i++) {
      Resident fresh = new Resident();
      fresh.get("/surveys/flood");
      assertEquals(303, fresh.post("/surveys/flood", "worry=spam+" + i).statusCode(), "new session " + (i + 1));
    }
    Resident oneMore = new Resident();
    oneMore.get("/surveys/flood");
    assertEquals(429, oneMore.post("/surveys/flood", "worry=spam").statusCode());
    Resident elsewhere = new Resident();
    elsewhere.get("/surveys/sms-pulse");
    assertEquals(303, elsewhere.post("/surveys/sms-pulse", PAGE + "other+survey").statusCode(),
        "another survey is counted apart");
  }

  @Test
  void beyondASurveysSendsPerMinuteAnswersAreKeptAndTheResidentIsAskedToWait() throws Exception {
    long before = heard.count(ResponseStore.COLLECTION);
    for (int i = 0; i < 250; i++) {
      Resident resident = new Resident();
      resident.get("/surveys/busy");
      resident.post("/surveys/busy", "worry=queue+" + i);
      assertEquals(303, resident.post("/surveys/busy/check", "").statusCode(), "send " + (i + 1));
    }
    Resident late = new Resident();
    late.get("/surveys/busy");
    late.post("/surveys/busy", "worry=" + encoded("The late bus <never> comes"));
    HttpResponse<String> busy = late.post("/surveys/busy/check", "");
    assertEquals(429, busy.statusCode());
    assertTrue(busy.body().contains("A lot of people are sending answers right now"), busy.body());
    assertTrue(busy.body().contains("The late bus &lt;never&gt; comes"), "the answers are on the page, kept");
    assertEquals(before + 250, heard.count(ResponseStore.COLLECTION));
    assertTrue(late.get("/surveys/busy/check").body().contains("The late bus &lt;never&gt; comes"),
        "and kept in the draft, to send once the minute is over");
  }
}
