package org.heard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Erasures rewrite the embedded store's file while residents keep submitting and the store keeps
 * committing every 200 ms: every erasure is answered, every submission is stored directly (never
 * refused, never left to the spool), and only the erased responses are gone.
 */
class StoreRewriteTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));

  @Test
  void erasuresDuringSubmissionsLoseNothingElse() throws Exception {
    String token = StaffClient.token(heard, ADMIN, PASSWORD);
    List<String> victims = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      victims.add(new JsonObject(post("victim-" + i).body()).getString("id"));
    }
    AtomicBoolean erasing = new AtomicBoolean(true);
    CompletableFuture<List<Integer>> submitting = CompletableFuture.supplyAsync(() -> {
      List<Integer> statuses = new ArrayList<>();
      try {
        for (int i = 0; erasing.get() || i < 20; i++) {
          statuses.add(post("kept-" + i).statusCode());
          Thread.sleep(15);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return statuses;
    });
    for (String victim : victims) {
      HttpResponse<String> erased = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/erasures"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("responseId", victim).encode())).build());
      assertEquals(200, erased.statusCode(), erased.body());
    }
    erasing.set(false);
    List<Integer> statuses = submitting.get();
    assertEquals(List.of(201), statuses.stream().distinct().toList(), "every submission stored directly: " + statuses);
    assertEquals(statuses.size(), heard.count("responses"), "the kept responses, and none of the erased");
  }

  private static HttpResponse<String> post(String key) throws Exception {
    return heard.postResponse("community-safety", key, new JsonObject().put("answers", new JsonObject()
        .put("ward", "E05000001").put("feel_safe_day", 4).put("feel_safe_dark", 2)
        .put("what_would_help", "Lights out on " + key)).encode());
  }
}
