package org.heard.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.heard.HeardServer;
import org.heard.MainRunner;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Survey definition files: the shipped samples, and every kind of problem reported with its path. */
class SurveyDefinitionTest {
  private static final String PARTNERSHIP = """
      name: Test Partnership
      areas:
        - {code: A1, name: North}
        - {code: A2, name: South}
      population:
        area: {A1: 0.5, A2: 0.5}
      """;

  @TempDir
  Path dir;

  @Test
  void shippedSamplesAreValidAndCoverTheFormat() {
    SurveyCatalog catalog = SurveyLoader.load(Path.of("surveys"));
    assertTrue(catalog.partnership().areas().size() >= 6);
    SurveyDefinition safety = catalog.find("community-safety").orElseThrow();
    assertTrue(safety.questions().size() >= 12);
    for (QuestionType type : QuestionType.values()) {
      assertTrue(safety.questions().stream().anyMatch(q -> q.type() == type), "no " + type + " question");
    }
    assertEquals(2, safety.questions().stream().filter(q -> q.indicator() != null).count());
    assertEquals(2, safety.questions().stream().filter(Question::themes).count());
    assertTrue(safety.questions().stream().anyMatch(Question::monitoring));
    assertTrue(safety.questions().stream().anyMatch(q -> q.showIf() != null));
    assertEquals(List.of("en", "pl", "cy", "ar"), safety.languages());
    SurveyDefinition pulse = catalog.find("sms-pulse").orElseThrow();
    assertTrue(pulse.channels().sms());
    assertTrue(pulse.questions().size() >= 3 && pulse.questions().size() <= 4);
  }

  @Test
  void textFallsBackToTheDefaultLanguageAndSaysSo() {
    LocalizedText text = new LocalizedText(Map.of("en", "Hello"));
    assertEquals(new LocalizedText.Localized("Hello", "en"), text.in("pl", "en"));
    LocalizedText both = new LocalizedText(Map.of("en", "Hello", "pl", "Cześć"));
    assertEquals(new LocalizedText.Localized("Cześć", "pl"), both.in("pl", "en"));
  }

  @Test
  void everyProblemIsReportedWithFileKeyPathAndReason() throws Exception {
    Files.writeString(dir.resolve("partnership.yaml"), PARTNERSHIP);
    Files.writeString(dir.resolve("broken.yaml"), """
        id: Broken_Survey
        version: 0
        title: {pl: Tylko po polsku}
        languages: [en, pl]
        opens: 2026-13-01
        colour: blue
        channels:
          sms: {keywords: [STOP, "no way!"]}
        questions:
          - id: q1
            type: single_choice
            text: {en: Pick one}
            options:
              - {value: a, text: {en: A}}
              - {value: a, text: {en: Also A}}
          - id: q2
            type: scale
            min: 5
            max: 1
            text: {en: Rate}
          - id: q3
            type: text
            text: {en: Why?}
            show_if: {question: q9, equals: x}
          - id: q4
            type: single_choice
            monitoring: true
            required: true
            text: {en: Age}
            options: [{value: young}, {value: old}]
            indicator: {name: Young, favourable: [ancient], target: 1.5}
          - id: q5
            type: colour
            text: {en: Favourite colour}
          - id: q6
            type: multi_choice
            text: {en: Which?, de: Welche?}
            max_choices: 5
            requried: true
            options: [{value: x}, {value: y}]
          - id: q1
            type: consent
            text: {en: Again}
        """);
    DefinitionException e = assertThrows(DefinitionException.class, () -> SurveyLoader.load(dir));
    List<String> lines = e.problems().stream().map(DefinitionProblem::toString).toList();
    String file = dir.resolve("broken.yaml").toString();
    String[][] expected = {
        {"id", "must be lower-case"},
        {"version", "must be 1 or more"},
        {"title", "default language 'en'"},
        {"opens", "YYYY-MM-DD"},
        {"colour", "unknown key"},
        {"channels.sms.keywords[0]", "reserved"},
        {"channels.sms.keywords[1]", "2-20 letters"},
        {"questions[0].options[1].value", "used by another option"},
        {"questions[1].max", "greater than min"},
        {"questions[2].show_if.question", "not an earlier question"},
        {"questions[3].required", "never required"},
        {"questions[3].indicator.target", "between 0 and 1"},
        {"questions[3].indicator.favourable[0]", "not a possible answer"},
        {"questions[4].type", "not a question type"},
        {"questions[5].text.de", "not in the survey's languages"},
        {"questions[5].max_choices", "between 1 and the number of options"},
        {"questions[5].requried", "unknown key"},
        {"questions[6].id", "used by another question"},
    };
    for (String[] want : expected) {
      String prefix = file + ": " + want[0] + ": ";
      assertTrue(lines.stream().anyMatch(l -> l.startsWith(prefix) && l.contains(want[1])),
          "missing '" + prefix + "..." + want[1] + "' in:\n" + String.join("\n", lines));
    }
  }

  @Test
  void problemsAcrossFilesAreFound() throws Exception {
    Files.writeString(dir.resolve("partnership.yaml"), PARTNERSHIP + "  age: {young: 0.5, old: 0.5}\n");
    String survey = """
        id: %s
        version: 1
        title: {en: T}
        languages: [en]
        channels: {sms: {keywords: [SAFE]}, paper: {form_code: F1}}
        questions:
          - {id: age, type: single_choice, monitoring: true, text: {en: Age}, options: [{value: young}, {value: mid}]}
        """;
    Files.writeString(dir.resolve("a.yaml"), survey.formatted("same"));
    Files.writeString(dir.resolve("b.yml"), survey.formatted("same"));
    Files.writeString(dir.resolve("c.json"), survey.formatted("other"));
    DefinitionException e = assertThrows(DefinitionException.class, () -> SurveyLoader.load(dir));
    String all = e.problems().toString();
    assertTrue(all.contains("'same' is also the id of"), all);
    assertTrue(all.contains("keyword 'SAFE' also starts survey"), all);
    assertTrue(all.contains("form code 'F1' is also used"), all);
    assertTrue(all.contains("population.age names 'old', which is not an option"), all);
  }

  @Test
  void populationSharesMustAddUpToOne() throws Exception {
    Files.writeString(dir.resolve("partnership.yaml"), PARTNERSHIP + "  age: {young: 0.3, old: 0.3}\n");
    Files.writeString(dir.resolve("s.yaml"), "id: s\nversion: 1\ntitle: {en: S}\nlanguages: [en]\n"
        + "questions: [{id: q, type: consent, text: Ok?}]\n");
    DefinitionException e = assertThrows(DefinitionException.class, () -> SurveyLoader.load(dir));
    assertEquals("population.age", e.problems().get(0).path());
    assertTrue(e.problems().get(0).message().contains("shares add up to 0.600"), e.problems().toString());
  }

  @Test
  void thePartnershipsCountryIsACountryCodeAndBritainUnlessSaid() throws Exception {
    Files.writeString(dir.resolve("s.yaml"), "id: s\nversion: 1\ntitle: {en: S}\nlanguages: [en]\n"
        + "questions: [{id: q, type: consent, text: Ok?}]\n");
    Files.writeString(dir.resolve("partnership.yaml"), PARTNERSHIP);
    assertEquals("GB", SurveyLoader.load(dir).partnership().country());
    Files.writeString(dir.resolve("partnership.yaml"), PARTNERSHIP + "country: IE\n");
    assertEquals("IE", SurveyLoader.load(dir).partnership().country());
    Files.writeString(dir.resolve("partnership.yaml"), PARTNERSHIP + "country: England\n");
    DefinitionException e = assertThrows(DefinitionException.class, () -> SurveyLoader.load(dir));
    assertEquals("country", e.problems().get(0).path());
    assertTrue(e.problems().get(0).message().contains("two-letter country code like GB"), e.problems().toString());
  }

  @Test
  void yamlSyntaxErrorsAndMissingFilesAreReported() throws Exception {
    Files.writeString(dir.resolve("bad.yaml"), "id: [unclosed\n");
    DefinitionException e = assertThrows(DefinitionException.class, () -> SurveyLoader.load(dir));
    String all = e.problems().toString();
    assertTrue(all.contains("no partnership.yaml"), all);
    assertTrue(all.contains("bad.yaml: is not valid YAML"), all);
  }

  @Test
  void jsonDefinitionsAreReadLikeYaml() throws Exception {
    Files.writeString(dir.resolve("partnership.yaml"), PARTNERSHIP);
    Files.writeString(dir.resolve("quick.json"), """
        {"id": "quick", "version": 2, "title": {"en": "Quick"}, "languages": ["en"],
         "questions": [{"id": "rating", "type": "scale", "min": 1, "max": 3, "text": "How was it?"}]}
        """);
    SurveyDefinition quick = SurveyLoader.load(dir).find("quick").orElseThrow();
    assertEquals(2, quick.version());
    assertEquals("How was it?", quick.question("rating").orElseThrow().text().in("en", "en").text());
  }

  @Test
  void validateCommandPrintsTheReportAndExitsNonZero() throws Exception {
    Files.writeString(dir.resolve("partnership.yaml"), PARTNERSHIP);
    Files.writeString(dir.resolve("s.yaml"), "id: s\nversion: 1\ntitle: {en: S}\nlanguages: [en]\nquestions: []\n");
    MainRunner.Result bad = MainRunner.run(Map.of(), "validate", dir.toString());
    assertEquals(1, bad.status());
    assertTrue(bad.err().contains(dir.resolve("s.yaml") + ": questions: must hold at least one question"), bad.err());
    assertTrue(bad.err().contains("1 problem(s) found"), bad.err());

    MainRunner.Result good = MainRunner.run(Map.of(), "validate", "surveys");
    assertEquals(0, good.status(), good.err());
    assertTrue(good.out().contains("community-safety, sms-pulse"), good.out());
  }

  @Test
  void validateReportsLanguagesWithoutMessagesAndSmsTextsOverTwoSegments() throws Exception {
    Files.writeString(dir.resolve("partnership.yaml"), PARTNERSHIP);
    Files.writeString(dir.resolve("s.yaml"), """
        id: s
        version: 1
        title: {en: S, gd: S}
        languages: [en, gd]
        channels: {sms: {keywords: {en: [ASK]}}}
        questions:
          - {id: ok, type: consent, text: {en: OK?, gd: Ceart gu leòr?}}
        """);
    Files.createDirectories(dir.resolve("messages"));
    // A partnership's own wording of HELP, in its surveys folder, far too long for two segments.
    Files.writeString(dir.resolve("messages/en.properties"), Files.readString(Path.of(
        "src/main/resources/messages/en.properties")).replaceFirst("(?m)^sms\\.help=.*$",
        "sms.help={0}: " + "this number runs short surveys ".repeat(12) + "Text {1} to start."));
    MainRunner.Result bad = MainRunner.run(Map.of(), "validate", dir.toString());
    assertEquals(1, bad.status());
    assertTrue(bad.err().contains("s.yaml: languages: 'gd' has no message file"), bad.err());
    assertTrue(bad.err().contains("messages/en.properties: sms.help: needs 3 SMS segments (4"), bad.err());
    assertTrue(bad.err().contains("Text ASK to start.\""), "the text is quoted as it would be sent: " + bad.err());

    MainRunner.Result table = MainRunner.run(Map.of(), "sms-texts", "surveys");
    assertEquals(0, table.status(), table.err());
    assertTrue(table.out().startsWith("language\tkey\tencoding\tunits\tsegments\ttext\n"), table.out());
    assertTrue(table.out().contains("\npl\tsms.help\tUCS2\t"), table.out());
    assertTrue(table.out().lines().skip(1).allMatch(line -> Integer.parseInt(line.split("\t")[4]) <= 2),
        "every shipped text fits two segments");
  }

  @Test
  void serverDoesNotStartWithAnInvalidDefinition() throws Exception {
    Files.writeString(dir.resolve("partnership.yaml"), PARTNERSHIP);
    Files.writeString(dir.resolve("s.yaml"), "id: s\nversion: 1\ntitle: {en: S}\nlanguages: [en]\n");
    Map<String, String> env = Map.of(Config.SURVEYS_DIR, dir.toString(), Config.HTTP_PORT, "0",
        Config.DATA_DIR, dir.resolve("data").toString());
    DefinitionException e = assertThrows(DefinitionException.class, () -> HeardServer.start(Config.from(env)));
    assertEquals("questions", e.problems().get(0).path());

    MainRunner.Result result = MainRunner.run(env);
    assertTrue(result.status() != 0);
    assertTrue(result.err().contains("s.yaml: questions: is required"), result.err());
    assertTrue(result.err().contains("not started"), result.err());
  }
}
