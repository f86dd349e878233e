package org.heard.webform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.response.ResponseStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Budgets and limits of the web form: page weight, third parties, rate limit, language fallback. */
class WebFormLimitsTest {
  private static final int BUDGET_BYTES = 30 * 1024;

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.WEB_POSTS_PER_MINUTE, "3"))
      .withSurvey("half-translated.yaml", """
        id: half-translated
        version: 1
        title: {en: Half translated, pl: Częściowo przetłumaczona}
        languages: [en, pl]
        channels: {web: true}
        questions:
          - {id: q1, type: consent, text: {en: Only in English}}
          - {id: q2, type: consent, text: {en: Also in English, pl: Także po polsku}}
        """);

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<byte[]> gzip(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(heard.uri(path)).header("Accept-Encoding", "gzip").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void everyFormPageWithItsCssIsUnder30KilobytesCompressedAndCallsNoThirdParty() throws Exception {
    HttpResponse<byte[]> css = gzip("/static/heard.css");
    assertEquals(200, css.statusCode());
    assertEquals("gzip", css.headers().firstValue("Content-Encoding").orElse(""));
    for (int page = 1; page <= 6; page++) {
      HttpResponse<byte[]> html = gzip("/surveys/community-safety/page/" + page + "?lang=pl");
      assertEquals(200, html.statusCode());
      int total = html.body().length + css.body().length;
      assertTrue(total < BUDGET_BYTES, "page " + page + " weighs " + total + " bytes compressed");
      String text = heard.get("/surveys/community-safety/page/" + page).body();
      Matcher urls = Pattern.compile("(?:src|href|action)=\"(https?:)?//").matcher(text);
      assertFalse(urls.find(), "page " + page + " refers to another host");
    }
  }

  @Test
  void textsWithoutATranslationFallBackToTheDefaultLanguageMarkedAsSuch() throws Exception {
    String html = heard.get("/surveys/half-translated?lang=pl").body();
    assertTrue(html.contains("<html lang=\"pl\">"));
    assertTrue(html.contains("<span lang=\"en\">Only in English</span>"), html);
    assertTrue(html.contains("<span>Także po polsku</span>"), "translated text needs no lang of its own");
  }

  @Test
  void tooManyFormPostsFromOneClientAreSlowedDown() throws Exception {
    long before = heard.count(ResponseStore.COLLECTION);
    HttpResponse<String> last = null;
    for (int i = 0; i < 4; i++) {
      last = http.send(HttpRequest.newBuilder(heard.uri("/surveys/sms-pulse/page/1"))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
          .POST(HttpRequest.BodyPublishers.ofString("csrf=x")).build(), HttpResponse.BodyHandlers.ofString());
      if (i < 3) {
        assertEquals(403, last.statusCode(), "within the limit the request is handled (and fails CSRF)");
      }
    }
    assertEquals(429, last.statusCode());
    assertEquals("60", last.headers().firstValue("Retry-After").orElse(""));
    assertTrue(last.body().contains("wait a minute"), last.body());
    assertEquals(before, heard.count(ResponseStore.COLLECTION));
  }
}
