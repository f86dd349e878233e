package org.heard.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changing a survey without a restart, on two instances sharing one database: an upload through one
 * is checked as at start-up (problems listed, nothing changed) and put in force on both within
 * seconds; a form being filled in on the other carries on and is stored under the new version; the
 * surveys folder reloads; and after a restart the latest change stays in force.
 */
public class SurveyChangesTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  static final String V1 = """
      id: change-test
      version: 1
      title: {en: Before the change}
      languages: [en]
      questions:
        - {id: safe, type: scale, min: 1, max: 5, text: {en: How safe do you feel?}}
        - {id: worry, type: text, section: {en: Worries}, text: {en: What worries you?}}
        - {id: area_years, type: number, text: {en: Years here?}}
      """;
  static final String V2 = """
      id: change-test
      version: 2
      title: {en: After the change}
      languages: [en]
      questions:
        - {id: safe, type: scale, min: 1, max: 5, text: {en: How safe do you feel?}}
        - {id: worry, type: text, section: {en: Worries}, text: {en: What worries you most?}}
        - {id: lighting, type: single_choice, text: {en: Is the street lighting good?}, options: ["yes", "no"]}
      """;

  @TempDir
  Path dir;

  @Test
  void aChangeThroughOneInstanceIsInForceOnBothWithoutARestart() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD,
        Config.SECRET, "shared-secret-for-instances-0123456789"));
    Path surveysA = TestServer.testSurveys(dir.resolve("a/surveys"));
    Path surveysB = TestServer.testSurveys(dir.resolve("b/surveys"));
    Files.writeString(surveysA.resolve("change-test.yaml"), V1);
    Files.writeString(surveysB.resolve("change-test.yaml"), V1);
    env.put(Config.SURVEYS_DIR, surveysA.toString());
    try (TestServer a = TestServer.start(dir.resolve("a"), env)) {
      Map<String, String> shared = new HashMap<>(env);
      shared.put(Config.SURVEYS_DIR, surveysB.toString());
      shared.put(Config.MONGODB_URI, a.server().databaseConnectionString());
      try (TestServer b = TestServer.start(dir.resolve("b"), shared)) {
        StaffClient admin = new StaffClient(a);
        assertEquals(303, admin.login(ADMIN, PASSWORD));
        assertTrue(admin.get("/staff/definitions").body().contains("Before the change"));

        // A resident on B starts the form under version 1.
        HttpClient resident = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();
        String csrf = csrf(send(resident, b, "/surveys/change-test", null));
        HttpResponse<String> page1 = send(resident, b, "/surveys/change-test", "csrf=" + csrf + "&safe=4");
        assertEquals(303, page1.statusCode(), page1.body());

        // A broken upload changes nothing and lists each problem as validate prints it.
        HttpResponse<String> refused = upload(admin, a, "change-test.yaml",
            V2.replace("type: single_choice,", "type: single_choice, colour: red,"));
        assertEquals(422, refused.statusCode());
        assertTrue(refused.body().contains("change-test.yaml: questions[2].colour: unknown key for a single_choice "
            + "question"), refused.body());
        assertTrue(title(a).contains("Before the change"));

        // A change stored answers would not survive is refused as at start-up.
        HttpResponse<String> retyped = upload(admin, a, "change-test.yaml", V2.replace("{id: safe, type: scale, min: 1, "
            + "max: 5,", "{id: safe, type: text,"));
        assertEquals(422, retyped.statusCode());
        assertTrue(retyped.body().contains("&#39;safe&#39; was a scale question in version 1")
            || retyped.body().contains("'safe' was a scale question in version 1"), retyped.body());

        HttpResponse<String> done = upload(admin, a, "change-test.yaml", V2);
        assertEquals(200, done.statusCode(), done.body());
        assertTrue(done.body().contains("In force now: change-test version 2"), done.body());
        assertTrue(title(a).contains("After the change"), "in force at once on the instance that took it");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!title(b).contains("After the change") && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertTrue(title(b).contains("After the change"), "in force on the other instance within seconds");

        // The resident on B carries on: page 2 now asks the new questions; the response is version 2.
        HttpResponse<String> page2 = send(resident, b, "/surveys/change-test/page/2", null);
        assertEquals(200, page2.statusCode());
        assertTrue(page2.body().contains("Is the street lighting good?"), page2.body());
        assertEquals(303, send(resident, b, "/surveys/change-test/page/2", "csrf=" + csrf
            + "&worry=Dark+alleys&lighting=no").statusCode());
        HttpResponse<String> sent = send(resident, b, "/surveys/change-test/check", "csrf=" + csrf);
        assertEquals(303, sent.statusCode(), sent.body());
        JsonObject stored = a.find("responses", new JsonObject().put("surveyId", "change-test")).get(0);
        assertEquals(2, stored.getInteger("surveyVersion"));
        assertEquals(4, stored.getJsonObject("answers").getInteger("safe"));
        assertEquals("no", stored.getJsonObject("answers").getString("lighting"));
        assertEquals(1, a.find("audit_log", new JsonObject().put("action", "definition-changed")).size());

        // The surveys folder reloaded: an edited file is in force on both.
        Files.writeString(surveysA.resolve("change-test.yaml"), V2.replace("version: 2", "version: 3")
            .replace("After the change", "Reloaded from the file"));
        HttpResponse<String> reloaded = admin.postForm("/staff/definitions/reload", Map.of());
        assertEquals(200, reloaded.statusCode(), reloaded.body());
        assertTrue(reloaded.body().contains("change-test version 3"), reloaded.body());
        assertTrue(title(a).contains("Reloaded from the file"));
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!title(b).contains("Reloaded from the file") && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertTrue(title(b).contains("Reloaded from the file"));

        // B's own file still says version 1, unchanged since B read it: after B restarts, version 3 stays.
        b.restart();
        assertTrue(title(b).contains("Reloaded from the file"), title(b));
      }
    }
  }

  static String title(TestServer server) throws Exception {
    return server.get("/api/v1/surveys/change-test").body();
  }

  static String csrf(HttpResponse<String> page) {
    Matcher m = CSRF.matcher(page.body());
    assertTrue(m.find(), page.body());
    return m.group(1);
  }

  static HttpResponse<String> send(HttpClient client, TestServer server, String path, String form) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).header("Accept", "text/html");
    if (form == null) {
      request.GET();
    } else {
      request.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<String> upload(StaffClient who, TestServer server, String name, String yaml) throws Exception {
    String boundary = "----heard" + UUID.randomUUID();
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + who.csrf() + "\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"definition\"; filename=\"" + name + "\"\r\n"
        + "Content-Type: application/yaml\r\n\r\n" + yaml + "\r\n--" + boundary + "--\r\n";
    return who.send(HttpRequest.newBuilder(server.uri("/staff/definitions"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Accept", "text/html")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
  }
}
