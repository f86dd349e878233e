package org.heard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.sms.OutboundQueue;
import org.heard.sms.SmsPhone;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "You said, we did" from start to finish: an analyst records an action against a theme, edits
 * it, publishes it; the public page shows it in the resident's language; and the summary is texted
 * once to people who agreed to be contacted, never to those who said no or sent STOP.
 */
class ActionsTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final String CONSENTING = "+447700900501";
  static final String DECLINING = "+447700900502";
  static final String STOPPED = "+447700900503";

  static final List<String> texted = Collections.synchronizedList(new ArrayList<>());
  static Vertx vertx;
  static HttpServer twilio;
  static TestServer heard;
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    twilio = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      texted.add(URLDecoder.decode(body.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
      request.response().setStatusCode(201).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("sid", "SM" + texted.size()).put("status", "queued").encode());
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    dir = Files.createTempDirectory("heard-actions");
    heard = TestServer.start(dir, Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD,
        Config.TWILIO_AUTH_TOKEN, SmsPhone.AUTH_TOKEN, Config.PUBLIC_URL, "http://127.0.0.1",
        Config.TWILIO_ACCOUNT_SID, "AC" + "b".repeat(32), Config.TWILIO_FROM, "+447700900999",
        Config.TWILIO_API_URL, "http://127.0.0.1:" + twilio.actualPort(), Config.SMS_SENDS_PER_SECOND, "50"));
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", "analyst@example.org", "role", "analyst",
        "password", PASSWORD)).statusCode());
  }

  @AfterAll
  static void stop() throws Exception {
    heard.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static void survey(String number, String consent) throws Exception {
    SmsPhone phone = new SmsPhone(heard, number).signingFor("http://127.0.0.1");
    for (String text : List.of("PULSE", "4", "a", "Parking on the pavement", consent)) {
      phone.text(text);
    }
  }

  @Test
  void anActionIsRecordedEditedPublishedShownAndTextedOnceToThoseWhoAgreed() throws Exception {
    // Twilio's signature uses the public URL; the phones sign for http://127.0.0.1 as configured.
    survey(CONSENTING, "yes");
    survey(DECLINING, "no");
    survey(STOPPED, "yes");
    new SmsPhone(heard, STOPPED).signingFor("http://127.0.0.1").text("STOP");

    StaffClient analyst = new StaffClient(heard);
    assertEquals(303, analyst.login("analyst@example.org", PASSWORD));
    assertEquals(200, analyst.get("/staff/actions?survey=sms-pulse").statusCode());
    HttpResponse<String> invalid = analyst.postForm("/staff/actions", Map.of("surveyId", "sms-pulse", "status", "finished"));
    assertEquals(422, invalid.statusCode());
    for (String named : List.of("href=\"#themeId\"", "href=\"#what\"", "href=\"#agency\"", "href=\"#status\"",
        "href=\"#date\"", "href=\"#summary_en\"")) {
      assertTrue(invalid.body().contains(named), "the error summary links to " + named);
    }
    assertEquals(0, heard.count(ActionStore.COLLECTION), "nothing stored from an invalid form");

    // Boards and the public read these: a name, an address or a number in them is refused.
    HttpResponse<String> personal = analyst.postForm("/staff/actions", Map.of("surveyId", "sms-pulse",
        "themeId", "t-parking", "themeLabel", "parking", "what", "Wardens called on 07700 900123 about it",
        "agency", "Council parking services", "status", "planned", "date", "2026-11-20",
        "summary_en", "Thanks to Mrs Okafor at 12 Elm Road, wardens now patrol twice a week."));
    assertEquals(422, personal.statusCode(), personal.body());
    assertTrue(personal.body().contains("href=\"#summary_en\"") && personal.body().contains("href=\"#what\""),
        "both fields are named");
    assertTrue(personal.body().contains("Okafor") && personal.body().contains("12 Elm Road"), "and what was found");
    assertEquals(0, heard.count(ActionStore.COLLECTION), "nothing stored");

    Map<String, String> form = new HashMap<>(Map.of("surveyId", "sms-pulse", "themeId", "t-parking",
        "themeLabel", "parking on the pavement", "what", "Parking enforcement patrols twice a week near schools",
        "agency", "Council parking services", "status", "planned", "date", "2026-11-20",
        "summary_en", "You told us about pavement parking. Wardens now patrol twice a week.",
        "summary_pl", "Zgłaszaliście parkowanie na chodnikach. Strażnicy patrolują dwa razy w tygodniu."));
    form.put("heading_en", "Cars parked on the pavement");
    form.put("heading_pl", "Samochody parkujące na chodnikach");
    HttpResponse<String> created = analyst.postForm("/staff/actions", form);
    assertEquals(303, created.statusCode(), created.body());
    String location = created.headers().firstValue("Location").orElseThrow();
    Matcher id = Pattern.compile("/staff/actions/(a-[A-Za-z0-9_-]+)").matcher(location);
    assertTrue(id.find(), location);
    String actionPath = "/staff/actions/" + id.group(1);

    assertFalse(heard.get("/you-said-we-did").body().contains("Wardens now patrol"), "not public until published");

    form.put("status", "in_progress");
    form.put("version", "1");
    form.put("do", "save");
    assertEquals(303, analyst.postForm(actionPath, form).statusCode());
    HttpResponse<String> stale = analyst.postForm(actionPath, form);
    assertEquals(409, stale.statusCode(), "an edit from an out-of-date page is refused");
    JsonObject stored = heard.find(ActionStore.COLLECTION, new JsonObject()).get(0);
    assertEquals("in_progress", stored.getString("status"));
    assertEquals(1, stored.getJsonArray("history").size(), "the previous version is kept");

    assertEquals(303, analyst.postForm(actionPath, Map.of("version", "2", "do", "publish")).statusCode());
    String english = heard.get("/you-said-we-did").body();
    assertTrue(english.contains("Wardens now patrol twice a week.") && english.contains("In progress"), english);
    String polish = heard.get("/you-said-we-did?lang=pl").body();
    assertTrue(polish.contains("Strażnicy patrolują dwa razy w tygodniu.") && polish.contains("W toku"));
    assertTrue(english.contains("<h3>Cars parked on the pavement</h3>") && english.contains("20 November 2026"), english);
    assertTrue(polish.contains("<h3>Samochody parkujące na chodnikach</h3>"), "the heading is Polish, not the "
        + "theme's English machine label: " + polish);
    assertTrue(polish.contains("20 listopada 2026"), "and so is the date");
    assertFalse(polish.contains("parking on the pavement"), polish);
    String welsh = heard.get("/you-said-we-did?lang=cy").body();
    assertTrue(welsh.contains("<h3 lang=\"en\">Cars parked on the pavement</h3>"),
        "no Welsh heading: the survey's first language, marked as such");
    assertTrue(heard.get("/surveys/community-safety/done?lang=en").body().contains("href=\"/you-said-we-did?lang"),
        "every form's confirmation page links to it");

    awaitTexts(1);
    Thread.sleep(500);
    assertEquals(1, texted.size(), "only the consenting, not-opted-out number: " + texted);
    assertTrue(texted.get(0).contains("To=" + CONSENTING) && texted.get(0).contains("You said, we did: You told us"));

    // Publishing again (or a second click) texts nobody twice.
    assertEquals(303, analyst.postForm(actionPath, Map.of("version", "3", "do", "publish")).statusCode());
    Thread.sleep(1000);
    assertEquals(1, texted.size());
    assertEquals(1, heard.count(OutboundQueue.COLLECTION));
    assertEquals(2, heard.find("audit_log", new JsonObject().put("action", "action-published")).size());
    assertEquals(2, heard.find("audit_log", new JsonObject().put("action", "action-changed")).size());
  }

  static void awaitTexts(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (texted.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(count, texted.size(), "texts sent: " + texted);
  }
}
