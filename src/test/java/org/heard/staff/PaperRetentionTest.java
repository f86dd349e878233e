package org.heard.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Past its survey's retention period, a paper response's free text goes from its keyings too, not only from the response. */
class PaperRetentionTest {
  private static final String ADMIN = "admin@example.org";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String COMMENT = "Mrs Okafor at number 12 hears them every night";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD))
      .withSurvey("doorstep.yaml", PaperEntryTest.DOORSTEP.replace("version: 1\n", "version: 1\nretention_days: 30\n"));

  private static Map<String, String> form(String serial) {
    return new LinkedHashMap<>(Map.of("serial", serial, "q-ward", "b", "q-safe", "3", "q-worries", "A",
        "q-comment", COMMENT));
  }

  @Test
  void theKeyingsLoseTheirFreeTextWithTheResponse() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    for (String name : List.of("first", "second")) {
      assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", name + "@example.org", "role", "outreach",
          "password", PASSWORD)).statusCode());
    }
    StaffClient first = new StaffClient(heard);
    assertEquals(303, first.login("first@example.org", PASSWORD));
    StaffClient second = new StaffClient(heard);
    assertEquals(303, second.login("second@example.org", PASSWORD));
    assertEquals(303, first.postForm(PaperEntryTest.startBatch(first, "doorstep", 1), form("R1")).statusCode());
    assertEquals(303, second.postForm(PaperEntryTest.startBatch(second, "doorstep", 1), form("R1")).statusCode());
    List<JsonObject> responses = heard.find("responses", new JsonObject().put("surveyId", "doorstep"));
    assertEquals(1, responses.size(), "verified by two keyings");
    assertTrue(heard.find("paper_entries", new JsonObject()).get(0).encode().contains(COMMENT),
        "the keyings hold the comment too (so the check can fail)");

    heard.mongo().updateCollection("responses", new JsonObject().put("_id", responses.get(0).getString("_id")),
        new JsonObject().put("$set", new JsonObject().put("receivedAt",
            new JsonObject().put("$date", Instant.now().minus(31, ChronoUnit.DAYS).toString())))).await();
    heard.restart();  // retention runs in the background at start-up (and every six hours)

    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (!heard.find("responses", new JsonObject().put("surveyId", "doorstep")).get(0).containsKey("retainedAt")) {
      assertTrue(System.nanoTime() < deadline, "retention ran after the start");
      Thread.sleep(100);
    }
    JsonObject trimmed = heard.find("responses", new JsonObject().put("surveyId", "doorstep")).get(0);
    assertFalse(trimmed.getJsonObject("answers").containsKey("comment"), trimmed.encode());
    JsonObject keyings = heard.find("paper_entries", new JsonObject()).get(0);
    assertFalse(keyings.encode().contains(COMMENT), "the keyings keep no free text: " + keyings.encode());
    assertEquals(3, keyings.getJsonObject("first").getJsonObject("answers").getJsonObject("answers").getInteger("safe"),
        "closed answers stay, as on the response");
  }
}
