package org.heard.staff;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.heard.TestServer;

/** Reads the audit log through the admin API. */
public final class StaffAccessTestSupport {
  private StaffAccessTestSupport() {
  }

  public static JsonArray audit(TestServer server, String adminEmail, String password, String action) throws Exception {
    String token = StaffClient.token(server, adminEmail, password);
    HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/api/v1/audit?action=" + action))
        .header("Authorization", "Bearer " + token).build());
    if (response.statusCode() != 200) {
      throw new AssertionError(response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body()).getJsonArray("events");
  }
}
