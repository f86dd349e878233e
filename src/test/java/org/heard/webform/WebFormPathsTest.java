package org.heard.webform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.TestServer;
import org.heard.response.ResponseStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The paths off the straight line, over HTTP as a browser with JavaScript off takes them: words
 * typed under an option not chosen, change links, coming back after sending, an answer far too long
 * for the request, and each page's own title. {@link WebFormBrowserTest} takes them in Chromium.
 */
class WebFormPathsTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern TITLE = Pattern.compile("<title>([^<]*)</title>");

  /** A survey whose options reveal questions: one under an option of a choice, one under a consent's No. */
  static final String CALLBACK_SURVEY = """
      id: callback
      version: 1
      title: {en: Call back, pl: Oddzwonimy, cy: "Galw’n ôl", ar: "معاودة الاتصال"}
      languages: [en, pl, cy, ar]
      channels: {web: true}
      questions:
        - id: contact
          type: single_choice
          text: {en: How may we contact you?, pl: Jak możemy się skontaktować?, cy: "Sut gawn ni gysylltu â chi?",
                 ar: "كيف يمكننا التواصل معك؟"}
          options:
            - {value: phone, text: {en: By phone, pl: Telefonicznie, cy: Dros y ffôn, ar: بالهاتف}}
            - {value: none, text: {en: Not at all, pl: Wcale, cy: Dim o gwbl, ar: "لا، أبدًا"}}
        - {id: call_time, type: text, max_length: 100, text: {en: When can we call?, pl: Kiedy możemy zadzwonić?,
           cy: "Pryd gawn ni ffonio?", ar: "متى يمكننا الاتصال؟"}, show_if: {question: contact, equals: phone}}
        - {id: happy, type: consent, text: {en: Are you happy with the service?, pl: Czy jesteś zadowolony?,
           cy: "Ydych chi’n fodlon â’r gwasanaeth?", ar: "هل أنت راضٍ عن الخدمة؟"}}
        - {id: why_not, type: text, text: {en: What went wrong?, pl: Co poszło nie tak?, cy: "Beth aeth o’i le?",
           ar: "ما الذي حدث بشكل خاطئ؟"},
           show_if: {question: happy, equals: "false"}}
      """;

  @RegisterExtension
  static final TestServer heard = TestServer.forClass().withSurvey("callback.yaml", CALLBACK_SURVEY);

  private HttpClient browser;
  private String csrf;

  @BeforeEach
  void newVisitor() {
    browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private HttpResponse<String> get(String path) throws Exception {
    HttpResponse<String> page = browser.send(HttpRequest.newBuilder(heard.uri(path)).header("Accept", "text/html")
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    Matcher m = CSRF.matcher(page.body());
    if (m.find()) {
      csrf = m.group(1);
    }
    return page;
  }

  private HttpResponse<String> post(String path, String fields) throws Exception {
    return browser.send(HttpRequest.newBuilder(heard.uri(path)).header("Accept", "text/html")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + (fields.isEmpty() ? "" : "&" + fields))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String location(HttpResponse<String> response) {
    assertEquals(303, response.statusCode(), response.body());
    return response.headers().firstValue("Location").orElseThrow();
  }

  private static String encoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String title(HttpResponse<String> page) {
    Matcher m = TITLE.matcher(page.body());
    assertTrue(m.find());
    return m.group(1);
  }

  private JsonObject stored(String field, String value) {
    List<JsonObject> found = heard.find(ResponseStore.COLLECTION, new JsonObject().put("answers." + field, value));
    assertEquals(1, found.size(), field + " = " + value);
    return found.get(0).getJsonObject("answers");
  }

  /** Community safety up to the "feeling safe" page, as a resident with JavaScript off. */
  private void startCommunitySafety() throws Exception {
    get("/surveys/community-safety?lang=en");
    assertEquals("/surveys/community-safety/page/2",
        location(post("/surveys/community-safety", "ward=E05000001&years_in_area=3")));
  }

  @Test
  void theRevealedQuestionSitsUnderItsOptionAndWordsTypedWithoutTickingItTickIt() throws Exception {
    startCommunitySafety();
    String page = get("/surveys/community-safety/page/2").body();
    assertTrue(page.contains("id=\"q-concerns-other\" name=\"concerns\" type=\"checkbox\" value=\"other\" "
        + "aria-controls=\"conditional-q-concerns-other\""), page);
    int option = page.indexOf("id=\"conditional-q-concerns-other\"");
    assertTrue(option > 0 && page.indexOf("name=\"other_concern\"") > option, "the text box is inside the block");
    String next = location(post("/surveys/community-safety/page/2", "feel_safe_day=4&feel_safe_dark=2&concerns=asb"
        + "&other_concern=" + encoded("Fireworks at 3am") + "&victim_last_year=no"));
    assertEquals("/surveys/community-safety/page/4", next, "no error: the words chose \"Something else\"");
    location(post(next, "what_would_help=More+light&contact_ok=false"));
    HttpResponse<String> check = get("/surveys/community-safety/check");
    assertTrue(check.body().contains("Anti-social behaviour, Something else"), check.body());
    assertTrue(check.body().contains("Fireworks at 3am"));
    assertEquals("/surveys/community-safety/done", location(post("/surveys/community-safety/check", "")));
    assertEquals(List.of("asb", "other"), stored("other_concern", "Fireworks at 3am").getJsonArray("concerns").getList());
  }

  @Test
  void tickingTooManyWithWordsUnderOtherKeepsTheWordsWhileTheResidentUnticksOne() throws Exception {
    startCommunitySafety();
    HttpResponse<String> page = post("/surveys/community-safety/page/2", "feel_safe_day=4&feel_safe_dark=2"
        + "&concerns=asb&concerns=drugs&concerns=burglary&other_concern=Dogs+off+leads&victim_last_year=no");
    assertEquals(422, page.statusCode());
    assertTrue(page.body().contains("Select no more than 3 answers to “Which of these are problems in your area?”"));
    assertFalse(page.body().contains("does not apply"), page.body());
    assertTrue(page.body().contains(">Dogs off leads</textarea>"), "the words are still there");
    assertTrue(page.body().contains("value=\"other\" checked"), "and they ticked \"Something else\"");
  }

  @Test
  void wordsUnderAnOptionNotChosenAreKeptAsideAndAskedAboutOnTheCheckPage() throws Exception {
    get("/surveys/callback?lang=en");
    assertEquals("/surveys/callback/check", location(post("/surveys/callback",
        "contact=none&call_time=" + encoded("After 6pm") + "&why_not=" + encoded("Nobody came"))));
    HttpResponse<String> check = get("/surveys/callback/check");
    assertTrue(check.body().contains("An answer that will not be sent"), check.body());
    assertTrue(check.body().contains("You wrote “After 6pm” for “When can we call?”. That question is only asked "
        + "if you choose “By phone” for “How may we contact you?”, so this answer will not be sent."), check.body());
    assertTrue(check.body().contains("href=\"/surveys/callback/page/1?change#q-contact\">Change your answer to "
        + "“How may we contact you?”</a>"), check.body());
    assertTrue(check.body().contains("Are you happy with the service?</dt>\n<dd class=\"summary-value\">No</dd>"),
        "words under \"No\" of an unanswered question chose No: " + check.body());
    HttpResponse<String> change = get("/surveys/callback/page/1?change");
    assertTrue(change.body().contains(">After 6pm</textarea>"), "the words kept aside are on the page again");
    assertTrue(change.body().contains("name=\"from\" value=\"check\""));
    assertEquals("/surveys/callback/check", location(post("/surveys/callback/page/1",
        "from=check&contact=phone&call_time=" + encoded("After 6pm") + "&happy=false&why_not=Nobody+came")));
    check = get("/surveys/callback/check");
    assertFalse(check.body().contains("An answer that will not be sent"), "nothing is aside any more");
    assertEquals("/surveys/callback/done", location(post("/surveys/callback/check", "")));
    JsonObject answers = stored("call_time", "After 6pm");
    assertEquals("phone", answers.getString("contact"));
    assertEquals(false, answers.getBoolean("happy"));
  }

  @Test
  void changeLinksReturnToCheckYourAnswersThroughOnlyPagesTheChangeMadeApply() throws Exception {
    startCommunitySafety();
    location(post("/surveys/community-safety/page/2", "feel_safe_day=4&feel_safe_dark=2&concerns=asb&victim_last_year=no"));
    location(post("/surveys/community-safety/page/4", "what_would_help=Lights&contact_ok=false"));
    assertEquals("/surveys/community-safety/check", location(post("/surveys/community-safety/page/5", "")));
    HttpResponse<String> check = get("/surveys/community-safety/check");
    assertTrue(check.body().contains("href=\"/surveys/community-safety/page/1?change#q-years_in_area\""), check.body());
    HttpResponse<String> change = get("/surveys/community-safety/page/1?change");
    assertTrue(change.body().contains("<a class=\"back-link\" href=\"/surveys/community-safety/check\">"),
        "Back from a change goes to check your answers");
    assertEquals("/surveys/community-safety/check", location(post("/surveys/community-safety",
        "from=check&ward=E05000002&years_in_area=4")), "a change that opens nothing new returns at once");
    // Becoming a victim makes "Did you report it?" apply: asked, then back to check your answers.
    assertEquals("/surveys/community-safety/page/3?change", location(post("/surveys/community-safety/page/2",
        "from=check&feel_safe_day=4&feel_safe_dark=2&concerns=asb&victim_last_year=yes")));
    assertTrue(get("/surveys/community-safety/page/3?change").body().contains("name=\"from\" value=\"check\""));
    assertEquals("/surveys/community-safety/check",
        location(post("/surveys/community-safety/page/3", "from=check&reported=no")));
    check = get("/surveys/community-safety/check");
    assertTrue(check.body().contains("Did you report it to the police?"), check.body());
    // Back to not a victim and once more a victim: the question is asked again.
    location(post("/surveys/community-safety/page/2", "from=check&feel_safe_day=4&feel_safe_dark=2&concerns=asb"
        + "&victim_last_year=no"));
    assertEquals("/surveys/community-safety/page/3?change", location(post("/surveys/community-safety/page/2",
        "from=check&feel_safe_day=4&feel_safe_dark=2&concerns=asb&victim_last_year=yes")));
  }

  @Test
  void afterSendingBackAndReloadShowTheConfirmationAndNothingIsSentTwice() throws Exception {
    long before = heard.count(ResponseStore.COLLECTION);
    get("/surveys/callback?lang=en");
    location(post("/surveys/callback", "contact=none&happy=true&happy.phone=07700+900461"));
    assertEquals("/surveys/callback/done", location(post("/surveys/callback/check", "")));
    for (String path : List.of("/surveys/callback/check", "/surveys/callback", "/surveys/callback/page/1")) {
      assertEquals("/surveys/callback/done", location(get(path)), "Back or reload of " + path);
    }
    assertEquals("/surveys/callback/done", location(post("/surveys/callback/check", "")), "a second send");
    assertEquals("/surveys/callback/done", location(post("/surveys/callback", "contact=phone")), "a page re-sent");
    assertEquals(before + 1, heard.count(ResponseStore.COLLECTION));
    HttpResponse<String> done = get("/surveys/callback/done");
    assertTrue(done.body().contains("href=\"/surveys/callback/again\">Answer the survey again, as someone else</a>"));
  }

  @Test
  void anAnswerFarLongerThanAFormMayBeComesBackCutWithTheLimitNamed() throws Exception {
    get("/surveys/callback?lang=en");
    // 400,000 characters: past the 256 KiB a form is read to, so the end is dropped unread.
    String pasted = "Call me after six. " + "x".repeat(400_000);
    HttpResponse<String> page = post("/surveys/callback", "contact=phone&call_time=" + encoded(pasted) + "&happy=true");
    assertEquals(422, page.statusCode(), page.body().substring(0, Math.min(500, page.body().length())));
    assertTrue(page.body().contains("The answer to “When can we call?” must be 100 characters or fewer"));
    assertTrue(page.body().contains(">Call me after six. xxxx"), "the words are on the page again");
    assertTrue(page.body().contains("value=\"phone\" checked"), "answers before the long one are kept");
    String far = "x".repeat(20 * 1024 * 1024);
    long stored = heard.count(ResponseStore.COLLECTION);
    try {
      HttpResponse<String> refused = browser.send(HttpRequest.newBuilder(heard.uri("/surveys/callback"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&call_time=" + far)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(413, refused.statusCode(), "past 4 MiB the request is refused");
    } catch (IOException closed) {
      // The server answers 413 and closes the connection without reading the rest; a client still
      // sending may see the close before the answer. Either way the request was refused unread.
      assertTrue(String.valueOf(closed.getMessage()).contains("header parser received no bytes")
          || String.valueOf(closed.getMessage()).contains("reset"), String.valueOf(closed));
    }
    assertEquals(stored, heard.count(ResponseStore.COLLECTION));
    assertEquals(200, get("/surveys/callback?lang=en").statusCode(), "and the server carries on");
  }

  @Test
  void everyPageHasItsOwnTitle() throws Exception {
    startCommunitySafety();
    location(post("/surveys/community-safety/page/2", "feel_safe_day=4&feel_safe_dark=2&victim_last_year=yes"));
    String survey = "How safe do you feel where you live?";
    String partnership = " – Riverside Community Safety Partnership";
    assertEquals("Where you live – " + survey + partnership, title(get("/surveys/community-safety/page/1")));
    assertEquals("Feeling safe – " + survey + partnership, title(get("/surveys/community-safety/page/2")));
    assertEquals("Did you report it to the police? – " + survey + partnership,
        title(get("/surveys/community-safety/page/3")));
    assertEquals("What would help – " + survey + partnership, title(get("/surveys/community-safety/page/4")));
    assertEquals("About you – " + survey + partnership, title(get("/surveys/community-safety/page/5")));
    assertEquals("Check your answers before sending them – " + survey + partnership,
        title(get("/surveys/community-safety/check")));
    assertEquals("Gdzie mieszkasz – Jak bezpiecznie czujesz się w swojej okolicy? – Riverside Community Safety "
        + "Partnership", title(get("/surveys/community-safety/page/1?lang=pl")));
  }
}
