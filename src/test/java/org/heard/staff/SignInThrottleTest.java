package org.heard.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An address with too many failed sign-ins is refused before any password is checked, and told when to retry. */
class SignInThrottleTest {
  private static final String ADMIN = "admin@example.org";
  private static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD,
      Config.SIGN_IN_FAILURES_PER_ADDRESS, "3"));

  private static HttpResponse<String> token(String email, String password) throws Exception {
    return heard.send(StaffClient.tokenRequest(heard, email, password));
  }


  @Test
  void afterThreeFailuresFromOneAddressEvenTheRightPasswordWaits() throws Exception {
    assertEquals(201, token(ADMIN, PASSWORD).statusCode(), "a success first: it clears nothing yet to clear");
    for (String email : new String[] {"nobody@example.org", "someone@example.org", ADMIN}) {
      assertEquals(401, token(email, "not the password at all").statusCode());
    }
    HttpResponse<String> refused = token(ADMIN, PASSWORD);
    assertEquals(429, refused.statusCode(), refused.body());
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter > 14 * 60 && retryAfter <= 15 * 60, "Retry-After " + retryAfter);
    assertTrue(new JsonObject(refused.body()).getString("detail").startsWith("Too many failed sign-ins"));

    StaffClient browser = new StaffClient(heard);
    assertEquals(429, browser.login(ADMIN, PASSWORD), "the sign-in page is throttled too");
    assertTrue(browser.lastBody().contains("Too many failed sign-ins from your connection"), browser.lastBody());

    assertEquals(1, heard.find("audit_log", new JsonObject().put("action", "login-failed")
        .put("details.reason", "throttled")).size(), "audited once, when the address was throttled");
    assertEquals(1, heard.find("staff", new JsonObject().put("_id", ADMIN)).get(0).getInteger("failedLogins", 0),
        "refused before the account was looked at: only the one real failure counts against the account");
  }
}
