package org.heard.webform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.heard.TestServer;
import org.heard.response.ResponseStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The residents' web form over HTTP with JavaScript off: a browser's requests, cookies and all. */
class WebFormTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @RegisterExtension
  static final TestServer heard = TestServer.forClass();

  private HttpClient browser;

  /** Each test is a new visitor with an empty cookie jar. */
  @BeforeEach
  void newVisitor() {
    browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return browser.send(HttpRequest.newBuilder(heard.uri(path)).header("Accept", "text/html").GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String form) throws Exception {
    return browser.send(HttpRequest.newBuilder(heard.uri(path)).header("Accept", "text/html")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String form(String csrf, Map<String, List<String>> fields) {
    String encoded = fields.entrySet().stream().flatMap(e -> e.getValue().stream()
            .map(v -> e.getKey() + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)))
        .collect(Collectors.joining("&"));
    return "csrf=" + csrf + (encoded.isEmpty() ? "" : "&" + encoded);
  }

  private static String csrf(HttpResponse<String> page) {
    Matcher m = CSRF.matcher(page.body());
    assertTrue(m.find(), "the form carries a CSRF token");
    return m.group(1);
  }

  private static String location(HttpResponse<String> response) {
    assertEquals(303, response.statusCode(), response.body());
    return response.headers().firstValue("Location").orElseThrow();
  }

  private long webResponses() {
    return heard.find(ResponseStore.COLLECTION, new JsonObject().put("channel", "web")).size();
  }

  /** Answers sms-pulse's only page and returns the CSRF token. */
  private String answerPulse(String worry) throws Exception {
    String csrf = csrf(get("/surveys/sms-pulse?lang=en"));
    String next = location(post("/surveys/sms-pulse", form(csrf, Map.of("feel_safe_now", List.of("4"),
        "ward", List.of("E05000003"), "main_worry", List.of(worry), "contact_ok", List.of("false")))));
    assertEquals("/surveys/sms-pulse/check", next);
    return csrf;
  }

  @Test
  void anAnswerFarOverItsLimitComesBackOnTheFormWithTheLimitNamed() throws Exception {
    String csrf = csrf(get("/surveys/sms-pulse?lang=en"));
    // Emoji and Polish letters, far over main_worry's 300 characters and about 25 KB once form-encoded.
    String worry = "Ciemno 🌑 i głośno 🔊 ".repeat(500);
    HttpResponse<String> page = post("/surveys/sms-pulse", form(csrf, Map.of("feel_safe_now", List.of("4"),
        "ward", List.of("E05000003"), "main_worry", List.of(worry), "contact_ok", List.of("false"))));
    assertEquals(422, page.statusCode(), page.body().substring(0, Math.min(300, page.body().length())));
    assertTrue(page.body().contains("What worries you most about safety where you live? – Your answer must be 300 "
        + "characters or fewer"), "the error summary names the question and its limit");
    assertTrue(page.body().contains("Ciemno 🌑 i głośno 🔊"), "what the person typed is on the page again");
  }

  @Test
  void surveyListIsInTheChosenLanguageAndTheChoiceIsKept() throws Exception {
    HttpResponse<String> polish = get("/?lang=pl");
    assertEquals(200, polish.statusCode());
    assertTrue(polish.body().contains("<html lang=\"pl\">"));
    assertTrue(polish.body().contains("Jak bezpiecznie czujesz się w swojej okolicy?"));
    assertFalse(polish.body().contains("closed-2020"), "closed surveys are not listed");
    assertTrue(polish.body().contains("lang=\"en\" hreflang=\"en\">English</a>"), "a link switches language");
    HttpResponse<String> again = get("/");
    assertTrue(again.body().contains("<html lang=\"pl\">"), "the language is kept in a cookie");
  }

  @Test
  void completingCommunitySafetyWithJavaScriptOffStoresOneWebResponse() throws Exception {
    long before = webResponses();
    String csrf = csrf(get("/surveys/community-safety?lang=pl"));
    String[][] pages = {
        {"1", "ward=E05000001&years_in_area=3"},
        {"2", "feel_safe_day=4&feel_safe_dark=2&concerns=asb&concerns=other"},
        {"3", "other_concern=Fajerwerki+w+parku&victim_last_year=no"},
        {"5", "what_would_help=%C5%9Awiat%C5%82o+w+parku&contact_ok=true"},
        {"6", "age_band=prefer_not_to_say&sex=female"},
    };
    String next = "/surveys/community-safety/page/1";
    for (String[] page : pages) {
      assertEquals("/surveys/community-safety/page/" + page[0], next, "skip logic decides the next page");
      next = location(post(next, "csrf=" + csrf + "&" + page[1]));
    }
    assertEquals("/surveys/community-safety/check", next);
    HttpResponse<String> check = get(next);
    assertTrue(check.body().contains("Fajerwerki w parku"));
    assertTrue(check.body().contains("Wolę nie odpowiadać"));
    assertEquals("/surveys/community-safety/done", location(post(next, "csrf=" + csrf)));
    HttpResponse<String> done = get("/surveys/community-safety/done");
    assertTrue(done.body().contains("href=\"/you-said-we-did?lang&#61;pl\""), done.body());
    assertEquals(200, get("/you-said-we-did?lang=pl").statusCode());

    assertEquals(before + 1, webResponses());
    JsonObject stored = heard.find(ResponseStore.COLLECTION, new JsonObject().put("channel", "web")
        .put("answers.other_concern", "Fajerwerki w parku")).get(0);
    assertEquals("pl", stored.getString("language"));
    JsonObject answers = stored.getJsonObject("answers");
    assertEquals(4, answers.getInteger("feel_safe_day"));
    assertEquals(List.of("asb", "other"), answers.getJsonArray("concerns").getList());
    assertTrue(answers.getBoolean("contact_ok"));
    assertEquals("prefer_not_to_say", answers.getString("age_band"));
    assertFalse(answers.containsKey("reported"), "a question skipped by show_if is not stored");
    assertFalse(stored.encode().contains("127.0.0.1"), "no IP address is stored");
  }

  @Test
  void errorsAreSummarisedNamedInlineAndAnswersKeptEscaped() throws Exception {
    String csrf = csrf(get("/surveys/sms-pulse?lang=en"));
    HttpResponse<String> page = post("/surveys/sms-pulse",
        form(csrf, Map.of("main_worry", List.of("<script>alert(1)</script>"))));
    assertEquals(422, page.statusCode());
    String html = page.body();
    assertTrue(html.contains("<title>Error: "), "the title starts with Error:");
    assertTrue(html.contains("class=\"error-summary\""));
    assertTrue(html.contains("<a href=\"#q-feel_safe_now-1\">How safe do you feel in your area today? – Answer this question</a>"),
        html);
    assertTrue(html.contains("id=\"q-feel_safe_now-1\""), "the summary link leads to the first radio");
    assertTrue(html.contains("action=\"/surveys/sms-pulse\""), "page 1 posts to POST /surveys/{id}");
    assertTrue(html.contains("id=\"q-ward-error\">Answer this question</p>"));
    assertTrue(html.contains("aria-describedby=\"q-ward-error\""));
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"), "the answer is kept, as text");
    assertFalse(html.contains("<script>alert"), "free text is never markup");
  }

  @Test
  void eachRuleShowsItsOwnMessage() throws Exception {
    String csrf = csrf(get("/surveys/community-safety?lang=en"));
    HttpResponse<String> first = post("/surveys/community-safety/page/1",
        form(csrf, Map.of("ward", List.of("E05000001"), "years_in_area", List.of("150"))));
    assertTrue(first.body().contains("Enter a number from 0 to 100"), first.body());
    HttpResponse<String> words = post("/surveys/community-safety/page/1",
        form(csrf, Map.of("ward", List.of("nowhere"), "years_in_area", List.of("ten"))));
    assertTrue(words.body().contains("Enter a number, like 12"));
    assertTrue(words.body().contains("Choose one of the options"));
    // "3,5" on the English form is neither 3.5 nor 35 for certain: asked again, never stored as 35.
    HttpResponse<String> comma = post("/surveys/community-safety/page/1",
        form(csrf, Map.of("ward", List.of("E05000001"), "years_in_area", List.of("3,5"))));
    assertEquals(422, comma.statusCode());
    assertTrue(comma.body().contains("Enter a number, like 12"), comma.body());
    HttpResponse<String> grouped = post("/surveys/community-safety/page/1",
        form(csrf, Map.of("ward", List.of("E05000001"), "years_in_area", List.of("1,000"))));
    assertTrue(grouped.body().contains("Enter a number from 0 to 100"), "1,000 is a thousand in English: " + grouped.body());
    HttpResponse<String> many = post("/surveys/community-safety/page/2", form(csrf, Map.of(
        "feel_safe_day", List.of("4"), "feel_safe_dark", List.of("9"),
        "concerns", List.of("asb", "drugs", "burglary", "speeding"))));
    assertTrue(many.body().contains("Choose up to 3"));
    assertTrue(many.body().contains("after dark? – Choose one of the options</a>"), many.body());
    HttpResponse<String> tooLong = post("/surveys/community-safety/page/5",
        form(csrf, Map.of("what_would_help", List.of("x".repeat(1001)))));
    assertTrue(tooLong.body().contains("Your answer must be 1,000 characters or fewer"), tooLong.body());
    assertTrue(tooLong.body().contains("href=\"#q-what_would_help-input\""));
    HttpResponse<String> polish = post("/surveys/community-safety/page/1?lang=pl",
        form(csrf, Map.of("years_in_area", List.of("5"))));
    assertTrue(polish.body().contains("Odpowiedz na to pytanie"), "messages are in the resident's language");
  }

  @Test
  void aFormWithoutTheCsrfTokenIsRefusedAndStoresNothing() throws Exception {
    long before = heard.count(ResponseStore.COLLECTION);
    answerPulse("Dark alleys");
    HttpResponse<String> forged = post("/surveys/sms-pulse/check", "csrf=forged");
    assertEquals(403, forged.statusCode());
    assertTrue(forged.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(forged.body().contains("sent from another site"));
    assertEquals(before, heard.count(ResponseStore.COLLECTION));
  }

  @Test
  void theHoneypotSilentlyStoresNothing() throws Exception {
    long before = heard.count(ResponseStore.COLLECTION);
    String csrf = answerPulse("Speeding");
    assertEquals("/surveys/sms-pulse/done", location(post("/surveys/sms-pulse/check",
        "csrf=" + csrf + "&website=http%3A%2F%2Fspam.example")));
    assertEquals(before, heard.count(ResponseStore.COLLECTION));
  }

  @Test
  void aDoubleClickOrResentSubmitStoresOneResponse() throws Exception {
    long before = heard.count(ResponseStore.COLLECTION);
    String csrf = answerPulse("Double click");
    assertEquals("/surveys/sms-pulse/done", location(post("/surveys/sms-pulse/check", "csrf=" + csrf)));
    assertEquals("/surveys/sms-pulse/done", location(post("/surveys/sms-pulse/check", "csrf=" + csrf)));
    assertEquals(before + 1, heard.count(ResponseStore.COLLECTION));
    List<JsonObject> submitted = heard.find(DraftStore.COLLECTION,
        new JsonObject().put("submittedResponseId", new JsonObject().put("$ne", null)));
    assertTrue(submitted.stream().allMatch(d -> d.getJsonObject("answers").isEmpty()),
        "a sent draft keeps no answers: they live in the response alone");
    // Coming back afterwards starts a new, empty form.
    HttpResponse<String> fresh = get("/surveys/sms-pulse");
    assertFalse(fresh.body().contains("Double click"));
  }

  @Test
  void abandonedDraftsAreDeletedAfterTheirRetention() throws Exception {
    String csrf = csrf(get("/surveys/community-safety?lang=en"));
    location(post("/surveys/community-safety", "csrf=" + csrf + "&ward=E05000004&years_in_area=41"));
    JsonObject recent = new JsonObject().put("answers.years_in_area", 41);
    assertEquals(1, heard.find(DraftStore.COLLECTION, recent).size());
    DraftStore store = new DraftStore(heard.mongo());
    assertEquals(0L, store.deleteUntouchedFor(java.time.Duration.ofDays(30)).await(), "a fresh draft is kept");
    assertTrue(store.deleteUntouchedFor(java.time.Duration.ZERO).await() >= 1);
    assertEquals(0, heard.find(DraftStore.COLLECTION, recent).size());
  }

  @Test
  void backLinksKeepAnswers() throws Exception {
    String csrf = csrf(get("/surveys/community-safety?lang=en"));
    location(post("/surveys/community-safety/page/1", "csrf=" + csrf + "&ward=E05000004&years_in_area=7"));
    HttpResponse<String> page2 = get("/surveys/community-safety/page/2");
    assertTrue(page2.body().contains("<a class=\"back-link\" href=\"/surveys/community-safety/page/1\">"));
    HttpResponse<String> back = get("/surveys/community-safety/page/1");
    assertTrue(back.body().contains("value=\"E05000004\" checked"), "the chosen area is still chosen");
    assertTrue(back.body().contains("value=\"7\""));
  }

  @Test
  void unknownSurveyOrPageIsA404PageForPeople() throws Exception {
    HttpResponse<String> missing = get("/surveys/nope");
    assertEquals(404, missing.statusCode());
    assertTrue(missing.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertEquals(404, get("/surveys/sms-pulse/page/9").statusCode());
    assertEquals(409, get("/surveys/closed-2020").statusCode());
  }
}
