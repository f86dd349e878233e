package org.heard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.heard.HeardProcess;
import org.heard.MainRunner;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.heard.survey.SurveyChangesTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every request has an id (the proxy's X-Request-Id, else a new one), sent back in X-Request-Id and
 * carried by every log line the request causes, also from database callbacks; with
 * HEARD_LOG_FORMAT=json each line is one JSON object.
 */
class RequestIdLogsTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @TempDir
  Path dir;

  @Test
  void theLogLinesARequestCausesCarryItsId() throws Exception {
    Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try (TestServer heard = TestServer.start(dir, Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD))) {
      HttpResponse<String> given = heard.send(HttpRequest.newBuilder(heard.uri("/health"))
          .header("X-Request-Id", "proxy-abc-12345").GET().build());
      assertEquals("proxy-abc-12345", given.headers().firstValue("X-Request-Id").orElseThrow());
      HttpResponse<String> made = heard.send(HttpRequest.newBuilder(heard.uri("/health"))
          .header("X-Request-Id", "not an id; <script>").GET().build());
      assertTrue(made.headers().firstValue("X-Request-Id").orElseThrow().matches("[0-9a-f]{16}"));

      // An upload logs once its definition is in force, after several database round trips.
      StaffClient admin = new StaffClient(heard);
      assertEquals(303, admin.login(ADMIN, PASSWORD));
      HttpResponse<String> upload = SurveyChangesTest.upload(admin, heard, "logged.yaml", """
          id: logged
          version: 1
          title: {en: Logged}
          languages: [en]
          questions:
            - {id: q1, type: consent, text: {en: Agree?}}
          """);
      assertEquals(200, upload.statusCode(), upload.body());
      String id = upload.headers().firstValue("X-Request-Id").orElseThrow();
      ILoggingEvent event = captured.list.stream().filter(e -> e.getFormattedMessage().startsWith(
          "survey definitions put in force")).findFirst().orElseThrow();
      assertEquals(id, event.getMDCPropertyMap().get("requestId"));
      // Lines no request causes carry none.
      assertTrue(captured.list.stream().filter(e -> e.getFormattedMessage().contains("created the first administrator"))
          .allMatch(e -> e.getMDCPropertyMap().get("requestId") == null));

      JsonEncoder json = new JsonEncoder();
      json.setContext(root.getLoggerContext());
      json.start();
      String line = new String(json.encode(event), StandardCharsets.UTF_8).strip();
      JsonObject parsed = new JsonObject(line);
      assertEquals(id, parsed.getJsonObject("mdc").getString("requestId"));
      assertEquals("INFO", parsed.getString("level"));
    } finally {
      root.detachAppender(captured);
    }
  }

  @Test
  void withTheJsonFormatEveryLineIsAJsonObject() throws Exception {
    Path surveys = TestServer.testSurveys(dir.resolve("surveys"));
    try (HeardProcess heard = HeardProcess.start(dir, surveys, Map.of(Config.LOG_FORMAT, "json",
        Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD))) {
      List<String> lines = Files.readAllLines(dir.resolve("stderr.txt"));
      assertFalse(lines.isEmpty());
      for (String line : lines) {
        JsonObject parsed = new JsonObject(line);
        assertTrue(parsed.containsKey("level") && parsed.containsKey("loggerName"), line);
      }
      assertTrue(lines.stream().anyMatch(l -> l.contains("created the first administrator account")), lines.toString());
    }
    MainRunner.Result refused = MainRunner.run(Map.of(Config.LOG_FORMAT, "xml"));
    assertEquals(78, refused.status());
    assertTrue(refused.err().contains("HEARD_LOG_FORMAT must be plain or json, not 'xml'"), refused.err());
  }
}
