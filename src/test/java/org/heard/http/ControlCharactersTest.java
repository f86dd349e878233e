package org.heard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request values holding control characters are refused at once with a 400 that says why; a sign-in
 * "next" holding CR/LF can no longer split the redirect's header (it used to hang the request).
 */
class ControlCharactersTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));

  @Test
  void controlCharactersInAPathOrQueryAreRefusedAtOnce() throws Exception {
    for (String path : List.of("/staff/login?next=%2Fstaff%0D%0ASet-Cookie%3A%20x%3Dy", "/?lang=en%00",
        "/api/v1/surveys?x=%1B%5B31m", "/api/v1/surveys/community%0Asafety", "/surveys/community-safety%7F")) {
      HttpResponse<String> response = heard.send(HttpRequest.newBuilder(heard.uri(path))
          .timeout(Duration.ofSeconds(5)).build());
      assertEquals(400, response.statusCode(), path);
      assertEquals("urn:heard:problem:control-characters", new JsonObject(response.body()).getString("type"), path);
      assertFalse(response.headers().allValues("set-cookie").stream().anyMatch(c -> c.startsWith("x=")), path);
    }
  }

  @Test
  void aSignInNextWithALineBreakGoesToTheStaffHomeInstead() throws Exception {
    StaffClient browser = new StaffClient(heard);
    String csrf = csrfOf(browser.get("/staff/login").body());
    String body = form(Map.of("csrf", csrf, "email", ADMIN, "password", PASSWORD,
        "next", "/staff/audit\r\nSet-Cookie: x=y"));
    HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(heard.uri("/staff/login"))
        .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertEquals(303, signedIn.statusCode(), signedIn.body());
    assertEquals("/staff", signedIn.headers().firstValue("Location").orElseThrow());
    assertTrue(signedIn.headers().allValues("set-cookie").stream().noneMatch(c -> c.startsWith("x=")));
  }

  @Test
  void aTextAnswerMayStillHoldLineBreaks() throws Exception {
    String json = new JsonObject().put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 4)
        .put("feel_safe_dark", 2).put("what_would_help", "Better lighting.\nAnd a bus after ten.")).encode();
    assertEquals(201, heard.postResponse("community-safety", "line-breaks", json).statusCode());
  }

  private static String csrfOf(String html) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
    assertTrue(m.find(), html);
    return m.group(1);
  }

  private static String form(Map<String, String> fields) {
    StringBuilder out = new StringBuilder();
    fields.forEach((k, v) -> out.append(out.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return out.toString();
  }
}
