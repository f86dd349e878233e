package org.heard.webform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.StoppableDatabase;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one database share the web form's budget: new form sessions from one address
 * are counted together (6 an hour configured: 6 pass in all, not 6 on each), in the database, keyed
 * by a digest, never by the address.
 */
class SharedLimitsTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final String PAGE = "feel_safe_now=4&ward=E05000003&contact_ok=false&main_worry=shared";
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @Test
  void twoInstancesCountNewFormsFromOneAddressTogether(@TempDir Path dir) throws Exception {
    try (StoppableDatabase database = new StoppableDatabase(dir.resolve("shared.mv.db"))) {
      Map<String, String> env = new HashMap<>(Map.of(Config.MONGODB_URI, database.uri(),
          Config.SECRET, "shared-secret-for-instances-0123456789", Config.WEB_NEW_FORMS_PER_HOUR, "6",
          Config.WEB_POSTS_PER_MINUTE, "100", Config.WEB_SENDS_PER_MINUTE, "100"));
      try (TestServer first = TestServer.start(dir.resolve("a"), env);
           TestServer second = TestServer.start(dir.resolve("b"), env)) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          TestServer instance = i % 2 == 0 ? first : second;
          statuses.add(startForm(instance));
        }
        assertEquals(6, statuses.stream().filter(s -> s == 303).count(), "6 new forms in all: " + statuses);
        assertEquals(4, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        List<JsonObject> windows = first.find("rate_windows", new JsonObject());
        assertTrue(windows.stream().anyMatch(w -> w.getString("_id").startsWith("new-forms|")
            && w.getLong("n") == 10), windows.toString());
        assertTrue(windows.stream().noneMatch(w -> w.getString("_id").contains("127.0.0.1")),
            "the address is never stored: " + windows);
      }
    }
  }

  /** A fresh browser starts a form on {@code instance}: the status of its first page's post. */
  private static int startForm(TestServer instance) throws Exception {
    HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(instance.uri("/surveys/sms-pulse?lang=en"))
        .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
    Matcher csrf = CSRF.matcher(page.body());
    assertTrue(csrf.find(), page.body());
    String cookies = String.join("; ", page.headers().allValues("Set-Cookie").stream()
        .map(c -> c.split(";", 2)[0]).toList());
    return HTTP.send(HttpRequest.newBuilder(instance.uri("/surveys/sms-pulse")).header("Accept", "text/html")
        .header("Cookie", cookies).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&" + PAGE)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
