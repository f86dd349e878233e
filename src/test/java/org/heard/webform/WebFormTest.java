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
  static final TestServer heard = TestServer.forClass().withSurvey("kinds.yaml", """
      id: kinds
      version: 1
      title: {en: Kinds, pl: Rodzaje}
      languages: [en, pl]
      channels: {web: true}
      questions:
        - {id: pick, type: single_choice, required: true, text: {en: Pick one?, pl: Wybierz?}, options: [a, b]}
        - {id: ticks, type: multi_choice, required: true, text: {en: Tick some?, pl: Zaznacz?}, options: [a, b]}
        - {id: words, type: text, required: true, max_length: 80, text: {en: Say something?, pl: Powiedz coś?}}
        - {id: count, type: number, required: true, text: {en: How many?, pl: Ile?}}
        - {id: help, type: multi_choice, monitoring: true, text: {en: Help?, pl: Pomoc?}, options: [a, b]}
      """);

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
    assertTrue(page.body().contains("The answer to “What worries you most about safety where you live?” must be 300 "
        + "characters or fewer"), "the error summary names the question and its limit");
    assertTrue(page.body().contains("Ciemno 🌑 i głośno 🔊"), "what the person typed is on the page again");
  }

  @Test
  void surveyListIsInTheChosenLanguageAndTheChoiceIsKept() throws Exception {
    HttpResponse<String> polish = get("/?lang=pl");
    assertEquals(200, polish.statusCode());
    assertTrue(polish.body().contains("<html lang=\"pl\" dir=\"ltr\">"));
    assertTrue(polish.body().contains("Jak bezpiecznie czujesz się w swojej okolicy?"));
    assertFalse(polish.body().contains("closed-2020"), "closed surveys are not listed");
    assertTrue(polish.body().contains("lang=\"en\" hreflang=\"en\">English</a>"), "a link switches language");
    HttpResponse<String> again = get("/");
    assertTrue(again.body().contains("<html lang=\"pl\" dir=\"ltr\">"), "the language is kept in a cookie");
  }

  @Test
  void completingCommunitySafetyWithJavaScriptOffStoresOneWebResponse() throws Exception {
    long before = webResponses();
    String csrf = csrf(get("/surveys/community-safety?lang=pl"));
    String[][] pages = {
        {"1", "ward=E05000001&years_in_area=3"},
        {"2", "feel_safe_day=4&feel_safe_dark=2&concerns=asb&concerns=other&other_concern=Fajerwerki+w+parku"
            + "&victim_last_year=no"},
        {"4", "what_would_help=%C5%9Awiat%C5%82o+w+parku&contact_ok=true&contact_ok.phone=07700+900+982"},
        {"5", "age_band=prefer_not_to_say&sex=female"},
    };
    String next = "/surveys/community-safety/page/1";
    for (String[] page : pages) {
      assertEquals("/surveys/community-safety/page/" + page[0], next, "skip logic decides the next page");
      if (page[0].equals("4")) {
        // A yes to being texted back asks for the number, in the form's language.
        HttpResponse<String> noNumber = post(next, "csrf=" + csrf + "&what_would_help=x&contact_ok=true");
        assertEquals(422, noNumber.statusCode());
        assertTrue(noNumber.body().contains("<a href=\"#q-contact_ok-phone-input\">Wpisz numer telefonu komórkowego "
            + "lub wybierz Nie w pytaniu „Czy możemy wysłać Ci SMS"), noNumber.body());
        assertTrue(noNumber.body().contains("type=\"tel\" autocomplete=\"tel\""), "a telephone field");
      }
      next = location(post(next, "csrf=" + csrf + "&" + page[1]));
    }
    assertEquals("/surveys/community-safety/check", next);
    HttpResponse<String> check = get(next);
    assertTrue(check.body().contains("Tak, SMS na numer 07700 900982"), "the number is shown to check");
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
    assertTrue(stored.getJsonObject("provenance").getString("respondentKey").matches("[0-9a-f]{40}"),
        "the number's respondent key, never the number: " + stored.getJsonObject("provenance"));
    assertFalse(stored.encode().contains("900982"));
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
    assertTrue(html.contains("<a href=\"#q-feel_safe_now-1\">Select an answer to “How safe do you feel in your area "
        + "today?”</a>"), html);
    assertTrue(html.contains("id=\"q-feel_safe_now-1\""), "the summary link leads to the first radio");
    assertTrue(html.contains("action=\"/surveys/sms-pulse\""), "page 1 posts to POST /surveys/{id}");
    assertTrue(html.contains("id=\"q-ward-error\">Select an answer to “Which area do you live in?”</p>"), html);
    assertTrue(html.contains("aria-describedby=\"q-ward-error\""));
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"), "the answer is kept, as text");
    assertFalse(html.contains("<script>alert"), "free text is never markup");
  }

  /** The message shown by the question, and the same words in the error summary. */
  private static void assertError(HttpResponse<String> page, String question, String message) {
    assertEquals(422, page.statusCode());
    assertTrue(page.body().contains("id=\"q-" + question + "-error\">" + message + "</p>"),
        "by " + question + ": " + message + "\n" + page.body());
    assertTrue(page.body().contains("\">" + message + "</a></li>"), "in the summary: " + message);
  }

  @Test
  void eachRuleShowsItsOwnMessageNamingTheQuestionInEachLanguage() throws Exception {
    String csrf = csrf(get("/surveys/community-safety?lang=en"));
    String years = "How many years have you lived in this area?";
    assertError(post("/surveys/community-safety/page/1", form(csrf, Map.of("years_in_area", List.of("150")))),
        "ward", "Select an answer to “Which area do you live in?”");
    assertError(post("/surveys/community-safety/page/1",
        form(csrf, Map.of("ward", List.of("E05000001"), "years_in_area", List.of("150")))),
        "years_in_area", "The answer to “" + years + "” must be a number from 0 to 100");
    HttpResponse<String> words = post("/surveys/community-safety/page/1",
        form(csrf, Map.of("ward", List.of("nowhere"), "years_in_area", List.of("ten"))));
    assertError(words, "years_in_area", "The answer to “" + years + "” must be a number, like 12");
    assertError(words, "ward", "Select one of the answers given for “Which area do you live in?”");
    // "3,5" on the English form is neither 3.5 nor 35 for certain: asked again, never stored as 35.
    assertError(post("/surveys/community-safety/page/1",
        form(csrf, Map.of("ward", List.of("E05000001"), "years_in_area", List.of("3,5")))),
        "years_in_area", "The answer to “" + years + "” must be a number, like 12");
    assertError(post("/surveys/community-safety/page/1",
        form(csrf, Map.of("ward", List.of("E05000001"), "years_in_area", List.of("1,000")))),
        "years_in_area", "The answer to “" + years + "” must be a number from 0 to 100");
    HttpResponse<String> many = post("/surveys/community-safety/page/2", form(csrf, Map.of(
        "feel_safe_day", List.of("4"), "feel_safe_dark", List.of("9"),
        "concerns", List.of("asb", "drugs", "burglary", "speeding"))));
    assertError(many, "concerns", "Select no more than 3 answers to “Which of these are problems in your area?”");
    assertError(many, "feel_safe_dark",
        "Select one of the answers given for “How safe do you feel walking alone in your area after dark?”");
    HttpResponse<String> tooLong = post("/surveys/community-safety/page/4",
        form(csrf, Map.of("what_would_help", List.of("x".repeat(1001)))));
    assertError(tooLong, "what_would_help",
        "The answer to “What one thing would make you feel safer where you live?” must be 1,000 characters or fewer");
    assertTrue(tooLong.body().contains("href=\"#q-what_would_help-input\""));
    assertError(post("/surveys/kinds/page/2", form(csrf, Map.of("help", List.of("a", "prefer_not_to_say")))),
        "help", "Select “Prefer not to say” on its own, or other answers to “Help?”");
    assertError(post("/surveys/sms-pulse", form(csrf, Map.of("feel_safe_now", List.of("4"),
        "ward", List.of("E05000003"), "contact_ok", List.of("false"), "main_worry", List.of("a\u0007b")))),
        "main_worry", "Remove the special characters from your answer to “What worries you most about safety where "
            + "you live?”");

    String polishYears = "Od ilu lat mieszkasz w tej okolicy?";
    HttpResponse<String> polish = post("/surveys/community-safety/page/1?lang=pl",
        form(csrf, Map.of("years_in_area", List.of("100,5"))));
    assertError(polish, "ward", "Wybierz odpowiedź na pytanie „W jakiej okolicy mieszkasz?”");
    assertError(polish, "years_in_area", "Odpowiedź na pytanie „" + polishYears + "” musi być liczbą od 0 do 100");
    assertError(post("/surveys/community-safety/page/1?lang=pl", form(csrf, Map.of("ward", List.of("E05000001"),
        "years_in_area", List.of("3.5.1")))),
        "years_in_area", "Odpowiedź na pytanie „" + polishYears + "” musi być liczbą, np. 12 lub 3,5");
    assertError(post("/surveys/community-safety/page/2?lang=pl", form(csrf, Map.of(
        "feel_safe_day", List.of("4"), "feel_safe_dark", List.of("2"),
        "concerns", List.of("asb", "drugs", "burglary", "speeding")))),
        "concerns", "Wybierz najwyżej 3 odpowiedzi na pytanie „Które z tych zjawisk są problemem w Twojej okolicy?”");
    assertError(post("/surveys/community-safety/page/4?lang=pl",
        form(csrf, Map.of("what_would_help", List.of("x".repeat(1001))))),
        "what_would_help", "Odpowiedź na pytanie „Jaka jedna rzecz sprawiłaby, że czułbyś/czułabyś się bezpieczniej?” "
            + "może mieć najwyżej 1\u00a0000 znaków");
  }

  @Test
  void requiredQuestionsSayWhatToDoForTheirKind() throws Exception {
    String csrf = csrf(get("/surveys/kinds?lang=en"));
    HttpResponse<String> page = post("/surveys/kinds", form(csrf, Map.of()));
    assertError(page, "pick", "Select an answer to “Pick one?”");
    assertError(page, "ticks", "Select at least one answer to “Tick some?”");
    assertError(page, "words", "Enter your answer to “Say something?”");
    assertError(page, "count", "Enter a number for “How many?”");
    assertTrue(page.body().contains("id=\"q-words-count\" data-max=\"80\""), page.body());
    assertTrue(page.body().contains(">You can enter up to 80 characters</div>"), "the limit is said before typing");
    assertTrue(page.body().contains("aria-describedby=\"q-words-error q-words-count\""), page.body());
    HttpResponse<String> polish = post("/surveys/kinds?lang=pl", form(csrf, Map.of()));
    assertError(polish, "ticks", "Wybierz co najmniej jedną odpowiedź na pytanie „Zaznacz?”");
    assertError(polish, "words", "Wpisz odpowiedź na pytanie „Powiedz coś?”");
    assertError(polish, "count", "Wpisz liczbę w odpowiedzi na pytanie „Ile?”");
    assertTrue(polish.body().contains(">Możesz wpisać najwyżej 80 znaków</div>"), "Polish plural of 80");
    assertTrue(polish.body().contains(" data-left-few=\"Pozostały Ci {0} znaki\" data-left-many=\"Pozostało Ci {0} znaków\""),
        "the live count gets every Polish plural form: " + polish.body());
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
    // Coming back afterwards shows that the answers were sent; "again" starts a new, empty form.
    assertEquals("/surveys/sms-pulse/done", location(get("/surveys/sms-pulse")));
    assertEquals("/surveys/sms-pulse", location(get("/surveys/sms-pulse/again")));
    HttpResponse<String> fresh = get("/surveys/sms-pulse");
    assertEquals(200, fresh.statusCode());
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
