package org.heard.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Paper forms keyed by outreach workers: batches, codes and marks, duplicates, double entry, corrections, CSV. */
public class PaperEntryTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final String DOORSTEP = """
      id: doorstep
      version: 1
      title: {en: Doorstep survey}
      languages: [en]
      channels: {web: false, paper: {form_code: DS1, numbering: letters, double_entry: true}}
      questions:
        - {id: ward, type: area, text: {en: Which area?}, required: true}
        - {id: safe, type: scale, min: 1, max: 5, text: {en: How safe?}, required: true}
        - id: worries
          type: multi_choice
          text: {en: Worries?}
          options: [{value: asb, text: {en: ASB}}, {value: drugs, text: {en: Drugs}}, {value: litter, text: {en: Litter}}]
        - {id: comment, type: text, text: {en: Anything else?}}
      """;

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD))
      .withSurvey("doorstep.yaml", DOORSTEP);

  private static StaffClient first;
  private static StaffClient second;
  private static StaffClient third;
  private static StaffClient analyst;

  @BeforeAll
  static void staff() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    for (String name : List.of("first", "second", "third")) {
      assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", name + "@example.org", "role", "outreach",
          "password", PASSWORD)).statusCode());
    }
    assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", "analyst@example.org", "role", "analyst",
        "password", PASSWORD)).statusCode());
    first = signedIn("first@example.org");
    second = signedIn("second@example.org");
    third = signedIn("third@example.org");
    analyst = signedIn("analyst@example.org");
  }

  private static StaffClient signedIn(String email) throws Exception {
    StaffClient client = new StaffClient(heard);
    assertEquals(303, client.login(email, PASSWORD));
    return client;
  }

  /** Starts a batch and returns its page path. */
  public static String startBatch(StaffClient who, String survey, int forms) throws Exception {
    HttpResponse<String> created = who.postForm("/staff/entry/" + survey, Map.of("venue", "Westfield community centre",
        "collectedOn", "2026-11-20", "expected", String.valueOf(forms), "note", "Tuesday drop-in"));
    assertEquals(303, created.statusCode(), created.body());
    return created.headers().firstValue("Location").orElseThrow();
  }

  /** A community-safety paper form as typed, question by question. */
  public static Map<String, String> communitySafetyForm(String serial) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("serial", serial);
    form.put("q-ward", "6");
    form.put("q-years_in_area", "12");
    form.put("q-feel_safe_day", "4");
    form.put("q-feel_safe_dark", "?");
    form.put("q-concerns", "1 7");
    form.put("q-other_concern", "Loud music at night");
    form.put("q-victim_last_year", "2");
    form.put("q-reported", "");
    form.put("q-what_would_help", "-");
    form.put("q-contact_ok", "2");
    form.put("q-age_band", "-");
    form.put("q-sex", "1");
    form.put("q-ethnic_group", "?");
    form.put("q-disability", "2");
    return form;
  }

  private static JsonObject response(String survey, String serial) {
    List<JsonObject> found = heard.find("responses", new JsonObject().put("surveyId", survey)
        .put("provenance.serial", serial));
    return found.isEmpty() ? null : found.get(0);
  }

  @Test
  void aBatchOfKeyedFormsBecomesPaperResponsesWithProvenance() throws Exception {
    String batch = startBatch(first, "community-safety", 3);
    assertTrue(first.get(batch).body().contains("0 of 3 entered"));

    HttpResponse<String> saved = first.postForm(batch, communitySafetyForm("S100"));
    assertEquals(303, saved.statusCode(), saved.body());
    HttpResponse<String> next = first.get(saved.headers().firstValue("Location").orElseThrow());
    assertTrue(next.body().contains("1 of 3 entered"));
    assertTrue(next.body().contains("Form S100 saved."));

    JsonObject stored = response("community-safety", "S100");
    assertEquals("paper", stored.getString("channel"));
    assertEquals(new JsonObject().put("ward", "E05000006").put("years_in_area", 12).put("feel_safe_day", 4)
        .put("concerns", new JsonArray().add("asb").add("other")).put("other_concern", "Loud music at night")
        .put("victim_last_year", "no").put("contact_ok", false).put("sex", "female").put("disability", "no"),
        stored.getJsonObject("answers"));
    JsonObject provenance = stored.getJsonObject("provenance");
    assertEquals(new JsonObject().put("feel_safe_dark", "unreadable").put("what_would_help", "not-answered")
        .put("age_band", "not-answered").put("ethnic_group", "unreadable"), provenance.getJsonObject("marks"),
        "blank boxes are stored as what they were, not as empty");
    assertFalse(stored.getBoolean("complete"), "a required question could not be read");
    assertEquals("first@example.org", provenance.getString("enteredBy"));
    assertEquals("Westfield community centre", provenance.getString("venue"));
    assertEquals("2026-11-20", provenance.getString("collectedOn"));
    assertEquals("CS26", provenance.getString("formCode"));
    assertTrue(provenance.getString("enteredAt").startsWith("20"));
    assertEquals(batch.substring(batch.lastIndexOf('/') + 1), provenance.getString("batchId"));
    assertEquals(1, StaffAccessTestSupport.audit(heard, ADMIN, PASSWORD, "paper-entered").stream()
        .map(o -> (JsonObject) o).filter(e -> e.getJsonArray("records").contains(stored.getString("_id"))).count());
  }

  @Test
  void everyBoxNeedsAnAnswerOrAMarkAndMistakesAreNamed() throws Exception {
    String batch = startBatch(first, "community-safety", 2);
    HttpResponse<String> empty = first.postForm(batch, Map.of("serial", "S200"));
    assertEquals(422, empty.statusCode());
    assertTrue(empty.body().contains("Question 1: type the answer, - if it was not answered, or ? if it cannot be read"));
    assertTrue(empty.body().contains("href=\"#q-ward\""), "the error summary links to the box");
    assertFalse(empty.body().contains("#q-reported"), "a question skip logic hides needs nothing");

    Map<String, String> wrong = communitySafetyForm("S200");
    wrong.put("q-ward", "9");
    wrong.put("q-feel_safe_day", "8");
    wrong.put("q-reported", "1");
    HttpResponse<String> mistakes = first.postForm(batch, wrong);
    assertEquals(422, mistakes.statusCode());
    assertTrue(mistakes.body().contains("Type one of the codes 1 to 7"));
    assertTrue(mistakes.body().contains("must be from 1 to 5"));
    assertTrue(mistakes.body().contains("is only asked when"));
    assertTrue(mistakes.body().contains("value=\"Loud music at night\""), "what was typed is kept");
    assertNull(response("community-safety", "S200"), "nothing stored");
    assertTrue(first.get(batch).body().contains("0 of 2 entered"));
  }

  @Test
  void aSerialAlreadyEnteredIsRefusedWithALinkToTheRecord() throws Exception {
    String batch = startBatch(first, "community-safety", 2);
    assertEquals(303, first.postForm(batch, communitySafetyForm("S300")).statusCode());
    String id = response("community-safety", "S300").getString("_id");

    Map<String, String> different = communitySafetyForm("S300");
    different.put("q-feel_safe_day", "1");
    HttpResponse<String> refused = second.postForm(batch, different);
    assertEquals(409, refused.statusCode());
    assertTrue(refused.body().contains("Form S300 has already been entered for this survey: see record /staff/responses/"
        + id), refused.body());
    assertEquals(4, response("community-safety", "S300").getJsonObject("answers").getInteger("feel_safe_day"),
        "the stored record is unchanged");

    HttpResponse<String> again = first.postForm(batch, communitySafetyForm("S300"));
    assertEquals(303, again.statusCode(), "the very same form again (a double submit) is harmless");
    assertTrue(first.get(again.headers().firstValue("Location").orElseThrow()).body()
        .contains("was already stored with exactly these answers"));
    assertTrue(first.get(batch).body().contains("1 of 2 entered"));
    assertEquals(1, heard.find("responses", new JsonObject().put("provenance.serial", "S300")).size());
  }

  private static Map<String, String> doorstep(String serial, String safe) {
    return new LinkedHashMap<>(Map.of("serial", serial, "q-ward", "b", "q-safe", safe, "q-worries", "AC",
        "q-comment", "Bins left out"));
  }

  @Test
  void doubleEntryStoresOnlyWhatTwoPeopleAgreeOnOrAThirdResolves() throws Exception {
    String batchOne = startBatch(first, "doorstep", 2);
    String batchTwo = startBatch(second, "doorstep", 2);

    assertEquals(303, first.postForm(batchOne, doorstep("D1", "4")).statusCode());
    assertNull(response("doorstep", "D1"), "one keying is not a response");
    HttpResponse<String> sameHands = first.postForm(batchOne, doorstep("D1", "5"));
    assertEquals(409, sameHands.statusCode());
    assertTrue(sameHands.body().contains("Another outreach worker must key it again"));
    HttpResponse<String> doubleSubmit = first.postForm(batchOne, doorstep("D1", "4"));
    assertTrue(doubleSubmit.headers().firstValue("Location").orElseThrow().contains("outcome=already-keyed"),
        "the same worker sending the same keying twice changes nothing");
    String waiting = second.get("/staff/entry/doorstep").body();
    assertTrue(waiting.contains("D1 (first keyed by first@example.org)"), "the second worker sees which serials wait");
    assertFalse(waiting.contains("Bins left out"), "but never the first keying's answers");

    HttpResponse<String> verified = second.postForm(batchTwo, doorstep("D1", "4"));
    assertEquals(303, verified.statusCode());
    assertTrue(verified.headers().firstValue("Location").orElseThrow().contains("outcome=verified"));
    JsonObject d1 = response("doorstep", "D1");
    assertEquals(new JsonObject().put("ward", "E05000002").put("safe", 4).put("worries",
        new JsonArray().add("asb").add("litter")).put("comment", "Bins left out"), d1.getJsonObject("answers"));
    assertEquals(new JsonObject().put("mode", "double").put("firstBy", "first@example.org")
        .put("secondBy", "second@example.org"), d1.getJsonObject("provenance").getJsonObject("verification"));

    assertEquals(303, first.postForm(batchOne, doorstep("D2", "4")).statusCode());
    Map<String, String> misread = doorstep("D2", "1");
    misread.put("q-comment", "Bins left out!");
    HttpResponse<String> mismatch = second.postForm(batchTwo, misread);
    assertEquals(303, mismatch.statusCode());
    assertTrue(mismatch.headers().firstValue("Location").orElseThrow().contains("outcome=mismatch"));
    assertNull(response("doorstep", "D2"), "disagreeing keyings are not a response");
    assertTrue(third.get("/staff/entry/doorstep").body().contains("Form D2</a>: 2 questions differ"));
    HttpResponse<String> stillOpen = third.postForm(batchOne, doorstep("D2", "4"));
    assertEquals(409, stillOpen.statusCode());

    assertEquals(403, first.postForm("/staff/entry/doorstep/serials/D2", Map.of("q-safe", "4", "q-comment", "x"))
        .statusCode(), "someone who keyed it cannot resolve it");
    HttpResponse<String> page = third.get("/staff/entry/doorstep/serials/D2");
    assertTrue(page.body().contains("First keying: <span class=\"code\">4</span>. Second keying: <span class=\"code\">1</span>."));
    assertFalse(page.body().contains("id=\"q-ward\""), "only the questions that differ are asked");
    HttpResponse<String> resolved = third.postForm("/staff/entry/doorstep/serials/D2",
        Map.of("q-safe", "4", "q-comment", "Bins left out"));
    assertEquals(303, resolved.statusCode(), resolved.body());
    JsonObject d2 = response("doorstep", "D2");
    assertEquals(4, d2.getJsonObject("answers").getInteger("safe"));
    assertEquals(new JsonArray().add("asb").add("litter"), d2.getJsonObject("answers").getJsonArray("worries"),
        "what both keyings agreed on is kept");
    JsonObject verification = d2.getJsonObject("provenance").getJsonObject("verification");
    assertEquals("third@example.org", verification.getString("resolvedBy"));
    assertEquals(new JsonArray().add("safe").add("comment"), verification.getJsonArray("mismatches"));
    // Both keyings in one batch: each form counts once there, in plain words.
    String shared = startBatch(first, "doorstep", 1);
    assertEquals(303, first.postForm(shared, doorstep("D3", "2")).statusCode());
    assertEquals(303, second.postForm(shared, doorstep("D3", "2")).statusCode());
    String sharedPage = first.get(shared).body();
    assertTrue(sharedPage.contains("1 of 1 entered</strong> (1 of them keyed a second time in this batch)"), sharedPage);
    assertTrue(sharedPage.contains("<td>Waiting for its second keying</td>")
        && sharedPage.contains("<td>Verified and stored</td>"), "outcomes in words, not ids");
    assertFalse(sharedPage.contains("awaiting-second</td>"));
    for (String action : List.of("paper-verified", "paper-mismatch", "paper-resolved")) {
      assertFalse(StaffAccessTestSupport.audit(heard, ADMIN, PASSWORD, action).isEmpty(), action);
    }
  }

  @Test
  void correctionsKeepThePreviousValueWhoAndWhen() throws Exception {
    String batch = startBatch(first, "community-safety", 1);
    assertEquals(303, first.postForm(batch, communitySafetyForm("S400")).statusCode());
    String id = response("community-safety", "S400").getString("_id");
    String record = "/staff/responses/" + id;

    HttpResponse<String> noReason = first.postForm(record, Map.of("question", "feel_safe_dark", "value", "3"));
    assertEquals(422, noReason.statusCode());
    assertTrue(noReason.body().contains("Say why it is corrected"));
    HttpResponse<String> corrected = first.postForm(record, Map.of("question", "feel_safe_dark", "value", "3",
        "reason", "Checked against the paper: a faint 3"));
    assertEquals(303, corrected.statusCode(), corrected.body());

    JsonObject stored = response("community-safety", "S400");
    assertEquals(3, stored.getJsonObject("answers").getInteger("feel_safe_dark"));
    assertFalse(stored.getJsonObject("provenance").getJsonObject("marks").containsKey("feel_safe_dark"));
    assertTrue(stored.getBoolean("complete"), "every required answer is there now");
    JsonObject correction = stored.getJsonArray("corrections").getJsonObject(0);
    assertEquals(new JsonObject().put("mark", "unreadable"), correction.getJsonObject("from"));
    assertEquals(new JsonObject().put("value", 3), correction.getJsonObject("to"));
    assertEquals("first@example.org", correction.getString("by"));
    assertEquals("Checked against the paper: a faint 3", correction.getString("reason"));

    HttpResponse<String> shown = analyst.get(record);
    assertEquals(200, shown.statusCode());
    assertTrue(shown.body().contains("Was Unreadable on the paper form; changed to 3 by first@example.org"),
        "the history is visible on the record");
    assertFalse(shown.body().contains("Save correction"), "analysts read; they do not correct");
    assertTrue(StaffAccessTestSupport.audit(heard, ADMIN, PASSWORD, "response-viewed").stream()
        .map(o -> (JsonObject) o).anyMatch(e -> e.getString("actor").equals("analyst@example.org")
            && e.getJsonArray("records").contains(id)), "the analyst's read is audited");
    assertEquals(1, StaffAccessTestSupport.audit(heard, ADMIN, PASSWORD, "response-corrected").stream()
        .map(o -> (JsonObject) o).filter(e -> e.getJsonArray("records").contains(id)).count());

    HttpResponse<String> same = first.postForm(record, Map.of("question", "feel_safe_dark", "value", "3",
        "reason", "again"));
    assertEquals(422, same.statusCode(), "a correction that changes nothing is refused");
  }

  @Test
  void aCsvFileIsCheckedWholeThenStoredOnceBySerial() throws Exception {
    HttpResponse<String> template = first.get("/staff/entry/doorstep/template.csv");
    assertEquals(200, template.statusCode());
    assertEquals("\uFEFFserial,ward,safe,worries,comment", template.body().strip());

    long before = heard.count("responses");
    String bad = "serial,ward,safe,worries,comment,shoe_size\r\nC1,b,4,A,ok,9\r\n";
    HttpResponse<String> unknownColumn = upload(first, "doorstep", bad);
    assertEquals(422, unknownColumn.statusCode());
    assertTrue(unknownColumn.body().contains("&#39;shoe_size&#39; is not a question of doorstep")
        || unknownColumn.body().contains("'shoe_size' is not a question of doorstep"), unknownColumn.body());

    String rowErrors = "serial,ward,safe,worries,comment\r\nC1,b,4,A C,fine\r\nC2,z,9,,\r\nC1,a,3,,dup\r\n";
    HttpResponse<String> rejected = upload(first, "doorstep", rowErrors);
    assertEquals(422, rejected.statusCode());
    String body = rejected.body();
    assertTrue(body.contains("<td>3</td><td class=\"code\">ward</td>"), "row 3, column ward");
    assertTrue(body.contains("<td>3</td><td class=\"code\">safe</td>"), "row 3, column safe");
    assertTrue(body.contains("Serial C1 is also on row 2"));
    assertEquals(before, heard.count("responses"), "nothing stored");
    long batches = heard.count("paper_batches");

    String good = "serial,ward,safe,worries,comment\r\nC1,b,4,A C,fine\r\nC2,a,2,,\r\nC3,g,?,b,\"Dark, \"\"no lights\"\"\"\r\n";
    HttpResponse<String> accepted = upload(first, "doorstep", good);
    assertEquals(303, accepted.statusCode(), accepted.body());
    assertEquals(batches + 1, heard.count("paper_batches"));
    List<JsonObject> entries = heard.find("paper_entries", new JsonObject().put("surveyId", "doorstep")
        .put("state", "awaiting-second"));
    assertTrue(entries.stream().anyMatch(e -> e.getString("serial").equals("C3")),
        "with double entry on, imported rows are first keyings");
    HttpResponse<String> again = upload(first, "doorstep", good);
    assertEquals(200, again.statusCode(), "the same file again is harmless");
    assertTrue(again.body().contains("0 new forms, 3 already stored"), again.body());
    assertEquals(batches + 1, heard.count("paper_batches"), "and makes no empty batch");
    assertEquals(3, heard.find("paper_entries", new JsonObject().put("surveyId", "doorstep")
        .put("serial", new JsonObject().put("$in", new JsonArray().add("C1").add("C2").add("C3")))).size());
    assertFalse(StaffAccessTestSupport.audit(heard, ADMIN, PASSWORD, "import").isEmpty());
  }

  @Test
  void aCsvFileForASingleEntrySurveyStoresResponses() throws Exception {
    String csv = "\uFEFFserial,ward,years_in_area,feel_safe_day,feel_safe_dark,concerns,victim_last_year\r\n"
        + "P1,1,3,4,4,2 3,2\r\nP2,7,,2,1,,1\r\n";
    assertEquals(303, upload(first, "community-safety", csv).statusCode());
    JsonObject p1 = response("community-safety", "P1");
    assertEquals(new JsonArray().add("drugs").add("burglary"), p1.getJsonObject("answers").getJsonArray("concerns"));
    assertEquals("not-answered", p1.getJsonObject("provenance").getJsonObject("marks").getString("contact_ok"),
        "a missing column or empty cell is 'not answered'");
    long batches = heard.count("paper_batches");
    HttpResponse<String> again = upload(first, "community-safety", csv);
    assertEquals(200, again.statusCode());
    assertTrue(again.body().contains("0 new forms, 2 already stored: this file was imported before. Nothing was "
        + "added and no batch was made."), again.body());
    assertEquals(batches, heard.count("paper_batches"));
    assertEquals(1, heard.find("responses", new JsonObject().put("provenance.serial", "P2")).size());

    // Every problem in one pass: a bad cell and a serial stored with other answers.
    String changed = csv.replace("P2,7,,2,1,,1", "P2,7,,5,1,,1") + "P3,99,,2,1,,1\r\n";
    HttpResponse<String> conflict = upload(first, "community-safety", changed);
    assertEquals(422, conflict.statusCode());
    assertTrue(conflict.body().contains("Form P2 is already stored with other answers"), conflict.body());
    assertTrue(conflict.body().contains("<td>4</td><td class=\"code\">ward</td>"), "and row 4's bad area code");

    String oneNew = csv + "P4,2,,3,3,,2\r\n";
    HttpResponse<String> mixed = upload(first, "community-safety", oneNew);
    assertEquals(303, mixed.statusCode(), mixed.body());
    String batchPage = first.get(mixed.headers().firstValue("Location").orElseThrow()).body();
    assertTrue(batchPage.contains("1 new form imported from the CSV file into this batch; 2 already stored, not "
        + "added again."), batchPage);
    assertTrue(batchPage.contains("1 of 1 entered"), "the batch holds the new form only");
  }

  static HttpResponse<String> upload(StaffClient who, String survey, String csv) throws Exception {
    return upload(heard, who, survey, csv);
  }

  public static HttpResponse<String> upload(TestServer server, StaffClient who, String survey, String csv)
      throws Exception {
    String boundary = "----heard" + UUID.randomUUID();
    StringBuilder body = new StringBuilder();
    Map<String, String> fields = Map.of("csrf", who.csrf(), "venue", "Library", "collectedOn", "2026-11-19");
    fields.forEach((name, value) -> body.append("--").append(boundary).append("\r\n")
        .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
    body.append("--").append(boundary).append("\r\n")
        .append("Content-Disposition: form-data; name=\"file\"; filename=\"batch.csv\"\r\n")
        .append("Content-Type: text/csv\r\n\r\n").append(csv).append("\r\n")
        .append("--").append(boundary).append("--\r\n");
    return who.send(HttpRequest.newBuilder(server.uri("/staff/entry/" + survey + "/import"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Accept", "text/html")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build());
  }
}
