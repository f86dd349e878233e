package org.heard.xlsform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.heard.MainRunner;
import org.heard.TestServer;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code export-xlsform} writes a survey that XLSForm tools read (the sheets and columns they
 * expect), and {@code import-xlsform} of that file gives the same survey back, every key included.
 */
class XlsFormRoundTripTest {
  /** A survey using every key of the format, in two languages. */
  static final String EVERY_KEY = """
      id: every-key
      version: 4
      title: {en: Every key, pl: Każdy klucz}
      description: {en: A survey with every key., pl: Ankieta z każdym kluczem.}
      monitoring_intro: {en: We ask to check we hear from everyone.}
      languages: [en, pl]
      opens: 2026-02-01
      closes: 2027-01-31
      retention_days: 365
      channels:
        web: false
        sms: {keywords: {en: [EVERY, EVERYKEY]}}
        paper: {form_code: EK1, numbering: letters, double_entry: true}
      questions:
        - id: rating
          type: scale
          min: 0
          max: 10
          labels: {0: {en: Not at all, pl: Wcale}, 10: {en: Completely}}
          text: {en: How much do you trust the police?, pl: Jak bardzo ufasz policji?}
          sms: {en: Trust in police? Reply 0-10}
          required: true
          indicator: {name: Trust, favourable: [8, 9, 10], target: 0.6}
        - id: heard_of
          type: multi_choice
          max_choices: 2
          text: {en: Where did you hear of us?}
          hint: {en: Up to two}
          options:
            - {value: board, text: {en: The board, pl: Zarząd}, sms: {en: Board}}
            - {value: leaflet, text: {en: A leaflet}}
            - {value: other, text: {en: Somewhere else}}
        - id: where_else
          type: text
          max_length: 300
          themes: true
          text: {en: Where?}
          show_if: {question: heard_of, includes: other}
        - id: children
          section: {en: Your household, pl: Twoje gospodarstwo}
          type: number
          whole_number: true
          min: 0
          max: 20
          text: {en: How many children live with you?}
        - id: hours
          type: number
          min: 0.5
          text: {en: Hours a week you spend outdoors}
        - id: ward
          type: area
          text: {en: Where do you live?}
        - id: safe_choice
          type: single_choice
          options: [{value: "yes", text: {en: "Yes"}}, {value: "no", text: {en: "No"}}]
          text: {en: Do you feel safe?}
          indicator: {name: Safe, favourable: ["yes"], target: 0.8}
        - id: why_not
          type: text
          text: {en: Why not?}
          show_if: {question: safe_choice, equals: "no"}
        - id: age_band
          type: single_choice
          monitoring: true
          text: {en: Your age}
          options: [{value: "16-24"}, {value: "25-44"}, {value: "45-64"}, {value: "65+"}]
        - id: contact_ok
          type: consent
          text: {en: May we text you?, pl: Czy możemy wysłać SMS?}
      """;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"community-safety", "sms-pulse", "closed-2020", "every-key"})
  void aSurveyExportedAndImportedIsTheSameSurvey(String id) throws Exception {
    Path surveys = TestServer.testSurveys(dir.resolve("surveys"));
    Files.writeString(surveys.resolve("every-key.yaml"), EVERY_KEY);
    SurveyDefinition before = SurveyLoader.load(surveys).require(id);
    Path form = dir.resolve(id + ".xlsx");
    MainRunner.Result export = MainRunner.run(Map.of(), "export-xlsform", id, "--surveys", surveys.toString(),
        "--out", form.toString());
    assertEquals(0, export.status(), export.err());
    assertTrue(export.out().contains(id + ": written to " + form), export.out());

    MainRunner.Result imported = MainRunner.run(Map.of(), "import-xlsform", form.toString(), "--out", surveys.toString(),
        "--replace");
    assertEquals(0, imported.status(), imported.err());
    // Nothing of Heard's own survey is lost on the way: no line reported.
    assertTrue(imported.out().contains("0 line(s) reported above"), imported.out());
    SurveyDefinition after = SurveyLoader.load(surveys).require(id);
    assertEquals(withoutSource(before), withoutSource(after));
  }

  @Test
  void theExportHasTheSheetsAndColumnsXlsFormToolsRead() throws Exception {
    Path surveys = TestServer.testSurveys(dir.resolve("surveys"));
    Path form = dir.resolve("cs.xlsx");
    assertEquals(0, MainRunner.run(Map.of(), "export-xlsform", "community-safety", "--surveys", surveys.toString(),
        "--out", form.toString()).status());
    XlsFormWorkbook book;
    try (InputStream in = Files.newInputStream(form)) {
      book = XlsFormWorkbook.read(in);
    }
    assertEquals(List.of("survey", "choices", "settings"), List.copyOf(book.sheets().keySet()));
    List<XlsFormWorkbook.SheetRow> rows = book.sheet("survey").orElseThrow();
    XlsFormWorkbook.SheetRow dark = rows.stream().filter(r -> r.get("name").equals("feel_safe_dark")).findFirst()
        .orElseThrow();
    assertEquals("select_one feel_safe_dark", dark.get("type"));
    assertEquals("likert", dark.get("appearance"));
    assertEquals("How safe do you feel walking alone in your area after dark?", dark.get("label::English (en)"));
    assertTrue(rows.stream().anyMatch(r -> r.get("type").equals("begin_group")), "pages become groups");
    assertTrue(rows.stream().anyMatch(r -> r.get("relevant").startsWith("selected(${")), "show_if becomes relevant");
    XlsFormWorkbook.SheetRow settings = book.sheet("settings").orElseThrow().get(0);
    assertEquals("community-safety", settings.get("form_id"));
    assertEquals("English (en)", settings.get("default_language"));
  }

  static SurveyDefinition withoutSource(SurveyDefinition s) {
    return new SurveyDefinition(s.id(), s.version(), s.title(), s.description(), s.monitoringIntro(), s.languages(),
        s.opens(), s.closes(), s.channels(), s.questions(), "", s.retentionDays());
  }
}
