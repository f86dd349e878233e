package org.heard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.MainRunner;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a reverse proxy: with the proxy trusted (HEARD_TRUSTED_PROXIES), each resident is counted
 * by the address it forwards and HTTPS it reports brings Strict-Transport-Security and secure
 * cookies; from a peer that is not trusted, forwarded headers count for nothing.
 */
class TrustedProxiesTest {
  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @TempDir
  Path dir;

  /** A new visitor starting the form through the proxy for {@code client}; the status of page 1's post. */
  static int startForm(TestServer heard, String client) throws Exception {
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<String> page = browser.send(HttpRequest.newBuilder(heard.uri("/surveys/sms-pulse?lang=en"))
        .header("X-Forwarded-For", client).GET().build(), HttpResponse.BodyHandlers.ofString());
    Matcher m = CSRF.matcher(page.body());
    assertTrue(m.find(), page.body());
    return browser.send(HttpRequest.newBuilder(heard.uri("/surveys/sms-pulse")).header("X-Forwarded-For", client)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + m.group(1) + "&feel_safe_now=4")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void aTrustedProxyNamesEachClientAndItsScheme() throws Exception {
    try (TestServer heard = TestServer.start(dir, Map.of(Config.TRUSTED_PROXIES, "127.0.0.1, ::1",
        Config.WEB_NEW_FORMS_PER_HOUR, "2"))) {
      assertNotEquals(429, startForm(heard, "203.0.113.1"));
      assertNotEquals(429, startForm(heard, "203.0.113.1"));
      assertEquals(429, startForm(heard, "203.0.113.1"), "the third form from one resident's address");
      assertNotEquals(429, startForm(heard, "203.0.113.2"), "another resident behind the same proxy has their own");

      HttpResponse<String> plain = heard.get("/?lang=en");
      assertFalse(plain.headers().firstValue("Strict-Transport-Security").isPresent());
      assertFalse(plain.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.contains("Secure")));
      HttpResponse<String> secure = heard.send(HttpRequest.newBuilder(heard.uri("/?lang=pl"))
          .header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "203.0.113.3").GET().build());
      assertTrue(secure.headers().firstValue("Strict-Transport-Security").isPresent());
      assertTrue(secure.headers().allValues("Set-Cookie").stream().allMatch(c -> c.contains("Secure")),
          secure.headers().allValues("Set-Cookie").toString());
      assertFalse(secure.headers().allValues("Set-Cookie").isEmpty());
      // Metrics read through the proxy are not "from this machine".
      assertEquals(401, heard.send(HttpRequest.newBuilder(heard.uri("/metrics"))
          .header("X-Forwarded-For", "203.0.113.3").GET().build()).statusCode());
    }
  }

  @Test
  void forwardedHeadersFromAPeerNotTrustedCountForNothing() throws Exception {
    try (TestServer heard = TestServer.start(dir, Map.of(Config.TRUSTED_PROXIES, "10.9.9.0/24",
        Config.WEB_NEW_FORMS_PER_HOUR, "2"))) {
      assertNotEquals(429, startForm(heard, "203.0.113.1"));
      assertNotEquals(429, startForm(heard, "203.0.113.2"));
      assertEquals(429, startForm(heard, "203.0.113.3"), "every claimed address is this one peer");
      HttpResponse<String> claimed = heard.send(HttpRequest.newBuilder(heard.uri("/?lang=pl"))
          .header("X-Forwarded-Proto", "https").GET().build());
      assertFalse(claimed.headers().firstValue("Strict-Transport-Security").isPresent());
      // Its forwarded headers removed, it is still not taken for a local scrape.
      assertEquals(401, heard.send(HttpRequest.newBuilder(heard.uri("/metrics"))
          .header("X-Forwarded-For", "203.0.113.3").GET().build()).statusCode());
      assertEquals(200, heard.get("/metrics").statusCode());
    }
  }

  @Test
  void aTrustedProxyListHeardCannotReadStopsStartUp() {
    MainRunner.Result result = MainRunner.run(Map.of(Config.TRUSTED_PROXIES, "10.0.0.1, proxy.example.org, 10.0.0.0/40",
        Config.DATA_DIR, dir.resolve("data").toString()));
    assertEquals(78, result.status());
    assertTrue(result.err().contains("HEARD_TRUSTED_PROXIES: 'proxy.example.org' is not an IP address or CIDR block"),
        result.err());
    assertTrue(result.err().contains("HEARD_TRUSTED_PROXIES: '10.0.0.0/40' has a prefix outside 0-32"), result.err());
  }
}
