package org.heard.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Staff access a data protection officer can sign off: parallel guesses never get past the lockout,
 * every session and token ends on a reset, disable or role change, staff change their own password,
 * and nothing typed as a password reaches the audit log.
 */
class StaffAccountSecurityTest {
  private static final String ADMIN = "admin@example.org";
  private static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD,
      Config.SIGN_IN_FAILURES_PER_ADDRESS, "100000"));

  private static HttpRequest tokenRequest(String email, String password) {
    return StaffClient.tokenRequest(heard, email, password);
  }


  private static int apiStatus(String token) throws Exception {
    return heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/audit?limit=1")).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(20)).build()).statusCode();
  }

  private static StaffClient createAccount(StaffClient admin, String email, String role) throws Exception {
    assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", email, "role", role,
        "password", PASSWORD)).statusCode(), admin.lastBody());
    StaffClient person = new StaffClient(heard);
    assertEquals(303, person.login(email, PASSWORD));
    return person;
  }

  private static void assertSignedOut(StaffClient person, String why) throws Exception {
    HttpResponse<String> home = person.get("/staff");
    assertEquals(302, home.statusCode(), why);
    assertTrue(home.headers().firstValue("Location").orElse("").startsWith("/staff/login"), why);
  }

  private static long audited(String action, String reason) {
    JsonObject query = new JsonObject().put("action", action);
    if (reason != null) {
      query.put("details.reason", reason);
    }
    return heard.find("audit_log", query).size();
  }

  @Test
  void parallelGuessesAreCountedBeforeThePasswordIsCheckedSoTheyNeverPassTheLockout() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    String target = "target@example.org";
    createAccount(admin, target, "analyst");
    long wrongBefore = audited("login-failed", "wrong-password");

    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      burst.add(client.sendAsync(tokenRequest(target, "guess number " + i), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> attempt : burst) {
      int status = attempt.get().statusCode();
      assertTrue(status == 401 || status == 429, "a guess was answered " + status);
    }
    assertEquals(5, audited("login-failed", "wrong-password") - wrongBefore,
        "of 60 parallel guesses, exactly five were checked against the password");
    assertEquals(1, heard.find("audit_log", new JsonObject().put("action", "account-locked")
        .put("actor", target)).size());
    assertEquals(401, heard.send(tokenRequest(target, PASSWORD)).statusCode(), "the right password, after: locked");
  }

  @Test
  void aResetADisableOrARoleChangeEndsEverySessionAndToken() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    for (String action : List.of("password", "disable", "role")) {
      String email = action + "-change@example.org";
      StaffClient person = createAccount(admin, email, "analyst");
      String token = StaffClient.token(heard, email, PASSWORD);
      assertEquals(403, apiStatus(token), "an analyst may not read the audit log, but the token is live");
      Map<String, String> form = switch (action) {
        case "password" -> Map.of("action", "password", "password", "another long password 42");
        case "disable" -> Map.of("action", "disable");
        default -> Map.of("action", "role", "role", "board");
      };
      assertEquals(200, admin.postForm("/staff/accounts/" + email, form).statusCode(), admin.lastBody());
      assertEquals(401, apiStatus(token), action + ": the API token ended");
      assertSignedOut(person, action + ": the session ended");
      if (action.equals("disable")) {
        assertEquals(200, admin.postForm("/staff/accounts/" + email, Map.of("action", "enable")).statusCode());
        assertEquals(401, apiStatus(token), "enabling the account again revives no old token");
      }
    }
  }

  @Test
  void staffChangeTheirOwnPasswordAndOnlyThisBrowserStaysSignedIn() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    String email = "changer@example.org";
    StaffClient here = createAccount(admin, email, "outreach");
    StaffClient elsewhere = new StaffClient(heard);
    assertEquals(303, elsewhere.login(email, PASSWORD));
    String token = StaffClient.token(heard, email, PASSWORD);
    assertTrue(here.get("/staff").body().contains("href=\"/staff/password\""), "the page is in everyone's menu");

    HttpResponse<String> wrong = here.postForm("/staff/password", Map.of("current", "not my password at all",
        "password", "a new long password", "confirm", "a new long password"));
    assertEquals(422, wrong.statusCode());
    assertTrue(wrong.body().contains("Your current password is not right"), wrong.body());
    HttpResponse<String> mismatch = here.postForm("/staff/password", Map.of("current", PASSWORD,
        "password", "a new long password", "confirm", "a new long passwort"));
    assertEquals(422, mismatch.statusCode());
    assertTrue(mismatch.body().contains("Enter the same new password twice"));
    assertEquals(422, here.postForm("/staff/password", Map.of("current", PASSWORD, "password", "short",
        "confirm", "short")).statusCode());

    HttpResponse<String> changed = here.postForm("/staff/password", Map.of("current", PASSWORD,
        "password", "a new long password", "confirm", "a new long password"));
    assertEquals(303, changed.statusCode(), changed.body());
    assertEquals(200, here.get("/staff").statusCode(), "this browser stays signed in, with a new session");
    assertSignedOut(elsewhere, "every other session ended");
    assertEquals(401, apiStatus(token), "and every API token");
    assertEquals(401, new StaffClient(heard).login(email, PASSWORD), "the old password no longer works");
    assertEquals(303, new StaffClient(heard).login(email, "a new long password"));
    assertEquals(1, heard.find("audit_log", new JsonObject().put("action", "password-changed")
        .put("actor", email)).size());
  }

  @Test
  void aPasswordTypedInTheEmailFieldNeverReachesTheAuditLog() throws Exception {
    String typed = "Tr0ub4dor&3 my-secret-passphrase";
    assertEquals(401, new StaffClient(heard).login(typed, "anything"));
    assertEquals(401, heard.send(tokenRequest(typed, "anything")).statusCode());
    List<JsonObject> entries = heard.find("audit_log", new JsonObject());
    for (JsonObject entry : entries) {
      assertFalse(entry.encode().contains("my-secret-passphrase"), "the audit log holds what was typed: " + entry);
    }
    List<JsonObject> unknown = heard.find("audit_log", new JsonObject().put("details.reason", "unknown-account"));
    assertTrue(unknown.size() >= 2);
    String actor = unknown.get(unknown.size() - 1).getString("actor");
    assertTrue(actor.matches("unknown:[0-9a-f]{16}"), actor);
    assertEquals(actor, unknown.get(unknown.size() - 2).getString("actor"), "the same text, the same digest");
  }
}
