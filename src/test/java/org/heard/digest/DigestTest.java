package org.heard.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every number on the digest against a seeded data set whose answers were worked out by hand:
 * counts by channel and period, the indicator share and its Wilson interval, reach by area and
 * group with the under-represented flags and channel mix, and suppression of counts under 5.
 */
class DigestTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final String SURVEY = """
      id: digest-test
      version: 1
      title: {en: Digest test}
      languages: [en]
      opens: 2020-01-01
      questions:
        - {id: ward, type: area, text: {en: Area?}}
        - id: safe
          type: scale
          min: 1
          max: 5
          text: {en: How safe?}
          indicator: {name: Feel safe, favourable: [4, 5], target: 0.7}
        - id: age_band
          type: single_choice
          monitoring: true
          text: {en: Age?}
          options: [{value: "16-24"}, {value: "25-44"}, {value: "45-64"}, {value: "65+"}]
      """;

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD))
      .withSurvey("digest-test.yaml", SURVEY)
      .withSurvey("digest-small.yaml", SURVEY.replace("id: digest-test", "id: digest-small"));

  static String board;
  static String analyst;
  static String adminToken;
  static LocalDate today = LocalDate.now(ZoneId.of("Europe/London"));

  @BeforeAll
  static void seed() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    for (String role : List.of("analyst", "board", "outreach")) {
      assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", role + "@example.org", "role", role,
          "password", PASSWORD)).statusCode());
    }
    board = StaffClient.token(heard, "board@example.org", PASSWORD);
    analyst = StaffClient.token(heard, "analyst@example.org", PASSWORD);
    adminToken = StaffClient.token(heard, ADMIN, PASSWORD);
    // This period (the 7 days to today): 45 responses. Previous 7 days: 20.
    List<BulkOperation> docs = new ArrayList<>();
    Instant now = Instant.now().minus(2, ChronoUnit.HOURS);
    Instant lastWeek = now.minus(7, ChronoUnit.DAYS);
    for (int i = 0; i < 30; i++) {
      docs.add(doc("w" + i, now, "web", "E05000001", i < 21 ? 4 : 2, "25-44"));
    }
    for (int i = 0; i < 12; i++) {
      docs.add(doc("p" + i, now, "paper", "E05000006", i < 6 ? 5 : 1, "65+"));
    }
    for (int i = 0; i < 3; i++) {
      docs.add(doc("s" + i, now, "sms", "E05000002", 4, "16-24"));
    }
    for (int i = 0; i < 20; i++) {
      docs.add(doc("old" + i, lastWeek, "web", "E05000001", i < 10 ? 5 : 3, "45-64"));
    }
    heard.mongo().bulkWrite("responses", docs).toCompletionStage().toCompletableFuture().get();
    // Written behind Heard's back, so they are counted by the admin's recount.
    heard.recount(adminToken);
  }

  static BulkOperation doc(String id, Instant at, String channel, String area, int safe, String age) {
    return BulkOperation.createInsert(new JsonObject().put("_id", id).put("surveyId", "digest-test").put("surveyVersion", 1)
        .put("channel", channel).put("receivedAt", new JsonObject().put("$date", at.toString())).put("language", "en")
        .put("answers", new JsonObject().put("ward", area).put("safe", safe).put("age_band", age))
        .put("provenance", new JsonObject()).put("complete", true));
  }

  static JsonObject digest(String token, String query) throws Exception {
    HttpResponse<String> response = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/surveys/digest-test/digest" + query))
        .header("Authorization", "Bearer " + token).GET().build());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  static String week() {
    return "?from=" + today.minusDays(6) + "&to=" + today;
  }

  @Test
  void headlineCountsByChannelAgainstThePreviousPeriodWithSmallCountsSuppressed() throws Exception {
    JsonObject headline = digest(board, week()).getJsonObject("headline");
    assertEquals(45, headline.getInteger("responses"));
    assertEquals(20, headline.getInteger("previousResponses"));
    assertEquals(1.25, headline.getDouble("change"), 1e-9);
    Map<String, Object> channels = new java.util.HashMap<>();
    for (Object c : headline.getJsonArray("byChannel")) {
      JsonObject row = (JsonObject) c;
      channels.put(row.getString("channel"), row.getValue("responses"));
      if (row.getString("channel").equals("sms")) {
        assertTrue(row.getJsonArray("suppressed").contains("responses"), "3 SMS responses are 'fewer than 5'");
      }
    }
    assertEquals(30, channels.get("web"));
    assertNull(channels.get("sms"));
    assertEquals(0, channels.get("api"));
    // 45 - 30 - 12 - 0 would give the 3 SMS responses back: the 12 on paper is withheld too.
    assertNull(channels.get("paper"));
    JsonObject paper = headline.getJsonArray("byChannel").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("channel").equals("paper")).findFirst().orElseThrow();
    assertTrue(paper.getJsonArray("withheld").contains("responses"), paper.encode());
    assertFalse(headline.encode().contains("_raw"), "the counts kept for the check never leave");
  }

  /** In each line of counts shown beside its total, no single count is missing (it could be subtracted back). */
  private static void assertNoLoneGap(String what, JsonObject total, String totalKey, List<JsonObject> members,
      String key) {
    if (total.getValue(totalKey) == null || members.isEmpty()) {
      return;
    }
    long missing = members.stream().filter(m -> m.getValue(key) == null).count();
    assertTrue(missing != 1, what + ": exactly one count withheld beside a shown total " + members);
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array.stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void noWithheldCountCanBeWorkedOutBySubtraction() throws Exception {
    for (String query : List.of(week(), week() + "&area=E05000006", week() + "&area=E05000002")) {
      JsonObject digest = digest(board, query);
      JsonObject headline = digest.getJsonObject("headline");
      List<JsonObject> channels = objects(headline.getJsonArray("byChannel"));
      assertNoLoneGap("channels", headline, "responses", channels, "responses");
      JsonObject reach = digest.getJsonObject("reach");
      List<JsonObject> areas = objects(reach.getJsonArray("areas"));
      assertNoLoneGap("areas", headline, "responses", areas, "responses");
      List<JsonObject> rows = new java.util.ArrayList<>(areas);
      for (JsonObject group : objects(reach.getJsonArray("groups"))) {
        List<JsonObject> values = objects(group.getJsonArray("values"));
        assertNoLoneGap("group " + group.getString("question"), group, "answered", values, "responses");
        rows.addAll(values);
      }
      for (JsonObject row : rows) {
        JsonObject mix = row.getJsonObject("channels");
        if (row.getValue("responses") != null) {
          long missing = List.of("web", "sms", "paper", "api").stream().filter(c -> mix.getValue(c) == null).count();
          assertTrue(missing != 1, "one channel withheld beside its row's count: " + row);
        }
      }
      assertFalse(digest.encode().contains("_raw"), "the counts kept for the check never leave");
    }
  }

  @Test
  void indicatorShareAndWilsonIntervalAgainstTarget() throws Exception {
    JsonObject indicator = digest(analyst, week()).getJsonArray("indicators").getJsonObject(0);
    assertEquals(45, indicator.getInteger("answered"));
    assertEquals(30, indicator.getInteger("favourable"));
    assertEquals(0.6667, indicator.getDouble("share"), 1e-4);
    // Wilson 95% for 30 of 45, worked by hand: centre 0.6536, half-width 0.1329.
    assertEquals(0.5207, indicator.getDouble("low"), 1e-3);
    assertEquals(0.7864, indicator.getDouble("high"), 1e-3);
    assertEquals(0.7, indicator.getDouble("target"));
    assertEquals("around-target", indicator.getString("status"));
    JsonArray trend = indicator.getJsonArray("trend");
    assertEquals(6, trend.size());
    JsonObject previous = trend.getJsonObject(4);
    assertEquals(20, previous.getInteger("answered"));
    assertEquals(0.5, previous.getDouble("share"), 1e-9);
    assertNull(trend.getJsonObject(0).getValue("share"), "no answers that far back: no share");
  }

  @Test
  void anIndicatorShareIsWithheldWhenFewerThanFiveAnsweredOneWay() throws Exception {
    // 6 answers, 5 favourable: "83%" of 6 shown would say that 1 person does not feel safe.
    for (int i = 0; i < 6; i++) {
      assertEquals(201, heard.postResponse("digest-small", "small-" + i, new JsonObject().put("answers", new JsonObject()
          .put("ward", "E05000001").put("safe", i < 5 ? 5 : 1).put("age_band", "25-44")).encode()).statusCode());
    }
    HttpResponse<String> response = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/surveys/digest-small/digest"
        + week())).header("Authorization", "Bearer " + board).GET().build());
    JsonObject indicator = new JsonObject(response.body()).getJsonArray("indicators").getJsonObject(0);
    assertEquals(6, indicator.getInteger("answered"));
    assertNull(indicator.getValue("share"), indicator.encode());
    assertNull(indicator.getValue("low"), indicator.encode());
    assertNull(indicator.getValue("favourable"), indicator.encode());
    assertEquals("withheld", indicator.getString("status"));
    assertTrue(indicator.getJsonArray("withheld").contains("share"));
    StaffClient boardUser = new StaffClient(heard);
    assertEquals(303, boardUser.login("board@example.org", PASSWORD));
    String page = boardUser.get("/staff/digests/digest-small?from=" + today.minusDays(6) + "&to=" + today).body();
    assertTrue(page.contains("not shown (fewer than 5 answered one way)"), "the page says why");
    assertFalse(page.contains("83%"), "and does not show it");
  }

  @Test
  void reachByAreaAndGroupFlagsTheUnderRepresentedAndShowsWhoIsReachedOffline() throws Exception {
    JsonObject reach = digest(board, week()).getJsonObject("reach");
    Map<String, JsonObject> areas = new java.util.HashMap<>();
    reach.getJsonArray("areas").forEach(a -> areas.put(((JsonObject) a).getString("code"), (JsonObject) a));
    assertEquals(30, areas.get("E05000001").getInteger("responses"));
    assertEquals(0.6667, areas.get("E05000001").getDouble("share"), 1e-4);
    assertEquals("represented", areas.get("E05000001").getString("flag"));
    assertNull(areas.get("E05000006").getValue("responses"), "12 is withheld, or 45 - 30 - 12 gives the 3 back");
    assertTrue(areas.get("E05000006").getJsonArray("withheld").contains("responses"));
    assertNull(areas.get("E05000006").getValue("share"), "and its share, which would give it back too");
    assertTrue(areas.get("E05000006").getBoolean("mostlyOffline"), "Westfield answered on paper");
    assertNull(areas.get("E05000002").getValue("responses"), "3 is suppressed");
    assertNull(areas.get("E05000002").getValue("share"));
    assertEquals("under-represented", areas.get("E05000002").getString("flag"), "3/45 is below 60% of 14%");
    assertEquals(0, areas.get("E05000003").getInteger("responses"));
    assertEquals("under-represented", areas.get("E05000003").getString("flag"));

    JsonObject age = reach.getJsonArray("groups").getJsonObject(0);
    assertEquals("age_band", age.getString("question"));
    assertEquals(45, age.getInteger("answered"));
    Map<String, JsonObject> values = new java.util.HashMap<>();
    age.getJsonArray("values").forEach(v -> values.put(((JsonObject) v).getString("value"), (JsonObject) v));
    assertEquals("represented", values.get("25-44").getString("flag"));
    assertFalse(values.get("25-44").getBoolean("mostlyOffline"));
    assertEquals(30, values.get("25-44").getJsonObject("channels").getInteger("web"));
    assertEquals("represented", values.get("65+").getString("flag"));
    assertTrue(values.get("65+").getBoolean("mostlyOffline"), "older people were reached on paper");
    assertNull(values.get("65+").getValue("responses"), "withheld: it would give the 3 aged 16-24 back");
    assertNull(values.get("65+").getJsonObject("channels").getValue("paper"),
        "and its paper count, which equals it (and the withheld paper total)");
    assertEquals("under-represented", values.get("16-24").getString("flag"));
    assertNull(values.get("16-24").getValue("responses"));
    assertNull(values.get("16-24").getJsonObject("channels").getValue("sms"), "3 by SMS is suppressed too");
    assertEquals("under-represented", values.get("45-64").getString("flag"), "no one aged 45-64 this week");
  }

  @Test
  void anAreaDigestCountsOnlyThatAreaAndNewResponsesAreCountedAsTheyArrive() throws Exception {
    JsonObject westfield = digest(board, week() + "&area=E05000006");
    assertEquals(12, westfield.getJsonObject("headline").getInteger("responses"));
    assertEquals("Westfield Estate", westfield.getJsonObject("area").getString("name"));
    JsonObject answers = new JsonObject().put("ward", "E05000006").put("safe", 5).put("age_band", "65+");
    HttpResponse<String> created = heard.postResponse("digest-test", "live-1", new JsonObject().put("answers", answers).encode());
    assertEquals(201, created.statusCode());
    assertEquals(200, heard.postResponse("digest-test", "live-1", new JsonObject().put("answers", answers).encode()).statusCode());
    JsonObject after = digest(board, week() + "&area=E05000006");
    assertEquals(13, after.getJsonObject("headline").getInteger("responses"), "counted once, as it arrived");
    // Erasing it takes it out of the counts again.
    HttpResponse<String> erased = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/erasures"))
        .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
            .put("responseId", new JsonObject(created.body()).getString("id")).encode())).build());
    assertEquals(200, erased.statusCode(), erased.body());
    assertEquals(12, digest(board, week() + "&area=E05000006").getJsonObject("headline").getInteger("responses"));
  }

  @Test
  void rolesAndBadQueries() throws Exception {
    String outreach = StaffClient.token(heard, "outreach@example.org", PASSWORD);
    assertEquals(403, heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/surveys/digest-test/digest"))
        .header("Authorization", "Bearer " + outreach).GET().build()).statusCode());
    HttpResponse<String> bad = heard.send(HttpRequest.newBuilder(heard.uri(
            "/api/v1/surveys/digest-test/digest?from=2026-02-30&to=yesterday&area=nowhere"))
        .header("Authorization", "Bearer " + board).GET().build());
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("\"from\"") && bad.body().contains("\"to\"") && bad.body().contains("\"area\""), bad.body());
    assertEquals(404, heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/surveys/nope/digest"))
        .header("Authorization", "Bearer " + board).GET().build()).statusCode());
  }

  @Test
  void theDigestPageWordsTheSameNumbersAndHasAPrintStylesheet() throws Exception {
    StaffClient client = new StaffClient(heard);
    assertEquals(303, client.login("board@example.org", PASSWORD));
    HttpResponse<String> page = client.get("/staff/digests/digest-test" + week());
    assertEquals(200, page.statusCode());
    String html = page.body();
    assertTrue(html.contains("<strong>45</strong> responses"), "headline");
    assertTrue(html.contains("fewer than 5"), "suppressed counts are worded");
    assertTrue(html.contains("67% (52% to 79%)"), "indicator share with its interval");
    assertTrue(html.contains("Under-represented"), "reach flags");
    assertTrue(html.contains("<svg class=\"trend\" role=\"img\""), "server-rendered chart");
    assertTrue(html.contains("<desc id=\"chart-safe-desc\">Target 70% (dashed line)."), "the chart is described");
    assertFalse(html.contains("Download the responses"), "boards cannot export");
    String css = heard.get("/static/staff.css").body();
    assertTrue(css.contains("@media print") && css.contains("@page{size:A4"), "print stylesheet for an A4 pack");
    List<String> audit = heard.find("audit_log", new JsonObject().put("action", "digest-viewed")).stream()
        .map(JsonObject::encode).toList();
    assertFalse(audit.isEmpty(), "digest reads are audited");
  }
}
