package org.heard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /metrics in Prometheus format: from this machine, for a metrics token, or for an administrator's token. */
class MetricsTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));

  @Test
  void metricsCountRequestsResponsesPerChannelAndTheSpool() throws Exception {
    assertEquals(201, heard.postResponse("sms-pulse", "metrics-1",
        "{\"answers\": {\"feel_safe_now\": 4, \"ward\": \"E05000003\", \"main_worry\": \"Broken street lights\"}}")
        .statusCode());
    // The spool keeps the record until the embedded store's next commit (at most 200 ms) has it on disk.
    HttpResponse<String> local = heard.get("/metrics");
    for (int i = 0; i < 20 && !local.body().contains("heard_spool_backlog 0.0"); i++) {
      Thread.sleep(100);
      local = heard.get("/metrics");
    }
    assertEquals(200, local.statusCode());
    String text = local.body();
    assertTrue(text.contains("heard_responses_stored_total{channel=\"api\",outcome=\"created\"} 1.0"), text);
    assertTrue(text.contains("heard_spool_backlog 0.0"));
    assertTrue(text.contains("heard_analysis_queue_pending") && text.contains("heard_analysis_queue_failed"));
    assertTrue(text.contains("vertx_http_server_requests_total"), "request counts");
    assertTrue(text.contains("vertx_http_server_response_time_seconds"), "latency");
    assertTrue(text.contains("route=\"/api/v1/surveys/:surveyId/responses"), "labelled by route, not by path");
    for (int i = 0; i < 300 && !text.contains("heard_responses_analysed_total 1.0"); i++) {
      Thread.sleep(100);
      text = heard.get("/metrics").body();
    }
    assertTrue(text.contains("heard_responses_analysed_total 1.0"), "the comment's analysis is counted");
  }

  @Test
  void throughAProxyOnlyAnAdministratorMayRead() throws Exception {
    HttpRequest.Builder proxied = HttpRequest.newBuilder(heard.uri("/metrics")).header("X-Forwarded-For", "203.0.113.9");
    assertEquals(401, heard.send(proxied.build()).statusCode());
    HttpResponse<String> admin = heard.send(HttpRequest.newBuilder(heard.uri("/metrics"))
        .header("X-Forwarded-For", "203.0.113.9")
        .header("Authorization", "Bearer " + StaffClient.token(heard, ADMIN, PASSWORD)).build());
    assertEquals(200, admin.statusCode());
  }

  @Test
  void aMetricsTokenReadsMetricsFromAnotherHostAndNothingElseUntilRevoked() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    HttpResponse<String> unnamed = admin.postForm("/staff/metrics-tokens", Map.of("name", " "));
    assertEquals(422, unnamed.statusCode());
    assertTrue(unnamed.body().contains("Enter a name for the token"), unnamed.body());
    HttpResponse<String> issued = admin.postForm("/staff/metrics-tokens", Map.of("name", "prometheus.example.org"));
    assertEquals(200, issued.statusCode(), issued.body());
    Matcher m = Pattern.compile("shown only now.*?<span class=\"code\">([A-Za-z0-9_-]+)</span>",
        Pattern.DOTALL).matcher(issued.body());
    assertTrue(m.find(), issued.body());
    String token = m.group(1);

    HttpResponse<String> scraped = heard.send(HttpRequest.newBuilder(heard.uri("/metrics"))
        .header("X-Forwarded-For", "203.0.113.9").header("Authorization", "Bearer " + token).build());
    assertEquals(200, scraped.statusCode());
    assertTrue(scraped.body().contains("heard_spool_backlog"));
    // It is not a staff token: the staff API refuses it.
    assertEquals(401, heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/audit"))
        .header("Authorization", "Bearer " + token).build()).statusCode());
    assertEquals(401, heard.send(HttpRequest.newBuilder(heard.uri("/metrics"))
        .header("X-Forwarded-For", "203.0.113.9").header("Authorization", "Bearer " + token + "x").build()).statusCode());

    Matcher revoke = Pattern.compile("action=\"(/staff/metrics-tokens/[^\"]+/revoke)\"")
        .matcher(admin.get("/staff/metrics-tokens").body());
    assertTrue(revoke.find());
    assertEquals(303, admin.postForm(revoke.group(1), Map.of()).statusCode());
    assertEquals(401, heard.send(HttpRequest.newBuilder(heard.uri("/metrics"))
        .header("X-Forwarded-For", "203.0.113.9").header("Authorization", "Bearer " + token).build()).statusCode());
    assertEquals(1, heard.find("audit_log", new JsonObject().put("action", "token-issued")
        .put("details.kind", "metrics")).size());
    assertEquals(1, heard.find("audit_log", new JsonObject().put("action", "token-revoked")
        .put("details.kind", "metrics")).size());
  }
}
