package org.heard.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.HttpCookie;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.heard.TestServer;
import org.heard.auth.Role;
import org.heard.config.Config;
import org.heard.http.StaffRoute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Who may do what on the staff site and API, sign-in, lockout, sessions, tokens and account administration. */
class StaffAccessTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN,
      Config.ADMIN_PASSWORD, PASSWORD));

  private static final Map<Role, String> EMAILS = new EnumMap<>(Role.class);

  @BeforeAll
  static void accounts() throws Exception {
    StaffClient admin = signedIn(ADMIN);
    EMAILS.put(Role.ADMIN, ADMIN);
    for (Role role : List.of(Role.OUTREACH, Role.ANALYST, Role.BOARD)) {
      String email = role.key() + "@example.org";
      HttpResponse<String> created = admin.postForm("/staff/accounts", Map.of("email", email, "role", role.key(),
          "password", PASSWORD));
      assertEquals(303, created.statusCode(), created.body());
      EMAILS.put(role, email);
    }
  }

  static StaffClient signedIn(String email) throws Exception {
    StaffClient client = new StaffClient(heard);
    assertEquals(303, client.login(email, PASSWORD), "sign in as " + email);
    return client;
  }

  private static String concrete(String path) {
    return path.replace(":surveyId", "community-safety").replace(":batchId", "no-such-batch")
        .replace(":accountId", "nobody@example.org").replace(":responseId", "0".repeat(32))
        .replace(":serial", "S1").replace(":tokenId", "no-such-token").replace(":format", "csv")
        .replace(":actionId", "no-such-action").replace(":themeId", "other");
  }

  private static HttpResponse<String> call(StaffRoute route, StaffClient client, String token) throws Exception {
    String path = concrete(route.path());
    if (route.kind() == StaffRoute.Kind.API) {
      HttpRequest.Builder request = HttpRequest.newBuilder(heard.uri(path)).method(route.method().name(),
          HttpRequest.BodyPublishers.noBody());
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return heard.send(request.build());
    }
    if (client == null) {
      client = new StaffClient(heard);
    }
    return route.method().name().equals("GET") ? client.get(path) : client.postForm(path, Map.of());
  }

  @Test
  void everyStaffRouteLetsInOnlyTheRolesItNames() throws Exception {
    List<String> failures = new ArrayList<>();
    for (Role role : Role.values()) {
      StaffClient client = signedIn(EMAILS.get(role));
      String token = StaffClient.token(heard, EMAILS.get(role), PASSWORD);
      for (StaffRoute route : heard.server().staffRoutes()) {
        HttpResponse<String> response = call(route, client, token);
        boolean allowed = role == Role.ADMIN || route.roles().contains(role);
        int status = response.statusCode();
        boolean ok = allowed ? status != 401 && status != 403 && status < 500 : status == 403;
        if (!ok) {
          failures.add(role.key() + " " + route + " -> " + status);
        }
        if (!allowed && route.kind() == StaffRoute.Kind.API) {
          assertEquals("urn:heard:problem:wrong-role", new JsonObject(response.body()).getString("type"), route.name());
        } else if (!allowed) {
          assertTrue(response.body().contains("cannot use this"), route + ": a page for people says why");
        }
        if ("LOGOUT".equals(route.name()) && allowed) {
          client = signedIn(EMAILS.get(role));
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void everyStateChangingStaffFormRefusesAMissingOrForgedCsrfToken() throws Exception {
    StaffClient admin = signedIn(ADMIN);
    for (StaffRoute route : heard.server().staffRoutes()) {
      if (route.kind() == StaffRoute.Kind.API || route.method().name().equals("GET")) {
        continue;
      }
      for (String token : List.of("", "forged-token")) {
        HttpResponse<String> response = admin.postForm(concrete(route.path()), Map.of("csrf", token));
        assertEquals(403, response.statusCode(), route + " with csrf '" + token + "'");
        assertTrue(response.body().contains("This form has expired or was sent from another site"), route.name());
      }
    }
    assertEquals(200, admin.get("/staff").statusCode(), "still signed in: a refused form changes nothing");
  }

  @Test
  void withoutASessionOrTokenPagesAskToSignInAndTheApiSays401() throws Exception {
    for (StaffRoute route : heard.server().staffRoutes()) {
      HttpResponse<String> response = call(route, null, null);
      if (route.kind() == StaffRoute.Kind.API) {
        assertEquals(401, response.statusCode(), route.name());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      } else if (route.method().name().equals("GET")) {
        assertEquals(302, response.statusCode(), route.name());
        assertTrue(response.headers().firstValue("Location").orElse("").startsWith("/staff/login?next=%2Fstaff"),
            route.name());
      } else {
        assertEquals(401, response.statusCode(), route.name());
      }
    }
  }

  @Test
  void fiveFailedLoginsLockTheAccountForFifteenMinutesUntilAnAdminResetsIt() throws Exception {
    String email = "locked@example.org";
    StaffClient admin = signedIn(ADMIN);
    assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", email, "role", "outreach",
        "password", PASSWORD)).statusCode());
    StaffClient person = new StaffClient(heard);
    for (int i = 0; i < 5; i++) {
      assertEquals(401, person.login(email, "wrong password " + i));
    }
    assertEquals(401, person.login(email, PASSWORD), "locked: even the right password is refused");
    String page = admin.get("/staff/accounts").body();
    assertTrue(page.contains("locked until"), "the accounts page shows the lock");
    JsonArray locked = audit("account-locked", email);
    assertEquals(1, locked.size());
    assertEquals(6, audit("login-failed", email).size(), "every failure is audited");

    assertEquals(200, admin.postForm("/staff/accounts/" + email, Map.of("action", "password",
        "password", "a brand new long password")).statusCode());
    assertEquals(303, person.login(email, "a brand new long password"), "a reset unlocks");
  }

  @Test
  void theRefusalNeverSaysWhichPartWasWrong() throws Exception {
    StaffClient person = new StaffClient(heard);
    assertEquals(401, person.login("nobody-at-all@example.org", PASSWORD));
    String unknownEmail = errorSummary(person.lastBody());
    assertEquals(401, person.login(EMAILS.get(Role.BOARD), "not the password"));
    String wrongPassword = errorSummary(person.lastBody());
    assertEquals(unknownEmail, wrongPassword);
    assertTrue(wrongPassword.contains("The email or password is not right"), wrongPassword);
    assertEquals(303, person.login(EMAILS.get(Role.BOARD), PASSWORD), "one failure does not lock");
  }

  private static String errorSummary(String html) {
    int start = html.indexOf("<ul class=\"error-summary-list\">");
    return html.substring(start, html.indexOf("</ul>", start));
  }

  @Test
  void sessionCookiesAreHttpOnlyStrictAndRenewedAtEachSignIn() throws Exception {
    HttpClient raw = HttpClient.newHttpClient();
    HttpResponse<String> loginPage = raw.send(HttpRequest.newBuilder(heard.uri("/staff/login")).build(),
        HttpResponse.BodyHandlers.ofString());
    String loginCsrfCookie = loginPage.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    String form = "csrf=" + StaffClient.csrfOf(loginPage.body()) + "&email=" + ADMIN + "&password="
        + PASSWORD.replace(' ', '+');
    HttpResponse<String> signedIn = raw.send(HttpRequest.newBuilder(heard.uri("/staff/login"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", loginCsrfCookie)
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(303, signedIn.statusCode());
    String setCookie = signedIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("heard_staff="))
        .findFirst().orElseThrow();
    assertTrue(setCookie.toLowerCase(java.util.Locale.ROOT).contains("httponly"), setCookie);
    assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
    assertTrue(setCookie.contains("Path=/staff"), setCookie);
    String first = setCookie.split(";")[0];

    HttpResponse<String> again = raw.send(HttpRequest.newBuilder(heard.uri("/staff/login"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", loginCsrfCookie + "; " + first)
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    String second = again.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("heard_staff="))
        .findFirst().orElseThrow().split(";")[0];
    assertNotEquals(first, second, "a new session id at every sign-in");
    int oldSession = raw.send(HttpRequest.newBuilder(heard.uri("/staff")).header("Cookie", first).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
    assertEquals(302, oldSession, "the session from before is gone");
    assertEquals(200, raw.send(HttpRequest.newBuilder(heard.uri("/staff")).header("Cookie", second).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @Test
  void logoutEndsTheSessionAndFormsNeedTheirCsrfToken() throws Exception {
    StaffClient admin = signedIn(ADMIN);
    HttpResponse<String> forged = admin.postForm("/staff/accounts", Map.of("csrf", "forged", "email",
        "forged@example.org", "role", "admin", "password", PASSWORD));
    assertEquals(403, forged.statusCode());
    assertTrue(forged.body().contains("This form has expired or was sent from another site"));
    assertEquals(0, heard.find("staff", new JsonObject().put("_id", "forged@example.org")).size());

    HttpCookie session = admin.cookies().getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals("heard_staff")).findFirst().orElseThrow();
    assertEquals(200, admin.postForm("/staff/logout", Map.of()).statusCode());
    HttpResponse<String> after = heard.send(HttpRequest.newBuilder(heard.uri("/staff"))
        .header("Cookie", "heard_staff=" + session.getValue()).build());
    assertEquals(302, after.statusCode(), "the old cookie no longer works");
  }

  @Test
  void adminsManageAccountsAndEveryChangeIsAudited() throws Exception {
    StaffClient admin = signedIn(ADMIN);
    String email = "Changing@Example.org";
    HttpResponse<String> bad = admin.postForm("/staff/accounts", Map.of("email", "not an email", "role", "outreach",
        "password", "short"));
    assertEquals(422, bad.statusCode());
    assertTrue(bad.body().contains("Enter an email address"));
    assertTrue(bad.body().contains("at least 12 characters"));
    assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", email, "role", "outreach",
        "password", PASSWORD)).statusCode());
    HttpResponse<String> duplicate = admin.postForm("/staff/accounts", Map.of("email", "changing@example.org",
        "role", "board", "password", PASSWORD));
    assertEquals(422, duplicate.statusCode());
    assertTrue(duplicate.body().contains("There is already an account for this email"));

    String id = "changing@example.org";
    StaffClient person = signedIn(email);
    String token = StaffClient.token(heard, email, PASSWORD);
    assertEquals(200, admin.postForm("/staff/accounts/" + id, Map.of("action", "role", "role", "analyst")).statusCode());
    assertEquals(302, person.get("/staff").statusCode(), "a role change signs the person out everywhere");
    person = signedIn(email);
    token = StaffClient.token(heard, email, PASSWORD);
    assertEquals(404, person.get("/staff/responses/" + "0".repeat(32)).statusCode(),
        "signed in again, the new role applies (analysts may read responses)");
    assertEquals(200, admin.postForm("/staff/accounts/" + id, Map.of("action", "disable")).statusCode());
    assertEquals(302, person.get("/staff").statusCode(), "disabled: the session ends at once");
    assertEquals(401, apiGet("/api/v1/staff/responses/" + "0".repeat(32), token).statusCode(),
        "and the token stops working at once");
    assertEquals(401, new StaffClient(heard).login(email, PASSWORD));
    assertEquals(200, admin.postForm("/staff/accounts/" + id, Map.of("action", "enable")).statusCode());
    assertEquals(303, new StaffClient(heard).login(email, PASSWORD));
    HttpResponse<String> weak = admin.postForm("/staff/accounts/" + id, Map.of("action", "password", "password", "x"));
    assertEquals(422, weak.statusCode());

    for (String action : List.of("account-created", "role-changed", "account-disabled", "account-enabled")) {
      JsonArray events = audit(action, null).stream().map(o -> (JsonObject) o)
          .filter(e -> e.getJsonArray("records").contains(id))
          .collect(JsonArray::new, JsonArray::add, JsonArray::addAll);
      assertEquals(1, events.size(), action);
      assertEquals(ADMIN, events.getJsonObject(0).getString("actor"));
    }
    HttpResponse<String> auditPage = admin.get("/staff/audit?action=role-changed");
    assertEquals(200, auditPage.statusCode());
    assertTrue(auditPage.body().contains("from: outreach") && auditPage.body().contains("to: analyst"),
        "the audit page shows the change");
    assertEquals(400, admin.get("/staff/audit?from=yesterday").statusCode());
  }

  @Test
  void bearerTokensCarryTheRoleExpireAndCanBeRevoked() throws Exception {
    HttpResponse<String> refused = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/auth/token"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + ADMIN + "\",\"password\":\"wrong\"}")).build());
    assertEquals(401, refused.statusCode());
    assertEquals("urn:heard:problem:login-refused", new JsonObject(refused.body()).getString("type"));
    HttpResponse<String> malformed = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/auth/token"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"email\": 5}")).build());
    assertEquals(422, malformed.statusCode());

    HttpResponse<String> issued = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/auth/token"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            new JsonObject().put("email", EMAILS.get(Role.ANALYST)).put("password", PASSWORD).encode())).build());
    assertEquals(201, issued.statusCode());
    JsonObject body = new JsonObject(issued.body());
    assertEquals("analyst", body.getString("role"));
    assertEquals(8 * 3600, body.getLong("expiresInSeconds"));
    String token = body.getString("token");

    String adminToken = StaffClient.token(heard, ADMIN, PASSWORD);
    JsonArray tokens = new JsonObject(apiGet("/api/v1/auth/tokens", adminToken).body()).getJsonArray("tokens");
    assertTrue(tokens.stream().map(o -> (JsonObject) o).anyMatch(t -> t.getString("id").equals(body.getString("id"))
        && t.getString("account").equals(EMAILS.get(Role.ANALYST))));
    assertFalse(tokens.encode().contains(token), "the list never shows a usable token");
    assertEquals(404, apiGet("/api/v1/staff/responses/" + "0".repeat(32), token).statusCode(), "the token works");

    HttpResponse<String> revoked = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/auth/tokens/" + body.getString("id")))
        .header("Authorization", "Bearer " + adminToken).DELETE().build());
    assertEquals(204, revoked.statusCode());
    assertEquals(401, apiGet("/api/v1/staff/responses/" + "0".repeat(32), token).statusCode(), "revoked at once");
    assertEquals(1, audit("token-revoked", null).stream().map(o -> (JsonObject) o)
        .filter(e -> e.getJsonArray("records").contains(body.getString("id"))).count());
  }

  @Test
  void overHttpsTheSessionCookieIsSecure(@TempDir Path dir) throws Exception {
    try (TestServer secure = TestServer.start(dir, Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD,
        Config.PUBLIC_URL, "https://heard.example.org"))) {
      HttpClient raw = HttpClient.newHttpClient();
      HttpResponse<String> page = raw.send(HttpRequest.newBuilder(secure.uri("/staff/login")).build(),
          HttpResponse.BodyHandlers.ofString());
      String csrfCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
      assertTrue(csrfCookie.contains("Secure"), csrfCookie);
      HttpResponse<String> signedIn = raw.send(HttpRequest.newBuilder(secure.uri("/staff/login"))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", csrfCookie.split(";")[0])
          .POST(HttpRequest.BodyPublishers.ofString("csrf=" + StaffClient.csrfOf(page.body()) + "&email=" + ADMIN
              + "&password=" + PASSWORD.replace(' ', '+'))).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(signedIn.headers().allValues("Set-Cookie").stream()
          .anyMatch(c -> c.startsWith("heard_staff=") && c.contains("Secure")));
    }
  }

  static HttpResponse<String> apiGet(String path, String token) throws Exception {
    return heard.send(HttpRequest.newBuilder(heard.uri(path)).header("Authorization", "Bearer " + token).build());
  }

  /** Audit entries through the admin API, filtered by action and (optionally) actor. */
  static JsonArray audit(String action, String actor) throws Exception {
    String token = StaffClient.token(heard, ADMIN, PASSWORD);
    String query = "?action=" + action + (actor == null ? "" : "&actor=" + actor);
    HttpResponse<String> response = apiGet("/api/v1/audit" + query, token);
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body()).getJsonArray("events");
  }
}
