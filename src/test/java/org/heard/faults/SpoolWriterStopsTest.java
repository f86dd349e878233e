package org.heard.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.heard.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's writer thread dying (an Error: here a record that cannot be encoded, which recurses
 * until the stack overflows) stops the instance from acknowledging rather than carrying on without
 * it: what waited is refused at once, new responses are refused (503: on the embedded store a write
 * is durable only through the spool until the next commit), {@code /ready} says it is not accepting,
 * and a restart writes the spool again.
 */
class SpoolWriterStopsTest {
  @Test
  void aDeadSpoolWriterStopsAcknowledgements(@TempDir Path dir) throws Exception {
    try (TestServer heard = TestServer.start(dir)) {
      assertEquals(201, heard.postResponse("community-safety", "before", body()).statusCode());
      JsonObject unencodable = new JsonObject();
      unencodable.put("self", unencodable);
      assertThrows(Exception.class, () -> heard.server().spool().append("response", unencodable)
          .await(10, TimeUnit.SECONDS), "refused, not left waiting");
      assertFalse(heard.server().spool().writable());

      HttpResponse<String> refused = heard.postResponse("community-safety", "after", body());
      assertEquals(503, refused.statusCode(), refused.body());
      HttpResponse<String> ready = heard.get("/ready");
      assertEquals(503, ready.statusCode(), ready.body());
      JsonObject state = new JsonObject(ready.body());
      assertEquals(false, state.getBoolean("accepting"));
      assertEquals(false, state.getJsonObject("spool").getBoolean("writable"));

      heard.restart();
      // Refused, yet it may have reached the database: the retry is answered "already stored" or "created".
      int retried = heard.postResponse("community-safety", "after", body()).statusCode();
      assertEquals(true, retried == 200 || retried == 201, "a restart starts a new writer: " + retried);
      assertEquals(201, heard.postResponse("community-safety", "later", body()).statusCode());
      assertEquals(200, heard.get("/ready").statusCode());
    }
  }

  private static String body() {
    return new JsonObject().put("language", "en").put("answers", new JsonObject().put("ward", "E05000001")
        .put("feel_safe_day", 3).put("feel_safe_dark", 2)).encode();
  }
}
