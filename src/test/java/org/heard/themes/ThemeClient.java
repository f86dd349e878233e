package org.heard.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneId;
import org.heard.TestServer;

/**
 * What the theme tests do through a running Heard: post comments on four concerns to
 * community-safety, read today's themes, and read the stored model document.
 */
final class ThemeClient {
  static final String[] WORDINGS = {
      "Cars speeding past the primary school every morning", "The street lights on the path are broken at night",
      "People dumping rubbish and mattresses behind the shops", "Drug dealing in the car park every evening"};

  private ThemeClient() {
  }

  /** Posts comments {@code from} to {@code to} (exclusive), each with idempotency key {@code prefix-i}. */
  static void post(TestServer heard, String prefix, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      HttpResponse<String> created = heard.postResponse("community-safety", prefix + "-" + i, new JsonObject()
          .put("language", "en").put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 4)
              .put("feel_safe_dark", 2).put("what_would_help", WORDINGS[i % WORDINGS.length] + " (" + i + ")")).encode());
      assertEquals(201, created.statusCode(), created.body());
    }
  }

  static String today() {
    return LocalDate.now(ZoneId.of("Europe/London")).toString();
  }

  /** Today's themes of community-safety, read with {@code token} (200 asserted). */
  static JsonObject themes(TestServer heard, String token) throws Exception {
    HttpResponse<String> response = heard.send(HttpRequest.newBuilder(heard.uri(
        "/api/v1/surveys/community-safety/themes?from=" + today() + "&to=" + today()))
        .header("Authorization", "Bearer " + token).GET().build());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** A number field of community-safety's stored theme model document, 0 when there is none. */
  static long stored(TestServer heard, String field) {
    var found = heard.find(ThemeAnchors.COLLECTION, new JsonObject().put("_id", "community-safety"));
    return found.isEmpty() ? 0 : found.get(0).getLong(field, 0L);
  }
}
