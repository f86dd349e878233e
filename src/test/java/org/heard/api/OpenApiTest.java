package org.heard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/v1/openapi.json} is a valid OpenAPI 3.1 document (vertx-openapi reads it), names
 * exactly the {@code /api/v1} routes of the route table, and the API's real answers, successes and
 * problems alike, validate against it; an answer that does not fit is caught.
 */
class OpenApiTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD, PASSWORD));

  /** The served media types vertx-openapi does not validate, and the kind it validates in their place. */
  static final Map<String, String> ANSWERED_AS = Map.of("application/problem+json", "application/json",
      "text/csv", "text/plain", "application/x-ndjson", "text/plain",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream");

  static Vertx vertx;
  static OpenAPIContract contract;
  static ResponseValidator validator;

  @BeforeAll
  static void readContract() throws Exception {
    vertx = Vertx.vertx();
    HttpResponse<String> served = heard.get("/api/v1/openapi.json");
    assertEquals(200, served.statusCode());
    JsonObject document = new JsonObject(served.body());
    assertEquals("3.1.0", document.getString("openapi"));
    // vertx-openapi validates bodies of a few media types only: the copy it reads names the served
    // document's others by the kind it handles the same way (ANSWERED_AS), and answers are checked under those.
    String asValidated = document.encode();
    for (Map.Entry<String, String> type : ANSWERED_AS.entrySet()) {
      asValidated = asValidated.replace("\"" + type.getKey() + "\"", "\"" + type.getValue() + "\"");
    }
    contract = OpenAPIContract.from(vertx, new JsonObject(asValidated)).await();
    validator = ResponseValidator.create(vertx, contract);
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @Test
  void namesExactlyTheApiRoutesOfTheRouteTable() {
    Set<String> routed = new TreeSet<>();
    for (String route : heard.server().routeTable()) {
      String[] methodAndPath = route.split(" ", 2);
      if (methodAndPath[1].startsWith("/api/v1/")) {
        routed.add(methodAndPath[0] + " " + methodAndPath[1].replaceAll(":([A-Za-z]+)", "{$1}"));
      }
    }
    Set<String> described = new TreeSet<>();
    contract.getPaths().forEach(path -> path.getOperations().forEach(operation ->
        described.add(operation.getHttpMethod().name() + " " + path.getName())));
    assertTrue(routed.size() >= 17, routed.toString());
    assertEquals(routed, described, "every API route described, and nothing else");
  }

  @Test
  void realAnswersValidate() throws Exception {
    String answers = new JsonObject().put("language", "en").put("answers", new JsonObject().put("ward", "E05000001")
        .put("feel_safe_day", 3).put("feel_safe_dark", 2).put("what_would_help", "More lights in the park")).encode();
    List<String> checked = new ArrayList<>();
    check(checked, "submitResponse", heard.postResponse("community-safety", "openapi-1", answers));
    check(checked, "submitResponse", heard.postResponse("community-safety", "openapi-1", answers));
    check(checked, "submitResponse", heard.postResponse("community-safety", "openapi-2", "{\"answers\":{\"ward\":\"x\"}}"));
    check(checked, "submitResponse", heard.postResponse("no-such-survey", "openapi-3", answers));
    check(checked, "listSurveys", heard.get("/api/v1/surveys"));
    check(checked, "getSurvey", heard.get("/api/v1/surveys/community-safety"));
    check(checked, "getSurvey", heard.get("/api/v1/surveys/nope"));
    check(checked, "openapi", heard.get("/api/v1/openapi.json"));
    check(checked, "issueToken", heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/auth/token"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            new JsonObject().put("email", ADMIN).put("password", PASSWORD).encode())).build()));
    check(checked, "issueToken", heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/auth/token"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            new JsonObject().put("email", ADMIN).put("password", "wrong").encode())).build()));
    String token = StaffClient.token(heard, ADMIN, PASSWORD);
    String survey = "/api/v1/surveys/community-safety";
    check(checked, "getDigest", staffGet(token, survey + "/digest"));
    check(checked, "getDigest", heard.get(survey + "/digest"));
    check(checked, "getIndicatorPack", staffGet(token, survey + "/indicator-pack"));
    check(checked, "listTokens", staffGet(token, "/api/v1/auth/tokens"));
    check(checked, "auditLog", staffGet(token, "/api/v1/audit"));
    check(checked, "getThemes", staffGet(token, survey + "/themes"));
    check(checked, "getThemeComments", staffGet(token, survey + "/themes/t1/comments"));
    check(checked, "getResponse", staffGet(token, "/api/v1/staff/responses/" + new JsonObject(
        heard.postResponse("community-safety", "openapi-4", answers).body()).getString("id")));
    check(checked, "getResponse", staffGet(token, "/api/v1/staff/responses/nope"));
    check(checked, "exportResponses", staffGet(token, survey + "/export?format=jsonl"));
    check(checked, "exportResponses", staffGet(token, survey + "/export?format=csv"));
    HttpResponse<String> preparing = staffPost(token, survey + "/exports?format=csv", "{}");
    check(checked, "prepareExport", preparing);
    check(checked, "prepareExport", staffPost(token, survey + "/exports?format=codebook", "{}"));
    String download = new JsonObject(preparing.body()).getString("download");
    HttpResponse<String> fetched;
    do {
      Thread.sleep(50);
      fetched = staffGet(token, download);
    } while (fetched.statusCode() == 409);
    check(checked, "downloadExport", fetched);
    check(checked, "downloadExport", staffGet(token, "/api/v1/exports/no-such-export"));
    check(checked, "recountDigest", staffPost(token, "/api/v1/digest-counts/recount", "{}"));
    check(checked, "getJob", staffGet(token, "/api/v1/jobs/digest-recount"));
    check(checked, "getJob", staffGet(token, "/api/v1/jobs/no-such-job"));
    check(checked, "erase", staffPost(token, "/api/v1/erasures", "{\"responseId\":\"nope\"}"));
    String pack = staffGet(token, survey + "/indicator-pack").body();
    check(checked, "importIndicatorPack", staffPost(token, "/api/v1/indicator-packs", pack));
    check(checked, "importIndicatorPack", staffPost(token, "/api/v1/indicator-packs", "{\"format\":\"other\"}"));
    HttpResponse<String> revoked = heard.send(HttpRequest.newBuilder(heard.uri("/api/v1/auth/tokens/no-such-token"))
        .header("Authorization", "Bearer " + token).DELETE().build());
    check(checked, "revokeToken", revoked);
    Set<String> operations = new TreeSet<>();
    contract.getPaths().forEach(path -> path.getOperations().forEach(op -> operations.add(op.getOperationId())));
    Set<String> answered = new TreeSet<>();
    checked.forEach(c -> answered.add(c.split(" ")[0]));
    assertEquals(operations, answered, "every operation's real answer validated: " + checked);
  }

  @Test
  void anAnswerThatDoesNotFitIsCaught() {
    Buffer missingId = Buffer.buffer(new JsonObject().put("survey", "community-safety").put("stored", "created").encode());
    assertThrows(Exception.class, () -> validator.validate(ValidatableResponse.create(201, Map.of(), missingId,
        "application/json"), "submitResponse").await(), "a stored answer without its id");
    Buffer wrongType = Buffer.buffer(new JsonObject().put("type", "about:blank").put("title", "x").put("status", 404)
        .put("detail", "y").encode());
    assertThrows(Exception.class, () -> validator.validate(ValidatableResponse.create(404, Map.of(), wrongType,
        "application/json"), "getSurvey").await(), "a problem not of Heard's kinds");
    assertThrows(Exception.class, () -> validator.validate(ValidatableResponse.create(418), "getSurvey").await(),
        "a status the operation does not name");
  }

  private static HttpResponse<String> staffGet(String token, String path) throws Exception {
    return heard.send(HttpRequest.newBuilder(heard.uri(path)).header("Authorization", "Bearer " + token).GET().build());
  }

  private static HttpResponse<String> staffPost(String token, String path, String body) throws Exception {
    return heard.send(HttpRequest.newBuilder(heard.uri(path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** Validates a real answer against the operation; a failure names the operation, status and body. */
  private static void check(List<String> checked, String operationId, HttpResponse<String> answer) {
    String contentType = answer.headers().firstValue("Content-Type").orElse(null);
    ValidatableResponse response = contentType == null || answer.body().isEmpty()
        ? ValidatableResponse.create(answer.statusCode())
        : ValidatableResponse.create(answer.statusCode(), Map.of(), Buffer.buffer(answer.body()),
            ANSWERED_AS.getOrDefault(contentType.replaceAll(";.*", "").strip(), contentType.replaceAll(";.*", "").strip()));
    try {
      validator.validate(response, operationId).await();
    } catch (Exception e) {
      throw new AssertionError(operationId + " " + answer.statusCode() + " does not fit the description: " + e
          + "\n" + answer.body().substring(0, Math.min(600, answer.body().length())), e);
    }
    checked.add(operationId + " " + answer.statusCode());
  }
}
