package org.heard.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.heard.MainRunner;
import org.heard.TestServer;
import org.heard.config.Config;
import org.heard.staff.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions never hide data: each response keeps the version it was answered under, every version
 * run is kept, and a change that would make stored answers mean something else is refused at
 * start-up and by {@code validate}, with what to do instead, while rewording is not.
 */
class SurveyVersionsTest {
  static final String V1 = """
      id: versions-test
      version: 1
      title: {en: Versions}
      languages: [en]
      questions:
        - {id: safe, type: scale, min: 1, max: 5, text: {en: How safe do you feel?}}
        - id: problem
          type: single_choice
          text: {en: The biggest problem?}
          options:
            - {value: asb, text: {en: Anti-social behaviour}}
            - {value: drugs, text: {en: Drug dealing}}
            - {value: speeding, text: {en: Speeding}}
        - {id: note, type: text, text: {en: Anything else?}}
      """;

  @TempDir
  Path dir;

  Path surveys;

  void write(String yaml) throws Exception {
    Files.writeString(surveys.resolve("versions-test.yaml"), yaml);
  }

  /** Runs the server once on the current definitions (recording them), storing one response. */
  void run(String answersJson) throws Exception {
    try (TestServer heard = TestServer.start(dir, Map.of(Config.SURVEYS_DIR, surveys.toString()))) {
      var stored = heard.postResponse("versions-test", java.util.UUID.randomUUID().toString(), answersJson);
      assertEquals(201, stored.statusCode(), stored.body());
    }
  }

  String refusedAtStart() {
    Exception e = assertThrows(Exception.class, () -> {
      try (TestServer started = TestServer.start(dir, Map.of(Config.SURVEYS_DIR, surveys.toString()))) {
        assertTrue(started == null, "started, though it should have been refused");
      }
    });
    Throwable cause = e;
    while (cause != null && !(cause instanceof DefinitionException)) {
      cause = cause.getCause();
    }
    assertTrue(cause instanceof DefinitionException, "refused for its definitions: " + e);
    return ((DefinitionException) cause).problems().toString();
  }

  MainRunner.Result validate() {
    return MainRunner.run(Map.of(Config.DATA_DIR, dir.resolve("data").toString()), "validate", surveys.toString());
  }

  @Test
  void changesThatWouldChangeStoredAnswersAreRefusedRewordingIsNot() throws Exception {
    surveys = TestServer.testSurveys(dir.resolve("surveys"));
    write(V1);
    run("{\"answers\":{\"safe\":4,\"problem\":\"drugs\"}}");

    // Reworded and a question removed, version raised: runs, and the response says its version.
    write(V1.replace("version: 1", "version: 2").replace("Drug dealing", "Drug dealing or use")
        .replace("  - {id: note, type: text, text: {en: Anything else?}}\n", ""));
    assertEquals(0, validate().status(), validate().err());
    run("{\"answers\":{\"safe\":2,\"problem\":\"asb\"}}");
    try (TestServer heard = TestServer.start(dir, Map.of(Config.SURVEYS_DIR, surveys.toString()))) {
      assertEquals(2, heard.find("responses", new JsonObject().put("surveyId", "versions-test")).size());
      assertEquals(1, heard.find("responses", new JsonObject().put("surveyId", "versions-test")
          .put("surveyVersion", 1)).size());
      assertEquals(2, heard.find(SurveyVersions.COLLECTION, new JsonObject()
          .put("surveyId", "versions-test")).size());
    }
    String v2 = Files.readString(surveys.resolve("versions-test.yaml"));
    assertTrue(!v2.contains("id: note"), v2);

    // A question id reused with another type.
    write(v2.replace("version: 2", "version: 3").replace("{id: safe, type: scale, min: 1, max: 5,", "{id: safe, type: number,"));
    String typeProblem = "questions[0].type: 'safe' was a scale question in version 1; its stored answers would be "
        + "read as number: give the new question a new id (e.g. safe_2)";
    assertTrue(refusedAtStart().contains(typeProblem), refusedAtStart());
    MainRunner.Result refused = validate();
    assertEquals(1, refused.status());
    assertTrue(refused.err().contains(typeProblem), refused.err());

    // A scale stretched: 5 meant "very safe", it would now be the middle.
    write(v2.replace("version: 2", "version: 3").replace("min: 1, max: 5", "min: 1, max: 10"));
    assertTrue(refusedAtStart().contains("'safe' was a 1-5 scale in version 1; a 1-10 scale reads its stored answers "
        + "differently"), refusedAtStart());

    // An option code given another code's label.
    write(v2.replace("version: 2", "version: 3").replace("{value: asb, text: {en: Anti-social behaviour}}",
        "{value: asb, text: {en: Speeding}}").replace("{value: speeding, text: {en: Speeding}}",
        "{value: speeding, text: {en: Anti-social behaviour}}"));
    assertTrue(refusedAtStart().contains("questions[1].options[0].value: 'asb' now has the label \"Speeding\", which was "
        + "'speeding' in version 2"), refusedAtStart());

    // A version lower than one already run.
    write(v2.replace("version: 2", "version: 1"));
    assertTrue(refusedAtStart().contains("version: 1 is lower than version 2, which this database has already run"),
        refusedAtStart());

    // A code dropped in version 3 and back in version 4 with another meaning.
    write(v2.replace("version: 2", "version: 3").replace("      - {value: speeding, text: {en: Speeding}}\n", ""));
    assertTrue(!Files.readString(surveys.resolve("versions-test.yaml")).contains("speeding"));
    run("{\"answers\":{\"safe\":3}}");
    write(v2.replace("version: 2", "version: 4").replace("{value: speeding, text: {en: Speeding}}",
        "{value: speeding, text: {en: Speeding vans outside the school}}").replace("Speeding vans outside the school",
        "Fly-tipping"));
    assertTrue(refusedAtStart().contains("'speeding' was \"Speeding\" in version 2 and was then dropped; it comes back "
        + "as \"Fly-tipping\""), refusedAtStart());

    // Nothing refused was recorded: the database still runs version 3.
    write(v2.replace("version: 2", "version: 3").replace("      - {value: speeding, text: {en: Speeding}}\n", ""));
    run("{\"answers\":{\"safe\":5}}");
  }

  @Test
  void anIndicatorDefinedDifferentlyBeforeSaysFromWhichVersionItApplies() throws Exception {
    surveys = TestServer.testSurveys(dir.resolve("surveys"));
    String withIndicator = V1.replace("{id: safe, type: scale, min: 1, max: 5, text: {en: How safe do you feel?}}",
        "{id: safe, type: scale, min: 1, max: 5, text: {en: How safe do you feel?}, indicator: {name: Feel safe, "
            + "favourable: [4, 5], target: 0.7}}");
    Map<String, String> env = Map.of(Config.SURVEYS_DIR, surveys.toString(), Config.ADMIN_EMAIL, "admin@example.org",
        Config.ADMIN_PASSWORD, "correct horse battery staple");
    write(withIndicator);
    try (TestServer heard = TestServer.start(dir, env)) {
      StaffClient admin = new StaffClient(heard);
      assertEquals(303, admin.login("admin@example.org", "correct horse battery staple"));
      assertTrue(!admin.get("/staff/digests/versions-test").body().contains("As defined from version"));
    }
    // Version 2 rewords only: the indicator is as it was. Version 3 raises the target.
    write(withIndicator.replace("version: 1", "version: 2").replace("Anything else?", "Anything more?"));
    try (TestServer heard = TestServer.start(dir, env)) {
      StaffClient admin = new StaffClient(heard);
      assertEquals(303, admin.login("admin@example.org", "correct horse battery staple"));
      assertTrue(!admin.get("/staff/digests/versions-test").body().contains("As defined from version"));
    }
    write(withIndicator.replace("version: 1", "version: 3").replace("target: 0.7", "target: 0.8"));
    try (TestServer heard = TestServer.start(dir, env)) {
      StaffClient admin = new StaffClient(heard);
      assertEquals(303, admin.login("admin@example.org", "correct horse battery staple"));
      String digest = admin.get("/staff/digests/versions-test").body();
      assertTrue(digest.contains("As defined from version 3 of the survey"), digest);
    }
  }
}
