package org.heard.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports an analyst can open and read: every answer stored whatever version asked it (a question
 * since removed keeps its column, marked with its versions), paper marks kept, times in ISO 8601 in
 * the partnership's zone, a codebook, an .xlsx with typed cells, and a date range.
 */
class ExportVersionsTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final String V1 = """
      id: evolving
      version: 1
      title: {en: Evolving}
      languages: [en]
      channels: {web: true, paper: {form_code: EV1, numbering: numbers, double_entry: false}}
      questions:
        - {id: safe, type: scale, min: 1, max: 5, required: true, text: {en: How safe?}}
        - id: lights
          type: single_choice
          text: {en: Are the street lights working?}
          options: [{value: "yes", text: {en: "Working"}}, {value: "no", text: {en: "Broken"}}]
        - {id: worries, type: multi_choice, text: {en: Worries?}, options: [asb, litter]}
      """;
  static final String V2 = """
      id: evolving
      version: 2
      title: {en: Evolving}
      languages: [en]
      channels: {web: true, paper: {form_code: EV1, numbering: numbers, double_entry: false}}
      questions:
        - {id: count, type: number, text: {en: How many times?}}
        - {id: safe, type: scale, min: 1, max: 5, required: true, text: {en: How safe?}}
        - {id: worries, type: multi_choice, text: {en: Worries?}, options: [asb, litter]}
      """;

  @TempDir
  Path dir;

  private static HttpResponse<byte[]> get(TestServer heard, String token, String path) throws Exception {
    return heard.send(HttpRequest.newBuilder(heard.uri(path)).header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static List<CSVRecord> csv(byte[] body) throws Exception {
    String text = new String(body, StandardCharsets.UTF_8).substring(1);  // the byte-order mark
    return CSVFormat.EXCEL.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text))
        .getRecords();
  }

  @Test
  void answersToARemovedQuestionStayMarkedWithItsVersionsWithMarksTypesACodebookAndADateRange() throws Exception {
    Path surveys = TestServer.testSurveys(dir.resolve("surveys"));
    Files.writeString(surveys.resolve("evolving.yaml"), V1);
    Map<String, String> env = Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD,
        Config.SURVEYS_DIR, surveys.toString());
    try (TestServer heard = TestServer.start(dir.resolve("heard"), env)) {
      assertEquals(201, heard.postResponse("evolving", "api-1", new JsonObject().put("answers", new JsonObject()
          .put("safe", 4).put("lights", "no").put("worries", new JsonArray().add("asb"))).encode()).statusCode());
      StaffClient admin = new StaffClient(heard);
      assertEquals(303, admin.login(ADMIN, PASSWORD));
      assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", "keyer@example.org", "role", "outreach",
          "password", PASSWORD)).statusCode());
      assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", "analyst@example.org", "role", "analyst",
          "password", PASSWORD)).statusCode());
      StaffClient keyer = new StaffClient(heard);
      assertEquals(303, keyer.login("keyer@example.org", PASSWORD));
      HttpResponse<String> batch = keyer.postForm("/staff/entry/evolving", Map.of("venue", "Library",
          "collectedOn", "2026-11-20", "expected", "1", "note", ""));
      String batchPage = batch.headers().firstValue("Location").orElseThrow();
      assertEquals(303, keyer.postForm(batchPage, Map.of("serial", "P1", "q-safe", "?", "q-lights", "2",
          "q-worries", "-")).statusCode(), keyer.lastBody());

      // The definition moves on: "lights" is removed, "count" added, the version raised.
      Files.writeString(surveys.resolve("evolving.yaml"), V2);
      heard.restart();
      String analyst = StaffClient.token(heard, "analyst@example.org", PASSWORD);
      assertEquals(201, heard.postResponse("evolving", "api-2", new JsonObject().put("answers", new JsonObject()
          .put("safe", 2).put("count", 3)).encode()).statusCode());

      List<CSVRecord> rows = csv(get(heard, analyst, "/api/v1/surveys/evolving/export?format=csv").body());
      assertEquals(3, rows.size());
      CSVRecord first = byChannel(rows, "api", "1");
      assertTrue(first.isMapped("lights (versions 1)"), "the removed question keeps its column: " + first.toMap());
      assertEquals("no", first.get("lights (versions 1)"));
      assertEquals("1", first.get("worries:asb"));
      assertEquals("", first.get("count"), "not asked then");
      CSVRecord paper = rows.stream().filter(r -> r.get("channel").equals("paper")).findFirst().orElseThrow();
      assertEquals("unreadable", paper.get("safe"), "paper marks are kept");
      assertEquals("not-answered", paper.get("worries:asb"));
      assertEquals("no", paper.get("lights (versions 1)"));
      assertEquals("2026-11-20", paper.get("provenance_collectedOn"));
      assertTrue(first.get("received_at").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)"),
          "ISO 8601 with the zone's offset: " + first.get("received_at"));

      String lines = new String(get(heard, analyst, "/api/v1/surveys/evolving/export?format=jsonl").body(),
          StandardCharsets.UTF_8);
      JsonObject jsonFirst = lines.lines().map(JsonObject::new).filter(j -> j.getInteger("surveyVersion") == 1
          && j.getString("channel").equals("api")).findFirst().orElseThrow();
      assertEquals("no", jsonFirst.getJsonObject("answers").getString("lights"));
      JsonObject jsonPaper = lines.lines().map(JsonObject::new).filter(j -> j.getString("channel").equals("paper"))
          .findFirst().orElseThrow();
      assertEquals("unreadable", jsonPaper.getJsonObject("marks").getString("safe"));

      List<CSVRecord> codebook = csv(get(heard, analyst, "/api/v1/surveys/evolving/export?format=codebook").body());
      CSVRecord removed = codebook.stream().filter(r -> r.get("column").equals("lights (versions 1)")
          && r.get("value").isEmpty()).findFirst().orElseThrow();
      assertEquals("Are the street lights working?", removed.get("question"));
      assertEquals("1", removed.get("asked_in_versions"));
      assertTrue(codebook.stream().anyMatch(r -> r.get("column").equals("lights (versions 1)")
          && r.get("value").equals("no") && r.get("label").equals("Broken")), "its codes, from the version that asked it");
      assertTrue(codebook.stream().anyMatch(r -> r.get("column").equals("safe") && r.get("asked_in_versions").equals("1,2")));
      assertTrue(codebook.stream().anyMatch(r -> r.get("value").equals("unreadable")));

      HttpResponse<byte[]> xlsx = get(heard, analyst, "/api/v1/surveys/evolving/export?format=xlsx");
      assertEquals(200, xlsx.statusCode());
      assertEquals("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          xlsx.headers().firstValue("Content-Type").orElseThrow());
      try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
        Sheet responses = workbook.findSheet("Responses").orElseThrow();
        List<Row> sheet = responses.read();
        assertEquals(4, sheet.size(), "a header and three rows");
        List<String> header = sheet.get(0).stream().map(Cell::getText).toList();
        Row api = sheet.stream().skip(1).filter(r -> "api".equals(text(r, header, "channel"))
            && "1".equals(cell(r, header, "survey_version").map(Cell::getText).orElse(""))).findFirst().orElseThrow();
        assertEquals(CellType.NUMBER, cell(api, header, "safe").orElseThrow().getType(), "numbers are numbers");
        assertEquals(CellType.NUMBER, cell(api, header, "worries:asb").orElseThrow().getType());
        assertEquals(CellType.BOOLEAN, cell(api, header, "complete").orElseThrow().getType());
        LocalDateTime received = cell(api, header, "received_at").orElseThrow().asDate();
        assertEquals(LocalDate.now(ZoneId.of("Europe/London")), received.toLocalDate(), "a time, in the zone");
        assertEquals("no", text(api, header, "lights (versions 1)"));
        List<Row> book = workbook.findSheet("Codebook").orElseThrow().read();
        assertTrue(book.stream().anyMatch(r -> "Broken".equals(r.getCellText(5))), "the codebook sheet");
      }

      String today = LocalDate.now(ZoneId.of("Europe/London")).toString();
      assertEquals(3, csv(get(heard, analyst, "/api/v1/surveys/evolving/export?format=csv&from=" + today
          + "&to=" + today).body()).size());
      assertEquals(0, csv(get(heard, analyst, "/api/v1/surveys/evolving/export?format=csv&from=2001-01-01&to=2001-01-31")
          .body()).size(), "none received then");
      HttpResponse<byte[]> bad = get(heard, analyst, "/api/v1/surveys/evolving/export?format=csv&from=yesterday");
      assertEquals(400, bad.statusCode());
      assertTrue(new String(bad.body(), StandardCharsets.UTF_8).contains("from must be a date like 2026-11-30"));
      HttpResponse<byte[]> backwards = get(heard, analyst, "/api/v1/surveys/evolving/export?format=csv&from=2026-11-30"
          + "&to=2026-11-01");
      assertEquals(400, backwards.statusCode());
      assertFalse(heard.find("audit_log", new JsonObject().put("action", "export").put("details.format", "xlsx"))
          .isEmpty(), "audited");
      assertEquals(1, heard.find("audit_log", new JsonObject().put("action", "export")
          .put("details.from", "2001-01-01")).size(), "the range is in the audit record");
    }
  }

  private static CSVRecord byChannel(List<CSVRecord> rows, String channel, String version) {
    return rows.stream().filter(r -> r.get("channel").equals(channel) && r.get("survey_version").equals(version))
        .findFirst().orElseThrow(() -> new AssertionError(rows.stream().map(r -> r.toMap().toString())
            .collect(Collectors.joining("\n"))));
  }

  private static Optional<Cell> cell(Row row, List<String> header, String column) {
    return row.getOptionalCell(header.indexOf(column));
  }

  private static String text(Row row, List<String> header, String column) {
    return cell(row, header, column).map(Cell::getText).orElse("");
  }
}
