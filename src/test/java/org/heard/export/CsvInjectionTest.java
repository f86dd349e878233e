package org.heard.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What residents type never becomes a live formula in the analyst's spreadsheet (OWASP's CSV injection advice). */
class CsvInjectionTest {
  private static final String ADMIN = "admin@example.org";
  private static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));

  @Test
  void cellsASpreadsheetWouldRunAreExportedAsText() throws Exception {
    Map<String, String> typed = new LinkedHashMap<>();
    typed.put("formula", "=HYPERLINK(\"http://evil.example/x\",\"Click for help\")");
    typed.put("at", "@SUM(1+1)*cmd|' /C calc'!A0");
    typed.put("plus", "+cmd|' /C calc'!A0");
    typed.put("minus", "-2+3+cmd|' /C calc'!A0");
    typed.put("plain", "More buses at night, please");
    Map<String, String> idOf = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : typed.entrySet()) {
      HttpResponse<String> stored = heard.postResponse("community-safety", entry.getKey(), new JsonObject()
          .put("answers", new JsonObject().put("ward", "E05000001").put("feel_safe_day", 4).put("feel_safe_dark", 2)
              .put("concerns", new JsonArray(List.of("drugs"))).put("what_would_help", entry.getValue())).encode());
      assertEquals(201, stored.statusCode(), stored.body());
      idOf.put(entry.getKey(), new JsonObject(stored.body()).getString("id"));
    }
    heard.awaitAnalysed(typed.size());
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", "analyst@example.org", "role", "analyst",
        "password", PASSWORD)).statusCode());
    String analyst = StaffClient.token(heard, "analyst@example.org", PASSWORD);
    HttpResponse<byte[]> export = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/export?format=csv"))
            .header("Authorization", "Bearer " + analyst).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, export.statusCode());
    String text = new String(export.body(), 3, export.body().length - 3, StandardCharsets.UTF_8);
    List<CSVRecord> rows = CSVFormat.EXCEL.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(text)).getRecords();
    for (Map.Entry<String, String> entry : typed.entrySet()) {
      CSVRecord row = rows.stream().filter(r -> r.get("response_id").equals(idOf.get(entry.getKey())))
          .findFirst().orElseThrow();
      String expected = entry.getKey().equals("plain") ? entry.getValue() : "'" + entry.getValue();
      assertEquals(expected, row.get("what_would_help"), entry.getKey());
      assertEquals("4", row.get("feel_safe_day"), "numbers stay numbers");
    }
  }
}
