package org.heard.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Response exports (CSV and JSON Lines) and the indicator pack, exported here and imported by another Heard. */
class ExportTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final String RAW = "Call Tom Baker on 07700 900456 about the broken lights, tom.baker@example.net";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));

  @TempDir
  static Path elsewhere;

  static String analyst;
  static String board;
  static String rawId;

  @BeforeAll
  static void seed() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    for (String role : List.of("analyst", "board")) {
      assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", role + "@example.org", "role", role,
          "password", PASSWORD)).statusCode());
    }
    analyst = StaffClient.token(heard, "analyst@example.org", PASSWORD);
    board = StaffClient.token(heard, "board@example.org", PASSWORD);
    HttpResponse<String> raw = heard.postResponse("community-safety", "raw", new JsonObject().put("language", "en")
        .put("answers", new JsonObject().put("ward", "E05000004").put("feel_safe_day", 5).put("feel_safe_dark", 2)
            .put("concerns", new JsonArray(List.of("asb", "speeding"))).put("what_would_help", RAW)).encode());
    rawId = new JsonObject(raw.body()).getString("id");
    for (int i = 0; i < 14; i++) {
      String text = i % 2 == 0 ? "The street lights are broken and it is dark on the path, number " + i
          : "Cars speeding past the school every morning, comment " + i;
      assertEquals(201, heard.postResponse("community-safety", "k" + i, new JsonObject().put("answers", new JsonObject()
          .put("ward", "E05000001").put("feel_safe_day", 4).put("feel_safe_dark", i % 3 + 1)
          .put("concerns", new JsonArray(List.of("drugs"))).put("what_would_help", text)).encode()).statusCode());
    }
    heard.awaitAnalysed(15);
  }

  static HttpResponse<String> get(String token, String path) throws Exception {
    return heard.send(HttpRequest.newBuilder(heard.uri(path)).header("Authorization", "Bearer " + token).GET().build());
  }

  @Test
  void csvHasOneRowPerResponseOneColumnPerOptionRedactedTextAndABom() throws Exception {
    HttpResponse<byte[]> response = heard.server() == null ? null : java.net.http.HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/export?format=csv"))
            .header("Authorization", "Bearer " + analyst).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
    assertTrue(response.headers().firstValue("Content-Disposition").orElse("").contains("attachment"));
    byte[] body = response.body();
    assertEquals(0xEF, body[0] & 0xFF, "UTF-8 byte-order mark for Excel");
    assertEquals(0xBB, body[1] & 0xFF);
    String text = new String(body, 3, body.length - 3, StandardCharsets.UTF_8);
    List<CSVRecord> records = CSVFormat.EXCEL.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(text)).getRecords();
    assertEquals(15, records.size());
    CSVRecord raw = records.stream().filter(r -> r.get("response_id").equals(rawId)).findFirst().orElseThrow();
    assertEquals("api", raw.get("channel"));
    assertEquals("E05000004", raw.get("ward"));
    assertEquals("1", raw.get("concerns:asb"));
    assertEquals("1", raw.get("concerns:speeding"));
    assertEquals("0", raw.get("concerns:drugs"));
    String redacted = raw.get("what_would_help");
    assertTrue(redacted.contains("[name]") && redacted.contains("[phone]") && redacted.contains("[email]"), redacted);
    assertFalse(text.contains("Tom Baker") || text.contains("07700 900456") || text.contains("example.net"),
        "no raw personal data in the export");
    assertTrue(records.get(0).isMapped("provenance_serial") && records.get(0).isMapped("theme_ids"));
    assertEquals(1, heard.find("audit_log", new JsonObject().put("action", "export")
        .put("details.format", "csv")).size(), "the export is audited");
    assertEquals(403, get(board, "/api/v1/surveys/community-safety/export?format=csv").statusCode());
    assertEquals(400, get(analyst, "/api/v1/surveys/community-safety/export?format=pdf").statusCode());
  }

  @Test
  void theWorkbookAndTheCodebookCarryTheThemes() throws Exception {
    get(analyst, "/api/v1/surveys/community-safety/themes");
    HttpResponse<byte[]> xlsx = java.net.http.HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/export?format=xlsx"))
            .header("Authorization", "Bearer " + analyst).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, xlsx.statusCode());
    try (org.dhatim.fastexcel.reader.ReadableWorkbook book = new org.dhatim.fastexcel.reader.ReadableWorkbook(
        new java.io.ByteArrayInputStream(xlsx.body()))) {
      assertEquals(16, book.findSheet("Responses").orElseThrow().read().size(), "a header and 15 rows");
      assertTrue(book.findSheet("Codebook").orElseThrow().read().stream()
          .anyMatch(r -> "theme_ids".equals(r.getCellText(0)) && r.getCellText(4).startsWith("t-")),
          "each theme id with its label");
    }
    String codebook = get(analyst, "/api/v1/surveys/community-safety/export?format=codebook").body();
    assertTrue(codebook.contains("E05000001") && codebook.contains("Prefer not to say"), codebook);
  }

  @Test
  void jsonLinesCarryEachResponsesThemeIds() throws Exception {
    HttpResponse<String> themes = get(analyst, "/api/v1/surveys/community-safety/themes?include=members");
    assertEquals(200, themes.statusCode());
    Map<String, String> themeOf = new HashMap<>();
    for (Object t : new JsonObject(themes.body()).getJsonArray("themes")) {
      JsonObject theme = (JsonObject) t;
      theme.getJsonArray("members").forEach(id -> themeOf.put((String) id, theme.getString("id")));
    }
    HttpResponse<String> export = get(analyst, "/api/v1/surveys/community-safety/export?format=jsonl");
    assertEquals(200, export.statusCode());
    String[] lines = export.body().split("\n");
    assertEquals(15, lines.length);
    for (String line : lines) {
      JsonObject response = new JsonObject(line);
      JsonArray ids = response.getJsonArray("themes");
      assertEquals(1, ids.size(), "one theme question answered: one theme");
      assertEquals(themeOf.get(response.getString("id")), ids.getString(0));
      assertFalse(response.getJsonObject("answers").getString("what_would_help").contains("07700"));
      assertEquals("en", response.getJsonObject("textLanguages").getString("what_would_help"));
    }
  }

  @Test
  void theIndicatorPackRoundTripsIntoAnotherHeardAndShowsBesideItsOwnFigures() throws Exception {
    String today = LocalDate.now(ZoneId.of("Europe/London")).toString();
    HttpResponse<String> exported = get(board, "/api/v1/surveys/community-safety/indicator-pack?from=" + today
        + "&to=" + today + "&periods=3");
    assertEquals(200, exported.statusCode(), exported.body());
    JsonObject pack = new JsonObject(exported.body());
    assertEquals("heard-indicator-pack", pack.getString("format"));
    assertEquals(3, pack.getJsonArray("periods").size());
    JsonObject latest = pack.getJsonArray("periods").getJsonObject(2);
    assertEquals(15, latest.getInteger("responses"));
    JsonObject day = latest.getJsonArray("indicators").getJsonObject(0);
    assertEquals("feel_safe_day", day.getString("question"));
    assertEquals(1.0, day.getDouble("share"), 1e-9, "all 15 felt safe by day");
    assertFalse(exported.body().contains(rawId) || exported.body().contains("[name]"), "no ids, no text");
    assertFalse(exported.body().contains("_raw"), "the exact counts kept for the disclosure check never leave");
    // One response in E05000004 and 14 in E05000001 of 15: the 1 is withheld, and so is the 14, which
    // would give it back by subtraction from the 15 shown beside it.
    Map<String, JsonObject> reach = new HashMap<>();
    latest.getJsonArray("reach").forEach(row -> reach.put(((JsonObject) row).getString("value"), (JsonObject) row));
    assertNull(reach.get("E05000004").getValue("responses"), reach.toString());
    assertTrue(reach.get("E05000004").getJsonArray("suppressed").contains("responses"), reach.toString());
    assertNull(reach.get("E05000001").getValue("responses"), reach.toString());
    assertTrue(reach.get("E05000001").getJsonArray("withheld").contains("responses"), reach.toString());
    assertNull(reach.get("E05000001").getValue("share"), "its share would give it back too");

    try (TestServer other = TestServer.start(elsewhere, Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD))) {
      StaffClient admin = new StaffClient(other);
      assertEquals(303, admin.login(ADMIN, PASSWORD));
      String token = StaffClient.token(other, ADMIN, PASSWORD);
      HttpResponse<String> bad = other.send(HttpRequest.newBuilder(other.uri("/api/v1/indicator-packs"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("format", "spreadsheet").encode())).build());
      assertEquals(422, bad.statusCode());
      assertTrue(bad.body().contains("\"format\"") && bad.body().contains("\"periods\""), bad.body());
      HttpResponse<String> imported = other.send(HttpRequest.newBuilder(other.uri("/api/v1/indicator-packs"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(pack.encode())).build());
      assertEquals(201, imported.statusCode(), imported.body());
      HttpResponse<String> digest = other.send(HttpRequest.newBuilder(other.uri(
              "/api/v1/surveys/community-safety/digest?from=" + today + "&to=" + today))
          .header("Authorization", "Bearer " + token).GET().build());
      JsonObject partner = new JsonObject(digest.body()).getJsonArray("partners").getJsonObject(0);
      assertEquals(pack.getString("partnership"), partner.getString("partnership"));
      assertEquals(15, partner.getInteger("responses"));
      assertEquals(1.0, partner.getJsonArray("indicators").getJsonObject(0).getDouble("share"), 1e-9);
      String page = admin.get("/staff/digests/community-safety?from=" + today + "&to=" + today).body();
      assertTrue(page.contains("Compared with other partnerships") && page.contains("100% ("), "side by side on the page");
    }
  }
}
