package org.heard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.paper.EntryStore;
import org.heard.privacy.Pseudonyms;
import org.heard.response.ResponseStore;
import org.heard.sms.FakeTwilio;
import org.heard.sms.NumberStore;
import org.heard.sms.SmsPhone;
import org.heard.staff.PaperEntryTest;
import org.heard.staff.StaffClient;
import org.heard.webform.DraftStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Residents who answer on the web or on paper say yes to being texted back and give their number:
 * it is read as people write it, refused clearly when it cannot be texted, kept only encrypted,
 * reached by "you said, we did" in the language they answered in, and erased by number.
 */
class TextBackTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final String WEB_POLISH = "+447700900611";
  static final String PAPER = "+447700900613";
  static final String IMPORTED = "+447700900614";
  static final String RESOLVED = "+447700900615";
  static final String WAITING = "+447700900617";
  static final String SECRET = "text-back-test-secret-of-at-least-32-characters";
  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  static final String DOUBLE = """
      id: callback
      version: 1
      title: {en: Callback}
      languages: [en]
      channels: {web: false, paper: {form_code: CB1, numbering: numbers, double_entry: true}}
      questions:
        - {id: safe, type: scale, min: 1, max: 5, required: true, text: {en: How safe?}}
        - {id: ok, type: consent, text: {en: May we text you what we did?}}
      """;

  static FakeTwilio twilio;
  static TestServer heard;
  static StaffClient first;
  static StaffClient second;
  static StaffClient third;

  @BeforeAll
  static void start() throws Exception {
    twilio = new FakeTwilio();
    Path dir = Files.createTempDirectory("heard-text-back");
    Path surveys = TestServer.testSurveys(dir.resolve("surveys"));
    Files.writeString(surveys.resolve("callback.yaml"), DOUBLE);
    heard = TestServer.start(dir, Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD,
        Config.SURVEYS_DIR, surveys.toString(), Config.SECRET, SECRET,
        Config.TWILIO_AUTH_TOKEN, SmsPhone.AUTH_TOKEN, Config.PUBLIC_URL, "http://127.0.0.1",
        Config.TWILIO_ACCOUNT_SID, "AC" + "c".repeat(32), Config.TWILIO_FROM, "+447700900999",
        Config.TWILIO_API_URL, twilio.url(), Config.SMS_SENDS_PER_SECOND, "50"));
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    for (String name : List.of("first", "second", "third")) {
      assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", name + "@example.org", "role", "outreach",
          "password", PASSWORD)).statusCode());
    }
    assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", "analyst@example.org", "role", "analyst",
        "password", PASSWORD)).statusCode());
    first = signedIn("first@example.org");
    second = signedIn("second@example.org");
    third = signedIn("third@example.org");
  }

  @AfterAll
  static void stop() throws Exception {
    heard.close();
    twilio.close();
  }

  static StaffClient signedIn(String email) throws Exception {
    StaffClient client = new StaffClient(heard);
    assertEquals(303, client.login(email, PASSWORD));
    return client;
  }

  /** A resident's browser with JavaScript off. */
  static final class Resident {
    final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    String csrf;

    HttpResponse<String> get(String path) throws Exception {
      HttpResponse<String> page = browser.send(HttpRequest.newBuilder(heard.uri(path)).header("Accept", "text/html")
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      Matcher m = CSRF.matcher(page.body());
      if (m.find()) {
        csrf = m.group(1);
      }
      return page;
    }

    HttpResponse<String> post(String path, String form) throws Exception {
      return browser.send(HttpRequest.newBuilder(heard.uri(path)).header("Accept", "text/html")
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&" + form)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** Answers community-safety up to its consent page, which is returned unsent. */
    String toConsentPage(String lang) throws Exception {
      get("/surveys/community-safety?lang=" + lang);
      String next = location(post("/surveys/community-safety/page/1", "ward=E05000001&years_in_area=3"));
      next = location(post(next, "feel_safe_day=4&feel_safe_dark=2&concerns=asb&victim_last_year=no"));
      assertEquals("/surveys/community-safety/page/4", next);
      return next;
    }

    void finish(String afterConsent) throws Exception {
      assertEquals("/surveys/community-safety/page/5", afterConsent);
      String check = location(post(afterConsent, "age_band=prefer_not_to_say&sex=female"));
      assertEquals("/surveys/community-safety/done", location(post(check, "")));
    }
  }

  static String location(HttpResponse<String> response) {
    assertEquals(303, response.statusCode(), response.body());
    return response.headers().firstValue("Location").orElseThrow();
  }

  @Test
  void everyChannelsResidentsHearWhatWasDoneAndAnErasureByNumberReachesThemAll() throws Exception {
    // ---- web, in Polish: the number is asked for under the yes, checked, and kept encrypted.
    Resident polish = new Resident();
    String consentPage = polish.toConsentPage("pl");
    HttpResponse<String> invalid = polish.post(consentPage, "what_would_help=Lampy&contact_ok=true"
        + "&contact_ok.phone=12ab");
    assertEquals(422, invalid.statusCode());
    assertTrue(invalid.body().contains("musi być numerem telefonu komórkowego, np. 07"), invalid.body());
    assertTrue(invalid.body().contains("value=\"12ab\""), "what was typed is shown again");
    HttpResponse<String> landline = polish.post(consentPage, "what_would_help=Lampy&contact_ok=true"
        + "&contact_ok.phone=020+7219+3000");
    assertEquals(422, landline.statusCode());
    assertTrue(landline.body().contains("SMS nie dotrze na telefon stacjonarny"), landline.body());
    String next = location(polish.post(consentPage, "what_would_help=Lampy&contact_ok=true"
        + "&contact_ok.phone=%2B44+%280%297700+900+611"));
    JsonObject draft = heard.find(DraftStore.COLLECTION, new JsonObject()
        .put("answers.what_would_help", "Lampy")).get(0);
    assertTrue(draft.getJsonObject("contacts").getJsonObject("contact_ok").getString("contact").startsWith("v1:"));
    assertFalse(draft.encode().contains("900611") || draft.encode().contains("900 611"), "encrypted in the draft");
    HttpResponse<String> changing = polish.get("/surveys/community-safety/page/4?change");
    assertTrue(changing.body().contains("value=\"07700 900611\""), "shown again to its owner, as written at home");
    polish.finish(next);

    JsonObject webResponse = heard.find(ResponseStore.COLLECTION, new JsonObject()
        .put("answers.what_would_help", "Lampy")).get(0);
    String webKey = webResponse.getJsonObject("provenance").getString("respondentKey");
    JsonObject number = heard.find(NumberStore.COLLECTION, new JsonObject().put("_id", webKey)).get(0);
    assertEquals(true, number.getJsonObject("consents").getBoolean("community-safety"));
    assertEquals("pl", number.getString("language"), "texted in the language the form was answered in");
    assertTrue(number.getString("contact").startsWith("v1:"));
    assertFalse(number.encode().contains("900611"));
    assertTrue(heard.find(DraftStore.COLLECTION, new JsonObject().put("contacts.contact_ok",
        new JsonObject().put("$exists", true))).isEmpty(), "the sent draft keeps no number");

    // A no keeps no number, even one typed under the yes with JavaScript off.
    long numbersBefore = heard.count(NumberStore.COLLECTION);
    Resident declining = new Resident();
    String decliningPage = declining.toConsentPage("en");
    declining.finish(location(declining.post(decliningPage, "what_would_help=Nothing&contact_ok=false"
        + "&contact_ok.phone=07700+900616")));
    assertEquals(numbersBefore, heard.count(NumberStore.COLLECTION));

    // ---- paper, keyed: the box under the consent question.
    String batch = PaperEntryTest.startBatch(first, "community-safety", 4);
    Map<String, String> form = PaperEntryTest.communitySafetyForm("T1");
    form.put("q-contact_ok", "1");
    form.put("q-contact_ok.phone", "");
    HttpResponse<String> blank = first.postForm(batch, form);
    assertEquals(422, blank.statusCode());
    assertTrue(blank.body().contains("the mobile number: type the number written, - if none was written, or ? if it "
        + "cannot be read"), blank.body());
    form.put("q-contact_ok", "2");
    form.put("q-contact_ok.phone", "07700 900613");
    HttpResponse<String> withNo = first.postForm(batch, form);
    assertEquals(422, withNo.statusCode());
    assertTrue(withNo.body().contains("a number is kept only with a Yes"), withNo.body());
    form.put("q-contact_ok", "1");
    assertEquals(303, first.postForm(batch, form).statusCode(), first.lastBody());
    Map<String, String> none = PaperEntryTest.communitySafetyForm("T2");
    none.put("q-contact_ok", "1");
    none.put("q-contact_ok.phone", "-");
    assertEquals(303, first.postForm(batch, none).statusCode(), "a yes with no number written is kept as a yes");
    assertEquals(true, paperResponse("community-safety", "T2").getJsonObject("answers").getBoolean("contact_ok"));
    assertFalse(paperResponse("community-safety", "T2").getJsonObject("provenance").containsKey("respondentKey"));

    // ---- paper, imported: a column after the consent question's.
    String template = first.get("/staff/entry/community-safety/template.csv").body();
    assertTrue(template.contains(",contact_ok,contact_ok.phone,"), template);
    String csv = "serial,ward,years_in_area,feel_safe_day,feel_safe_dark,victim_last_year,contact_ok,contact_ok.phone\r\n"
        + "T3,7,,2,1,2,1,07700900614\r\n";
    assertEquals(303, PaperEntryTest.upload(heard, first, "community-safety", csv).statusCode(), first.lastBody());

    // ---- paper, double entry: two different numbers are a mismatch, settled against the paper.
    String one = PaperEntryTest.startBatch(first, "callback", 2);
    String two = PaperEntryTest.startBatch(second, "callback", 2);
    assertEquals(303, first.postForm(one, Map.of("serial", "C1", "q-safe", "3", "q-ok", "1",
        "q-ok.phone", "07700 900615")).statusCode());
    HttpResponse<String> mismatch = second.postForm(two, Map.of("serial", "C1", "q-safe", "3", "q-ok", "1",
        "q-ok.phone", "07700 900618"));
    assertEquals(303, mismatch.statusCode(), mismatch.body());
    HttpResponse<String> resolvePage = third.get("/staff/entry/callback/serials/C1");
    assertTrue(resolvePage.body().contains("First keying: <span class=\"code\">07700 900615</span>. Second keying: "
        + "<span class=\"code\">07700 900618</span>"), resolvePage.body());
    HttpResponse<String> resolved = third.postForm("/staff/entry/callback/serials/C1",
        Map.of("q-ok", "1", "q-ok.phone", "07700 900615"));
    assertEquals(303, resolved.statusCode(), resolved.body());
    assertEquals(303, first.postForm(one, Map.of("serial", "C2", "q-safe", "2", "q-ok", "1",
        "q-ok.phone", "07700 900617")).statusCode(), "a first keying waits for its second");
    assertFalse(heard.find(EntryStore.COLLECTION, new JsonObject()).toString().contains("900617"), "encrypted there too");

    for (String phone : List.of(PAPER, IMPORTED, RESOLVED)) {
      assertEquals(1, heard.find(NumberStore.COLLECTION, new JsonObject().put("consents.community-safety", true)
          .put("_id", keyOf(phone))).size() + heard.find(NumberStore.COLLECTION, new JsonObject()
          .put("consents.callback", true).put("_id", keyOf(phone))).size(), "consent recorded for " + phone);
    }

    // ---- "you said, we did" reaches the web and paper residents, each in their language.
    String action = publish("community-safety");
    twilio.awaitPosted(3);
    Thread.sleep(500);
    assertEquals(3, twilio.posted().size(), twilio.posted().toString());
    assertTrue(twilio.postedTo(WEB_POLISH).get(0).body().startsWith("Mówiliście, zrobiliśmy: Naprawiliśmy lampy"),
        "in the language the form was answered in");
    assertTrue(twilio.postedTo(PAPER).get(0).body().startsWith("You said, we did: We fixed"));
    assertEquals(1, twilio.postedTo(IMPORTED).size());
    assertTrue(action.startsWith("/staff/actions/"));

    // ---- an erasure by number reaches the web response, its consent and number, and paper keyings.
    erase("07700 900 611");
    assertTrue(heard.find(ResponseStore.COLLECTION, new JsonObject().put("_id", webResponse.getString("_id"))).isEmpty());
    assertTrue(heard.find(NumberStore.COLLECTION, new JsonObject().put("_id", webKey)).isEmpty());
    erase("07700900617");
    assertTrue(heard.find(EntryStore.COLLECTION, new JsonObject().put("serial", "C2")).isEmpty(),
        "a keying waiting for its second, holding that number, is erased too");
    assertEquals(1, heard.find(EntryStore.COLLECTION, new JsonObject().put("serial", "C1")).size());
    erase(RESOLVED);
    assertTrue(heard.find(EntryStore.COLLECTION, new JsonObject().put("serial", "C1")).isEmpty());
    assertTrue(heard.find(ResponseStore.COLLECTION, new JsonObject().put("surveyId", "callback")).isEmpty());
  }

  private static String keyOf(String phone) {
    return new Pseudonyms(SECRET).respondentKey(phone);
  }

  private static JsonObject paperResponse(String survey, String serial) {
    return heard.find(ResponseStore.COLLECTION, new JsonObject().put("surveyId", survey)
        .put("provenance.serial", serial)).get(0);
  }

  private static String publish(String survey) throws Exception {
    StaffClient analyst = signedIn("analyst@example.org");
    Map<String, String> form = new HashMap<>(Map.of("surveyId", survey, "themeId", "t-lights",
        "themeLabel", "street lights", "what", "Street lights repaired on the estate",
        "agency", "Council highways", "status", "done", "date", "2026-11-20",
        "summary_en", "We fixed the street lights you told us about.",
        "summary_pl", "Naprawiliśmy lampy uliczne, o których pisaliście."));
    HttpResponse<String> created = analyst.postForm("/staff/actions", form);
    assertEquals(303, created.statusCode(), created.body());
    String path = created.headers().firstValue("Location").orElseThrow();
    assertEquals(303, analyst.postForm(path, Map.of("version", "1", "do", "publish")).statusCode());
    return path;
  }

  private static void erase(String phoneNumber) throws Exception {
    String token = StaffClient.token(heard, ADMIN, PASSWORD);
    HttpResponse<String> erased = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/erasures"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("phoneNumber", phoneNumber).encode())).build());
    assertEquals(200, erased.statusCode(), erased.body());
  }
}
