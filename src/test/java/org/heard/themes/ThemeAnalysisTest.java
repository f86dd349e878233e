package org.heard.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.heard.analysis.AnalysisQueue;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Text analysis and themes through the running server: comments posted through the API are
 * analysed by the worker (language, redaction, key phrases, vectors), grouped into themes, and
 * read through the themes API by the roles allowed to.
 */
class ThemeAnalysisTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN,
      Config.ADMIN_PASSWORD, PASSWORD, Config.ANALYSIS_RETRY_SECONDS, "1"));

  static String analyst;
  static String board;
  static String outreach;

  /** Four themes written for this test, each in several wordings (not evaluation data). */
  static final Map<String, List<String>> COMMENTS = Map.of(
      "lighting", List.of(
          "The street lights on our road have been broken for a month and it is very dark at night.",
          "Please fix the broken street lights near the bus stop, it is pitch dark.",
          "More street lighting in the alley would help, it is too dark to walk home.",
          "Several street lights are out by the park and the path is dark after six.",
          "Dark streets because the lamps are broken. Fix the street lights please.",
          "It is so dark on the estate since the street lights stopped working.",
          "Replace the broken street lights, walking in the dark feels unsafe.",
          "Street lights broken again on the main road, dark and frightening at night."),
      "speeding", List.of(
          "Cars speeding down the high street every evening, we need speed cameras.",
          "Drivers race along our road far above the speed limit.",
          "Speeding traffic outside the school is dangerous for children crossing.",
          "Put in speed bumps, the cars go way too fast past the houses.",
          "Boy racers speeding round the estate late at night in their cars.",
          "The speed limit is ignored, cars and vans speeding all day.",
          "Speed cameras please, people drive dangerously fast near the junction.",
          "Too many cars speeding on the bypass, someone will be killed."),
      "drugs", List.of(
          "Drug dealing openly in the car park behind the flats.",
          "People selling drugs near the school gates in the afternoon.",
          "There is drug dealing on the corner every night and needles left behind.",
          "Dealers selling drugs outside the shop, police never come.",
          "Drug users and dealers hanging around the underpass.",
          "Open drug dealing in the park, you can smell cannabis everywhere.",
          "Stop the drug dealing on our estate, it is getting worse.",
          "Needles and drug dealing near the children's playground."),
      "litter", List.of(
          "Fly-tipping in the lane, mattresses and rubbish dumped every week.",
          "Rubbish and litter everywhere, the bins are never emptied.",
          "People dump rubbish bags and old furniture on the verge.",
          "Litter all over the green and overflowing bins by the shops.",
          "Fly-tipping behind the garages, piles of rubbish and builders waste.",
          "The alley is full of dumped rubbish and litter, it attracts rats.",
          "Clear up the fly-tipping and litter by the railway bridge.",
          "Bags of rubbish dumped on the pavement, litter blowing everywhere."));

  @BeforeAll
  static void accountsAndComments() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    for (String role : List.of("analyst", "board", "outreach")) {
      assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", role + "@example.org", "role", role,
          "password", PASSWORD)).statusCode());
    }
    analyst = StaffClient.token(heard, "analyst@example.org", PASSWORD);
    board = StaffClient.token(heard, "board@example.org", PASSWORD);
    outreach = StaffClient.token(heard, "outreach@example.org", PASSWORD);
    int n = 0;
    for (Map.Entry<String, List<String>> theme : COMMENTS.entrySet()) {
      for (String text : theme.getValue()) {
        post("seed-" + (n++), text, n % 2 == 0 ? "E05000002" : "E05000001", n % 3 == 0 ? "16-24" : "45-64");
      }
    }
    heard.awaitAnalysed(n);
  }

  static void post(String key, String text, String area, String age) throws Exception {
    JsonObject answers = new JsonObject().put("ward", area).put("feel_safe_day", 4).put("feel_safe_dark", 2)
        .put("what_would_help", text).put("age_band", age);
    HttpResponse<String> response = heard.postResponse("community-safety", key, new JsonObject()
        .put("answers", answers).put("language", "en").encode());
    assertEquals(201, response.statusCode(), response.body());
  }

  static JsonObject analysisOf(String id, String question) {
    List<JsonObject> found = heard.find("responses", new JsonObject().put("_id", id));
    return found.isEmpty() ? null : found.get(0).getJsonObject("analysis", new JsonObject()).getJsonObject(question);
  }

  static HttpResponse<String> themes(String token, String query) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/themes" + query));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return heard.send(request.GET().build());
  }

  static String today() {
    return LocalDate.now(ZoneId.of("Europe/London")).toString();
  }

  @Test
  void boardsNeverSeeASmallThemeNorOneTheyCouldSubtractBack() throws Exception {
    String narrow = "?area=E05000002&group=age_band:16-24";
    JsonObject raw = new JsonObject(themes(analyst, narrow).body());
    assertTrue(raw.getJsonArray("themes").stream().map(JsonObject.class::cast)
            .anyMatch(t -> t.getInteger("size") > 0 && t.getInteger("size") < 5),
        "the narrow query has small themes (as analysts see them): " + raw.encode());
    HttpResponse<String> response = themes(board, narrow);
    assertEquals(200, response.statusCode(), response.body());
    JsonObject shown = new JsonObject(response.body());
    int withheldBesideTotal = 0;
    for (Object t : shown.getJsonArray("themes")) {
      JsonObject theme = (JsonObject) t;
      Integer size = theme.getInteger("size");
      if (size == null) {
        withheldBesideTotal++;
        assertNull(theme.getValue("share"), theme.encode());
        if (theme.getJsonArray("suppressed", new JsonArray()).contains("size")) {
          assertEquals(0, theme.getJsonArray("quotes").size(), "no quotes from a theme under 5: " + theme.encode());
        }
      } else {
        assertTrue(size == 0 || size >= 5, "a board saw a theme of " + size + ": " + theme.encode());
      }
    }
    assertTrue(withheldBesideTotal != 1 || shown.getValue("comments") == null,
        "a lone withheld size beside the shown total could be subtracted back: " + shown.encode());
    assertFalse(shown.encode().contains("members"));
  }

  @Test
  void englishCommentIsAnalysedAndItsPersonalDataRedacted() throws Exception {
    String text = "Mr Patel at 14 Elm Road keeps reporting it, call Sarah Jones on 07700 900123 or email "
        + "sarah.jones@example.com; the white van AB12 CDE parks near LS1 4AB every night.";
    HttpResponse<String> created = heard.postResponse("community-safety", "redact-en", new JsonObject()
        .put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 3).put("feel_safe_dark", 2)
            .put("what_would_help", text)).put("language", "en").encode());
    String id = new JsonObject(created.body()).getString("id");
    JsonObject analysis = awaitAnalysis(id, "what_would_help");
    assertEquals("en", analysis.getString("language"));
    String redacted = analysis.getString("redacted");
    for (String marker : List.of("[name]", "[address]", "[phone]", "[email]", "[vehicle]", "[postcode]")) {
      assertTrue(redacted.contains(marker), marker + " in: " + redacted);
    }
    for (String personal : List.of("Patel", "14 Elm Road", "Sarah", "Jones", "07700", "example.com", "AB12", "LS1 4AB")) {
      assertFalse(redacted.contains(personal), personal + " left in: " + redacted);
    }
    assertTrue(redacted.contains("white van"), "ordinary words stay: " + redacted);
    assertFalse(analysis.getJsonArray("keyPhrases").isEmpty());
    // Theme labels are made of terms and key phrases: nothing redaction removed may be among them.
    String derived = new JsonArray().addAll(analysis.getJsonArray("terms")).addAll(analysis.getJsonArray("keyPhrases"))
        .addAll(analysis.getJsonArray("surfaces")).encode().toLowerCase(Locale.ROOT);
    for (String personal : List.of("patel", "elm", "sarah", "jones", "cde", "07700")) {
      assertFalse(derived.contains(personal), personal + " in terms or key phrases: " + derived);
    }
    assertTrue(derived.contains("van"), "ordinary words are terms: " + derived);
    assertNotNull(analysis.getString("vector"), "English comments get a sentence vector");
    JsonObject stored = heard.find("responses", new JsonObject().put("_id", id)).get(0);
    assertEquals(text, stored.getJsonObject("answers").getString("what_would_help"), "the original stays on the response");
  }

  @Test
  void polishCommentIsDetectedStemmedAndRedacted() throws Exception {
    String text = "Pani Anna Kowalska z ul. Marszałkowskiej 12 widziała handel narkotykami przy szkole. "
        + "Proszę dzwonić pod numer +48 601 234 567, kod pocztowy 00-950, samochód WA 12345.";
    HttpResponse<String> created = heard.postResponse("community-safety", "redact-pl", new JsonObject()
        .put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 3).put("feel_safe_dark", 2)
            .put("what_would_help", text)).put("language", "pl").encode());
    String id = new JsonObject(created.body()).getString("id");
    JsonObject analysis = awaitAnalysis(id, "what_would_help");
    assertEquals("pl", analysis.getString("language"));
    String redacted = analysis.getString("redacted");
    for (String personal : List.of("Anna", "Kowalska", "Marszałkowskiej 12", "601 234 567", "00-950", "WA 12345")) {
      assertFalse(redacted.contains(personal), personal + " left in: " + redacted);
    }
    assertTrue(redacted.contains("[name]") && redacted.contains("[phone]") && redacted.contains("[postcode]")
        && redacted.contains("[address]") && redacted.contains("[vehicle]"), redacted);
    assertTrue(analysis.getJsonArray("terms").contains("narkotyk") || analysis.getJsonArray("terms").stream()
        .anyMatch(t -> t.toString().startsWith("narkoty")), "Polish words are stemmed: " + analysis.getJsonArray("terms"));
    // Through the Polish glossary the comment has an English sentence vector and English terms, made
    // from the redacted text ("dealing drugs school ..."): never from the name or the street.
    assertNotNull(analysis.getString("vector"), "the English gloss of a Polish comment has a vector");
    assertTrue(analysis.getJsonArray("terms").contains("drug"), "English terms of the gloss: " + analysis.getJsonArray("terms"));
    assertFalse(analysis.getJsonArray("terms").stream().anyMatch(t -> t.toString().startsWith("kowal")), analysis.encode());
  }

  static JsonObject awaitAnalysis(String id, String question) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      JsonObject analysis = analysisOf(id, question);
      if (analysis != null) {
        return analysis;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("response " + id + " was not analysed");
  }

  @Test
  void themesApiGroupsCommentsIntoLabelledThemesWithQuotesForAllowedRoles() throws Exception {
    HttpResponse<String> response = themes(analyst, "?from=" + today() + "&to=" + today() + "&include=members");
    assertEquals(200, response.statusCode(), response.body());
    JsonObject report = new JsonObject(response.body());
    JsonArray themes = report.getJsonArray("themes");
    List<JsonObject> real = new ArrayList<>();
    int total = 0;
    for (Object t : themes) {
      JsonObject theme = (JsonObject) t;
      total += theme.getInteger("size");
      assertEquals("new", theme.getString("change"), "nothing in the previous period");
      assertTrue(theme.getJsonArray("quotes").size() <= 3);
      if (theme.getString("kind").equals("theme")) {
        real.add(theme);
        assertTrue(theme.getString("id").startsWith("t-"));
        int words = theme.getString("label").split("[ ,]+").length;
        assertTrue(words >= 1 && words <= 4, theme.getString("label"));
        assertEquals(theme.getInteger("size"), theme.getJsonArray("members").size());
        assertFalse(theme.getJsonArray("quotes").isEmpty());
      }
    }
    assertEquals(report.getInteger("comments"), total, "every comment of the period is in exactly one theme");
    assertTrue(real.size() >= 3 && real.size() <= 6, "about the four written themes: " + labels(real));
    // Each written theme is mostly in one found theme: the grouping follows the meaning.
    for (Map.Entry<String, List<String>> written : COMMENTS.entrySet()) {
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < written.getValue().size(); i++) {
        ids.add(themeOf(real, written.getValue().get(i)));
      }
      assertTrue(ids.size() <= 2, written.getKey() + " split over " + ids);
    }
    for (String word : List.of("light", "speed", "drug")) {
      assertTrue(labels(real).toLowerCase().contains(word), "a label names " + word + ": " + labels(real));
    }

    // Every redacted comment of a theme, for the "all comments" link of the digest.
    JsonObject biggest = real.stream().max(java.util.Comparator.comparingInt(t -> t.getInteger("size"))).orElseThrow();
    HttpResponse<String> all = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/themes/"
        + biggest.getString("id") + "/comments?from=" + today() + "&to=" + today()))
        .header("Authorization", "Bearer " + board).GET().build());
    assertEquals(200, all.statusCode(), all.body());
    JsonObject listed = new JsonObject(all.body());
    assertEquals(biggest.getInteger("size"), listed.getInteger("size"));
    assertEquals(biggest.getInteger("size"), listed.getJsonArray("comments").size());
    assertEquals(404, heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/themes/t-nope/comments"))
        .header("Authorization", "Bearer " + board).GET().build()).statusCode());

    HttpResponse<String> boardView = themes(board, "");
    assertEquals(200, boardView.statusCode());
    assertFalse(boardView.body().contains("\"members\""), "boards see no member ids");
    assertEquals(403, themes(board, "?include=members").statusCode());
    assertEquals(403, themes(outreach, "").statusCode());
    assertEquals(401, themes(null, "").statusCode());
    assertEquals(404, heard.send(HttpRequest.newBuilder(
        heard.uri("/api/v1/surveys/nope/themes")).header("Authorization", "Bearer " + analyst).GET().build()).statusCode());
    HttpResponse<String> bad = themes(analyst, "?from=2026-13-01&area=atlantis&channel=fax");
    assertEquals(400, bad.statusCode());
    for (String field : List.of("\"from\"", "\"area\"", "\"channel\"")) {
      assertTrue(bad.body().contains(field), bad.body());
    }
  }

  private static String labels(List<JsonObject> themes) {
    return String.join(" | ", themes.stream().map(t -> t.getString("label")).toList());
  }

  /** The id of the theme whose members include the response with this seed text. */
  private static String themeOf(List<JsonObject> themes, String text) {
    String id = heard.find("responses", new JsonObject().put("answers.what_would_help", text)).get(0).getString("_id");
    for (JsonObject theme : themes) {
      if (theme.getJsonArray("members").contains(id)) {
        return theme.getString("id");
      }
    }
    return "other";
  }

  @Test
  void sameInputGivesTheSameThemesAndIdsSurviveARebuild() throws Exception {
    ThemeModel first = heard.server().themes().rebuild("community-safety").toCompletionStage().toCompletableFuture().get();
    ThemeModel second = heard.server().themes().rebuild("community-safety").toCompletionStage().toCompletableFuture().get();
    assertEquals(ids(first), ids(second));
    for (ThemeModel.Theme theme : first.themes()) {
      assertEquals(theme.label(), second.theme(theme.id()).label());
    }
    for (ThemeModel.Assignment a : first.assignments()) {
      assertEquals(a.themeId(), second.assignments().stream().filter(b -> b.item().key().equals(a.item().key()))
          .findFirst().orElseThrow().themeId());
    }
  }

  private static List<String> ids(ThemeModel model) {
    return model.themes().stream().map(ThemeModel.Theme::id).sorted().toList();
  }

  @Test
  void aFailedAnalysisIsRetriedUntilItSucceeds() throws Exception {
    // The queue names a response the database does not have yet (as after a replica lag): the
    // worker fails, backs off, and succeeds once the response is there.
    String id = "retry-" + System.nanoTime();
    heard.mongo().insert(AnalysisQueue.COLLECTION, new JsonObject().put("_id", id).put("surveyId", "community-safety")
        .put("state", "pending").put("attempts", 0).put("notBefore", 0L)).toCompletionStage().toCompletableFuture().get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonObject entry = null;
    while (System.nanoTime() < deadline) {
      List<JsonObject> found = heard.find(AnalysisQueue.COLLECTION, new JsonObject().put("_id", id));
      entry = found.isEmpty() ? null : found.get(0);
      if (entry != null && entry.getString("lastError") != null) {
        break;
      }
      Thread.sleep(100);
    }
    assertNotNull(entry);
    assertTrue(entry.getString("lastError").contains("not (yet) in the database"), entry.encode());
    assertEquals("pending", entry.getString("state"), "a failure is retried, not dropped");
    heard.mongo().insert("responses", new JsonObject().put("_id", id).put("surveyId", "community-safety")
        .put("surveyVersion", 1).put("channel", "api").put("receivedAt", new JsonObject().put("$date", java.time.Instant.now().toString()))
        .put("language", "en").put("answers", new JsonObject().put("ward", "E05000001")
            .put("what_would_help", "More police patrols on foot in the evening."))
        .put("provenance", new JsonObject()).put("complete", true)).toCompletionStage().toCompletableFuture().get();
    awaitAnalysis(id, "what_would_help");
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!heard.find(AnalysisQueue.COLLECTION, new JsonObject().put("_id", id)).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(heard.find(AnalysisQueue.COLLECTION, new JsonObject().put("_id", id)).isEmpty(), "done entries leave the queue");
  }
}
