package org.heard.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.heard.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JSON response API against a running server and the embedded store. */
class ResponseApiTest {
  @RegisterExtension
  static final TestServer heard = TestServer.forClass();

  /** A complete, valid answer set for community-safety; tests change one thing at a time. */
  private static JsonObject validAnswers() {
    return new JsonObject()
        .put("ward", "E05000002")
        .put("years_in_area", 12)
        .put("feel_safe_day", 4)
        .put("feel_safe_dark", 2)
        .put("concerns", new JsonArray().add("asb").add("drugs"))
        .put("victim_last_year", "no")
        .put("what_would_help", "More lighting on the canal path")
        .put("contact_ok", false)
        .put("age_band", "25-44");
  }

  private static String body(JsonObject answers) {
    return new JsonObject().put("answers", answers).put("language", "en").encode();
  }

  private static String newKey() {
    return UUID.randomUUID().toString();
  }

  private static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  /** Submits answers changed by {@code change}; asserts a 422 naming exactly that field and nothing stored. */
  private JsonObject assertRejected(Consumer<JsonObject> change, String field, String code) throws Exception {
    JsonObject answers = validAnswers();
    change.accept(answers);
    long before = heard.count(ResponseStore.COLLECTION);
    HttpResponse<String> response = heard.postResponse("community-safety", newKey(), body(answers));
    assertEquals(422, response.statusCode(), response.body());
    assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonObject problem = json(response);
    assertEquals("urn:heard:problem:invalid-answers", problem.getString("type"));
    JsonArray errors = problem.getJsonArray("errors");
    assertEquals(1, errors.size(), problem.encodePrettily());
    assertEquals(field, errors.getJsonObject(0).getString("field"));
    assertEquals(code, errors.getJsonObject(0).getString("code"));
    assertEquals(before, heard.count(ResponseStore.COLLECTION), "nothing may be stored on an error");
    return errors.getJsonObject(0);
  }

  @Test
  void listsOnlySurveysOpenToday() throws Exception {
    HttpResponse<String> response = heard.get("/api/v1/surveys");
    assertEquals(200, response.statusCode());
    List<String> ids = json(response).getJsonArray("surveys").stream()
        .map(s -> ((JsonObject) s).getString("id")).toList();
    assertEquals(List.of("community-safety", "sms-pulse"), ids);
  }

  @Test
  void returnsTheDefinitionWithTheFileKeys() throws Exception {
    JsonObject survey = json(heard.get("/api/v1/surveys/community-safety"));
    assertEquals("community-safety", survey.getString("id"));
    assertEquals(List.of("en", "pl", "cy", "ar"), survey.getJsonArray("languages").getList());
    JsonObject concerns = survey.getJsonArray("questions").stream().map(JsonObject.class::cast)
        .filter(q -> q.getString("id").equals("concerns")).findFirst().orElseThrow();
    assertEquals("multi_choice", concerns.getString("type"));
    assertEquals(3, concerns.getInteger("max_choices"));
    assertEquals("Drug dealing or use", concerns.getJsonArray("options").getJsonObject(1)
        .getJsonObject("text").getString("en"));
    JsonObject closed = json(heard.get("/api/v1/surveys/closed-2020"));
    assertFalse(closed.getBoolean("open"));
  }

  @Test
  void unknownSurveyIs404Problem() throws Exception {
    HttpResponse<String> get = heard.get("/api/v1/surveys/no-such-survey");
    assertEquals(404, get.statusCode());
    assertEquals("urn:heard:problem:unknown-survey", json(get).getString("type"));
    HttpResponse<String> post = heard.postResponse("no-such-survey", newKey(), body(validAnswers()));
    assertEquals(404, post.statusCode());
  }

  @Test
  void validResponseIsStoredWithProvenanceAndNoAddress() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    String key = newKey();
    HttpResponse<String> response = heard.postResponse("community-safety", key, body(validAnswers()));
    assertEquals(201, response.statusCode(), response.body());
    String id = json(response).getString("id");

    List<JsonObject> stored = heard.find(ResponseStore.COLLECTION, new JsonObject().put("_id", id));
    assertEquals(1, stored.size());
    JsonObject doc = stored.get(0);
    assertEquals("community-safety", doc.getString("surveyId"));
    assertEquals(1, doc.getInteger("surveyVersion"));
    assertEquals("api", doc.getString("channel"));
    assertEquals("en", doc.getString("language"));
    assertTrue(doc.getBoolean("complete"));
    Instant received = Instant.parse(doc.getJsonObject("receivedAt").getString("$date"));
    assertTrue(received.isAfter(before) && received.isBefore(Instant.now().plusSeconds(1)));
    JsonObject answers = doc.getJsonObject("answers");
    assertEquals(2, answers.getInteger("feel_safe_dark"));
    assertEquals(List.of("asb", "drugs"), answers.getJsonArray("concerns").getList());
    assertEquals("More lighting on the canal path", answers.getString("what_would_help"));
    assertEquals(key, doc.getJsonObject("provenance").getString("idempotencyKey"));
    String everything = doc.encode();
    assertFalse(everything.contains("127.0.0.1"), "no IP address may be stored: " + everything);
  }

  @Test
  void sameIdempotencyKeyReturnsSameIdAndStoresNothingNew() throws Exception {
    String key = newKey();
    HttpResponse<String> first = heard.postResponse("community-safety", key, body(validAnswers()));
    assertEquals(201, first.statusCode());
    long count = heard.count(ResponseStore.COLLECTION);
    HttpResponse<String> again = heard.postResponse("community-safety", key, body(validAnswers()));
    assertEquals(200, again.statusCode());
    assertEquals(json(first).getString("id"), json(again).getString("id"));
    assertEquals("already-stored", json(again).getString("stored"));
    assertEquals(count, heard.count(ResponseStore.COLLECTION));
  }

  @Test
  void reusingAKeyForDifferentAnswersIsAConflictAndKeepsTheFirst() throws Exception {
    String key = newKey();
    String id = json(heard.postResponse("community-safety", key, body(validAnswers()))).getString("id");
    HttpResponse<String> conflict = heard.postResponse("community-safety", key,
        body(validAnswers().put("feel_safe_dark", 5)));
    assertEquals(409, conflict.statusCode());
    assertEquals("urn:heard:problem:idempotency-key-reused", json(conflict).getString("type"));
    JsonObject stored = heard.find(ResponseStore.COLLECTION, new JsonObject().put("_id", id)).get(0);
    assertEquals(2, stored.getJsonObject("answers").getInteger("feel_safe_dark"));
  }

  @Test
  void concurrentRetriesOfOneSubmissionStoreExactlyOne() throws Exception {
    String key = newKey();
    long before = heard.count(ResponseStore.COLLECTION);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(pool.submit(() -> heard.postResponse("community-safety", key, body(validAnswers()))));
      }
      int created = 0;
      for (Future<HttpResponse<String>> call : calls) {
        int status = call.get().statusCode();
        assertTrue(status == 201 || status == 200, "status " + status);
        created += status == 201 ? 1 : 0;
      }
      assertEquals(1, created);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(before + 1, heard.count(ResponseStore.COLLECTION));
  }

  /** Inserts arriving together go in one command: a repeat among them is refused alone, the others are created. */
  @Test
  void aRepeatInAGroupedInsertLeavesTheOthersCreated() throws Exception {
    String repeated = newKey();
    long before = heard.count(ResponseStore.COLLECTION);
    long listedBefore = heard.count(ResponseSequence.NUMBERS);
    ExecutorService pool = Executors.newFixedThreadPool(24);
    try {
      List<Future<HttpResponse<String>>> repeats = new ArrayList<>();
      List<Future<HttpResponse<String>>> distinct = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        repeats.add(pool.submit(() -> heard.postResponse("community-safety", repeated, body(validAnswers()))));
        String key = newKey();
        distinct.add(pool.submit(() -> heard.postResponse("community-safety", key, body(validAnswers()))));
      }
      int created = 0;
      for (Future<HttpResponse<String>> call : repeats) {
        created += call.get().statusCode() == 201 ? 1 : 0;
      }
      assertEquals(1, created);
      for (Future<HttpResponse<String>> call : distinct) {
        assertEquals(201, call.get().statusCode());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(before + 13, heard.count(ResponseStore.COLLECTION));
    assertEquals(listedBefore + 13, heard.count(ResponseSequence.NUMBERS));
  }

  @Test
  void languageDefaultsToTheSurveyDefaultAndUnknownLanguageIsRejected() throws Exception {
    String noLanguage = new JsonObject().put("answers", validAnswers()).encode();
    HttpResponse<String> response = heard.postResponse("community-safety", newKey(), noLanguage);
    assertEquals(201, response.statusCode());
    String id = json(response).getString("id");
    assertEquals("en", heard.find(ResponseStore.COLLECTION, new JsonObject().put("_id", id)).get(0)
        .getString("language"));

    String polish = new JsonObject().put("answers", validAnswers()).put("language", "pl").encode();
    assertEquals(201, heard.postResponse("community-safety", newKey(), polish).statusCode());

    String german = new JsonObject().put("answers", validAnswers()).put("language", "de").encode();
    HttpResponse<String> rejected = heard.postResponse("community-safety", newKey(), german);
    assertEquals(422, rejected.statusCode());
    assertEquals("language", json(rejected).getJsonArray("errors").getJsonObject(0).getString("field"));
  }

  @Test
  void requiredQuestionMustBeAnswered() throws Exception {
    assertRejected(a -> a.remove("feel_safe_dark"), "answers.feel_safe_dark", "required");
    assertRejected(a -> a.put("ward", ""), "answers.ward", "required");
  }

  @Test
  void monitoringQuestionsAreNeverRequiredAndOfferPreferNotToSay() throws Exception {
    JsonObject answers = validAnswers();
    answers.remove("age_band");
    assertEquals(201, heard.postResponse("community-safety", newKey(), body(answers)).statusCode());
    answers.put("ethnic_group", "prefer_not_to_say");
    assertEquals(201, heard.postResponse("community-safety", newKey(), body(answers)).statusCode());
    // Not offered on ordinary questions.
    assertRejected(a -> a.put("victim_last_year", "prefer_not_to_say"), "answers.victim_last_year", "not_an_option");
  }

  @Test
  void skipLogicAsksFollowUpOnlyWhenTheConditionHolds() throws Exception {
    assertRejected(a -> a.put("reported", "yes"), "answers.reported", "not_asked");
    assertRejected(a -> a.put("other_concern", "Fireworks"), "answers.other_concern", "not_asked");

    JsonObject answers = validAnswers().put("victim_last_year", "yes").put("reported", "no")
        .put("concerns", new JsonArray().add("other")).put("other_concern", "Fireworks in the park");
    HttpResponse<String> response = heard.postResponse("community-safety", newKey(), body(answers));
    assertEquals(201, response.statusCode(), response.body());
    JsonObject stored = heard.find(ResponseStore.COLLECTION,
        new JsonObject().put("_id", json(response).getString("id"))).get(0).getJsonObject("answers");
    assertEquals("no", stored.getString("reported"));
    assertEquals("Fireworks in the park", stored.getString("other_concern"));
  }

  @Test
  void choicesMustBeOptions() throws Exception {
    assertRejected(a -> a.put("victim_last_year", "maybe"), "answers.victim_last_year", "not_an_option");
    assertRejected(a -> a.put("victim_last_year", 1), "answers.victim_last_year", "wrong_type");
    assertRejected(a -> a.put("concerns", new JsonArray().add("asb").add("aliens")), "answers.concerns",
        "not_an_option");
    assertRejected(a -> a.put("concerns", "asb"), "answers.concerns", "wrong_type");
    assertRejected(a -> a.put("concerns", new JsonArray().add("asb").add("asb")), "answers.concerns",
        "duplicate_choice");
  }

  @Test
  void maxChoicesHolds() throws Exception {
    assertRejected(a -> a.put("concerns", new JsonArray().add("asb").add("drugs").add("burglary").add("speeding")),
        "answers.concerns", "too_many_choices");
  }

  @Test
  void scaleAndNumberMustBeInRange() throws Exception {
    assertRejected(a -> a.put("feel_safe_dark", 6), "answers.feel_safe_dark", "out_of_range");
    assertRejected(a -> a.put("feel_safe_dark", 0), "answers.feel_safe_dark", "out_of_range");
    assertRejected(a -> a.put("feel_safe_dark", 2.5), "answers.feel_safe_dark", "wrong_type");
    assertRejected(a -> a.put("feel_safe_dark", "4"), "answers.feel_safe_dark", "wrong_type");
    assertRejected(a -> a.put("years_in_area", 101), "answers.years_in_area", "out_of_range");
    assertRejected(a -> a.put("years_in_area", -1), "answers.years_in_area", "out_of_range");
    assertRejected(a -> a.put("years_in_area", "ten"), "answers.years_in_area", "wrong_type");
  }

  @Test
  void textIsLimitedToMaxLength() throws Exception {
    String atLimit = "ł".repeat(1000);
    JsonObject answers = validAnswers().put("what_would_help", atLimit);
    assertEquals(201, heard.postResponse("community-safety", newKey(), body(answers)).statusCode());
    JsonObject error = assertRejected(a -> a.put("what_would_help", atLimit + "x"), "answers.what_would_help",
        "too_long");
    assertTrue(error.getString("message").contains("1000"));
    assertRejected(a -> a.put("what_would_help", new JsonObject().put("$gt", "")), "answers.what_would_help",
        "wrong_type");
  }

  @Test
  void areaAndConsentHaveTheirTypes() throws Exception {
    assertRejected(a -> a.put("ward", "E09999999"), "answers.ward", "not_an_option");
    assertRejected(a -> a.put("contact_ok", "yes"), "answers.contact_ok", "wrong_type");
  }

  @Test
  void unknownQuestionIdsAreRejected() throws Exception {
    assertRejected(a -> a.put("shoe_size", 9), "answers.shoe_size", "unknown_question");
    assertRejected(a -> a.put("$where", "1"), "answers.$where", "unknown_question");
  }

  @Test
  void everyBrokenAnswerIsListedTogether() throws Exception {
    JsonObject answers = validAnswers().put("feel_safe_dark", 9).put("ward", "nowhere").put("extra", 1);
    answers.remove("feel_safe_day");
    HttpResponse<String> response = heard.postResponse("community-safety", newKey(), body(answers));
    assertEquals(422, response.statusCode());
    List<String> fields = json(response).getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("field")).sorted().toList();
    assertEquals(List.of("answers.extra", "answers.feel_safe_dark", "answers.feel_safe_day", "answers.ward"), fields);
  }

  @Test
  void closedOrNotYetOpenSurveyIs409() throws Exception {
    String answers = new JsonObject().put("answers", new JsonObject().put("q1", true)).encode();
    HttpResponse<String> closed = heard.postResponse("closed-2020", newKey(), answers);
    assertEquals(409, closed.statusCode());
    assertEquals("urn:heard:problem:survey-not-open", json(closed).getString("type"));
    assertTrue(json(closed).getString("detail").contains("2020-12-31"));
    assertEquals(409, heard.postResponse("future", newKey(), answers).statusCode());
    assertEquals(0, heard.find(ResponseStore.COLLECTION, new JsonObject().put("surveyId", "closed-2020")).size());
  }

  @Test
  void malformedRequestsGetSpecificProblemsAndStoreNothing() throws Exception {
    long before = heard.count(ResponseStore.COLLECTION);
    assertProblem(heard.postResponse("community-safety", newKey(), "{\"answers\": {"), 400, "malformed-json");
    assertProblem(heard.postResponse("community-safety", newKey(), "[1,2]"), 400, "body-not-an-object");
    assertProblem(heard.postResponse("community-safety", newKey(), ""), 400, "empty-body");
    assertProblem(heard.postResponse("community-safety", null, body(validAnswers())), 400,
        "missing-idempotency-key");
    assertProblem(heard.postResponse("community-safety", "has space", body(validAnswers())), 400,
        "invalid-idempotency-key");
    assertProblem(heard.postResponse("community-safety", newKey(), "{\"answers\": [1]}"), 422, "invalid-request");
    assertProblem(heard.postResponse("community-safety", newKey(), "{\"answer\": {}}"), 422, "invalid-request");
    assertProblem(heard.postResponse("community-safety", newKey(),
        new JsonObject().put("answers", validAnswers()).put("language", 7).encode()), 422, "invalid-request");

    byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    HttpRequest badBytes = HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/responses"))
        .header("Content-Type", "application/json").header("Idempotency-Key", newKey())
        .POST(HttpRequest.BodyPublishers.ofByteArray(invalidUtf8)).build();
    assertProblem(heard.send(badBytes), 400, "invalid-utf8");

    HttpRequest form = HttpRequest.newBuilder(heard.uri("/api/v1/surveys/community-safety/responses"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Idempotency-Key", newKey())
        .POST(HttpRequest.BodyPublishers.ofString("answers=1")).build();
    assertProblem(heard.send(form), 415, "unsupported-media-type");

    String huge = new JsonObject().put("answers", validAnswers().put("what_would_help", "x".repeat(70_000))).encode();
    assertProblem(heard.postResponse("community-safety", newKey(), huge), 413, "payload-too-large");

    String deep = "{\"answers\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    HttpResponse<String> nested = heard.postResponse("community-safety", newKey(), deep);
    assertTrue(nested.statusCode() == 400 || nested.statusCode() == 422, nested.statusCode() + " " + nested.body());

    assertEquals(before, heard.count(ResponseStore.COLLECTION));
  }

  @Test
  void unknownRoutesAndMethodsAreProblemsToo() throws Exception {
    assertProblem(heard.get("/api/v1/nothing-here"), 404, "not-found");
    HttpResponse<String> delete = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/surveys"))
        .DELETE().timeout(Duration.ofSeconds(10)).build());
    assertProblem(delete, 405, "method-not-allowed");
  }

  @Test
  void everyResponseCarriesSecurityHeaders() throws Exception {
    HttpResponse<String> response = heard.get("/api/v1/surveys");
    String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), csp);
    assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(""));
    // HEARD_PUBLIC_URL is http here, so no HSTS.
    assertNull(response.headers().firstValue("Strict-Transport-Security").orElse(null));
    assertNotNull(heard.get("/nope").headers().firstValue("Content-Security-Policy").orElse(null));
  }

  private static void assertProblem(HttpResponse<String> response, int status, String type) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonObject problem = new JsonObject(response.body());
    assertEquals("urn:heard:problem:" + type, problem.getString("type"), response.body());
    assertEquals(status, problem.getInteger("status"));
    assertFalse(problem.getString("detail", "").isBlank());
  }
}
