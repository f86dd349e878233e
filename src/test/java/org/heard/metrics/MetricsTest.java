package org.heard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /metrics in Prometheus format: from this machine, or for an administrator's token only. */
class MetricsTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));

  @Test
  void metricsCountRequestsResponsesPerChannelAndTheSpool() throws Exception {
    assertEquals(201, heard.postResponse("sms-pulse", "metrics-1",
        "{\"answers\": {\"feel_safe_now\": 4, \"ward\": \"E05000003\"}}").statusCode());
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
}
