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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Budgets of the web form (page weight, third parties) and its language fallback. */
class WebFormLimitsTest {
  private static final int BUDGET_BYTES = 30 * 1024;

  @RegisterExtension
  static final TestServer heard = TestServer.forClass()
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
    HttpResponse<byte[]> script = gzip("/static/form.js");
    assertEquals(200, script.statusCode());
    for (int page = 1; page <= 5; page++) {
      HttpResponse<byte[]> html = gzip("/surveys/community-safety/page/" + page + "?lang=pl");
      if (page == 3) {
        // "Did you report it?" applies only to a victim: a new visitor is sent on past it.
        assertEquals(303, html.statusCode());
        assertEquals("/surveys/community-safety/page/4", html.headers().firstValue("Location").orElse(""));
        continue;
      }
      assertEquals(200, html.statusCode());
      int total = html.body().length + css.body().length + script.body().length;
      assertTrue(total < BUDGET_BYTES, "page " + page + " weighs " + total + " bytes compressed");
      String text = heard.get("/surveys/community-safety/page/" + page).body();
      Matcher urls = Pattern.compile("(?:src|href|action)=\"(https?:)?//").matcher(text);
      assertFalse(urls.find(), "page " + page + " refers to another host");
    }
  }

  @Test
  void textsWithoutATranslationFallBackToTheDefaultLanguageMarkedAsSuch() throws Exception {
    String html = heard.get("/surveys/half-translated?lang=pl").body();
    assertTrue(html.contains("<html lang=\"pl\" dir=\"ltr\">"));
    assertTrue(html.contains("<span lang=\"en\">Only in English</span>"), html);
    assertTrue(html.contains("<span>Także po polsku</span>"), "translated text needs no lang of its own");
  }
}
