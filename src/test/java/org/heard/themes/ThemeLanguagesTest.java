package org.heard.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Polish comments themed with English ones through the running server: posted on the Polish form,
 * analysed by the worker (their English gloss gets a sentence vector), they land in the theme of
 * the English comments about the same concern, and every label is a 2-4 word phrase. A short
 * Polish comment on the English form is still taken as Polish.
 */
class ThemeLanguagesTest {
  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ThemeAnalysisTest.ADMIN,
      Config.ADMIN_PASSWORD, ThemeAnalysisTest.PASSWORD));

  /** Written for this test: two concerns of ThemeAnalysisTest's, in Polish. */
  static final Map<String, List<String>> POLISH = Map.of(
      "lighting", List.of(
          "Latarnie na naszej ulicy nie świecą od miesiąca i wieczorem jest całkiem ciemno.",
          "Proszę naprawić oświetlenie przy przystanku, po zmroku jest ciemno i boję się wracać.",
          "Zepsute lampy w parku, ciemno i niebezpiecznie w nocy.",
          "Brakuje oświetlenia na osiedlu, latarnie są zepsute.",
          "Ciemna ulica, żadna latarnia nie działa, kobiety boją się chodzić wieczorem."),
      "litter", List.of(
          "Ktoś wyrzuca śmieci i stare meble za garażami.",
          "Wszędzie pełno śmieci, kosze są przepełnione i nikt ich nie opróżnia.",
          "Śmieci i odpady porzucone przy drodze, brud na chodniku.",
          "Kontenery na śmieci są przepełnione, śmieci leżą na ulicy.",
          "Ludzie wyrzucają śmieci i materace przy sklepie."));

  @Test
  void polishCommentsJoinTheEnglishThemeOfTheirConcern() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ThemeAnalysisTest.ADMIN, ThemeAnalysisTest.PASSWORD));
    assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", "analyst@example.org", "role", "analyst",
        "password", ThemeAnalysisTest.PASSWORD)).statusCode());
    String analyst = StaffClient.token(heard, "analyst@example.org", ThemeAnalysisTest.PASSWORD);
    Map<String, String> concernOf = new HashMap<>();
    int n = 0;
    for (Map.Entry<String, List<String>> concern : ThemeAnalysisTest.COMMENTS.entrySet()) {
      for (String text : concern.getValue()) {
        concernOf.put(post("en-" + n++, text, "en"), "en:" + concern.getKey());
      }
    }
    for (Map.Entry<String, List<String>> concern : POLISH.entrySet()) {
      for (String text : concern.getValue()) {
        concernOf.put(post("pl-" + n++, text, "pl"), "pl:" + concern.getKey());
      }
    }
    // A short Polish comment on the English form: its letters say it is not English.
    String onEnglishForm = post("pl-on-en", "Włamano się do piwnicy, ukradli rowery", "en");
    heard.awaitAnalysed(n + 1);
    JsonObject analysis = heard.find("responses", new JsonObject().put("_id", onEnglishForm)).get(0)
        .getJsonObject("analysis").getJsonObject("what_would_help");
    assertEquals("pl", analysis.getString("language"), analysis.encode());

    HttpResponse<String> response = heard.send(HttpRequest.newBuilder(heard.uri(
        "/api/v1/surveys/community-safety/themes?include=members&from=" + ThemeClient.today() + "&to=" + ThemeClient.today()))
        .header("Authorization", "Bearer " + analyst).GET().build());
    assertEquals(200, response.statusCode(), response.body());
    Map<String, String> themeOf = new HashMap<>();
    List<String> labels = new ArrayList<>();
    for (Object t : new JsonObject(response.body()).getJsonArray("themes")) {
      JsonObject theme = (JsonObject) t;
      for (Object member : theme.getJsonArray("members", new JsonArray())) {
        themeOf.put((String) member, theme.getString("id"));
      }
      if (theme.getString("kind").equals("theme")) {
        String label = theme.getString("label");
        labels.add(label);
        int words = label.split(" ").length;
        assertTrue(words >= 2 && words <= 4 && !label.matches(".*\\d.*") && !label.contains("["), "label: " + label);
      }
    }
    assertFalse(themeOf.values().stream().anyMatch(id -> id.startsWith("lang-")),
        "no Polish comment is left in a language group: " + response.body());
    for (String concern : POLISH.keySet()) {
      String english = mostCommon(themeOf, concernOf, "en:" + concern);
      long together = concernOf.entrySet().stream()
          .filter(e -> e.getValue().equals("pl:" + concern) && english.equals(themeOf.get(e.getKey()))).count();
      assertTrue(together >= 4, "Polish comments about " + concern + " are in the English theme " + english
          + " (" + together + " of 5); labels " + labels + ": " + response.body());
    }
  }

  private static String post(String key, String text, String language) throws Exception {
    HttpResponse<String> created = heard.postResponse("community-safety", key, new JsonObject()
        .put("language", language).put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 4)
            .put("feel_safe_dark", 2).put("what_would_help", text)).encode());
    assertEquals(201, created.statusCode(), created.body());
    return new JsonObject(created.body()).getString("id");
  }

  /** The theme most of one concern's comments are in. */
  private static String mostCommon(Map<String, String> themeOf, Map<String, String> concernOf, String concern) {
    Map<String, Integer> count = new HashMap<>();
    concernOf.forEach((id, c) -> {
      if (c.equals(concern)) {
        count.merge(themeOf.getOrDefault(id, "none"), 1, Integer::sum);
      }
    });
    return count.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }
}
