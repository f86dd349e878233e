package org.heard.xlsform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.heard.MainRunner;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code import-xlsform} on real public XLSForms (pyxform's examples and KoboToolbox's test forms,
 * in src/test/resources/xlsform with their licences): what converts, what is reported, that every
 * row is one or the other, and that the result is a survey the server runs.
 */
class XlsFormImportTest {
  static final Path FORMS = Path.of("src/test/resources/xlsform");

  @TempDir
  Path dir;

  /** A surveys directory holding the samples, as an administrator's would. */
  Path surveys() throws Exception {
    return TestServer.testSurveys(dir.resolve("surveys"));
  }

  static MainRunner.Result importForm(Path surveys, String form, String... more) {
    List<String> args = new ArrayList<>(List.of("import-xlsform", FORMS.resolve(form).toString(), "--out", surveys.toString()));
    args.addAll(List.of(more));
    return MainRunner.run(Map.of(), args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      pyxform/xlsform_spec_test.xlsx | spec-test | 18 | survey row 31: 'date' questions are not in Heard
      pyxform/xlsform_spec_test.xlsx | spec-test | 18 | survey row 15: repeat 'repeat_test': Heard asks each question in it once
      pyxform/xlsform_spec_test.xlsx | spec-test | 18 | survey: texts in 'chinese' are left out: Heard has no message file for 'zh'
      pyxform/xlsform_spec_test.xlsx | spec-test | 18 | survey row 3: relevant 'not(selected(${skip_to_end}, 'yes'))' of group 'everything' is not one Heard can say
      pyxform/xlsform_spec_test.xlsx | spec-test | 18 | survey row 14: constraint '. <= ${a_integer}' is not one Heard can say
      pyxform/xlsform_spec_test.xlsx | spec-test | 18 | survey row 21: name 'label-test': its id in Heard is 'label_test'
      pyxform/xlsform_spec_test.xlsx | spec-test | 18 | settings row 2: 'submission_url' (https://example-odk-aggregate.appspot.com/submission) is not used
      pyxform/group.xlsx | group | 2 | survey row 4: 'phone number' questions are not in Heard
      pyxform/choice_filter_test.xlsx | cascading-selects1 | 3 | survey row 3: 'choice_filter' (${state}=cf) is not carried over
      pyxform/choice_filter_test.xlsx | cascading-selects1 | 3 | choices row 6: 'king' is already a choice of list 'counties'
      pyxform/or_other.xlsx | or-other | 3 | survey row 2: or_other: added the option 'other'
      pyxform/specify_other.xlsx | specify-other | 2 | survey row 2: or_other: added the option 'other'
      pyxform/case_insensitivity.xlsx | yesno | 1 | survey row 3: 'select_one_external c1' questions are not in Heard
      pyxform/case_insensitivity.xlsx | yesno | 1 | sheet 'osm': is not read
      pyxform/loop.xlsx | loop | 3 | survey row 3: loops over a list are not in Heard
      pyxform/text_and_integer.xlsx | text-and-integer | 2 | converted to
      pyxform/yes_or_no_question.xlsx | yes-or-no-question | 1 | converted to
      pyxform/field-list.xlsx | field-list | 1 | converted to
      kobotoolbox/exp.xlsx | exp-one | 5 | survey row 2: 'start' is device or form metadata, which Heard does not collect
      kobotoolbox/exp.xlsx | exp-one | 5 | survey row 13: 'image' questions are not in Heard
      kobotoolbox/sample_accent.xlsx | sample-accent | 1 | sheet 'licence': is not read
      kobotoolbox/form_with_unicode_in_relevant_column.xlsx | form-with-unicode-in-relevant-column | 2 | survey: columns in 'Tetun' are left out
      """)
  void realFormsConvertAndReportWhatTheyCannotExpress(String form, String id, int questions, String reported) throws Exception {
    Path surveys = surveys();
    MainRunner.Result result = importForm(surveys, form);
    assertEquals(0, result.status(), result.err());
    assertTrue(result.out().contains(reported), result.out());
    assertTrue(result.out().contains("converted to " + surveys.resolve(id + ".yaml") + ": " + questions + " question(s)"),
        result.out());
    // What was written is a survey the server would start with.
    MainRunner.Result validate = MainRunner.run(Map.of(), "validate", surveys.toString());
    assertEquals(0, validate.status(), validate.err());
    assertTrue(validate.out().contains(id), validate.out());
  }

  /** Each row of each form is converted (its question is in the definition) or named in the report. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"pyxform/xlsform_spec_test.xlsx", "pyxform/group.xlsx", "pyxform/choice_filter_test.xlsx",
      "pyxform/or_other.xlsx", "pyxform/case_insensitivity.xlsx", "pyxform/loop.xlsx", "kobotoolbox/exp.xlsx",
      "kobotoolbox/form_with_unicode_in_relevant_column.xlsx"})
  void everyRowIsConvertedOrReported(String form) throws Exception {
    Path surveys = surveys();
    MainRunner.Result result = importForm(surveys, form);
    assertEquals(0, result.status(), result.err());
    String yaml;
    try (var files = Files.list(surveys)) {
      Path written = files.filter(f -> result.out().contains("converted to " + f + ":")).findFirst().orElseThrow();
      yaml = Files.readString(written);
    }
    XlsFormWorkbook book;
    try (InputStream in = Files.newInputStream(FORMS.resolve(form))) {
      book = XlsFormWorkbook.read(in);
    }
    List<String> unaccounted = new ArrayList<>();
    for (XlsFormWorkbook.SheetRow row : book.sheet("survey").orElseThrow()) {
      String type = XlsFormQuestions.normalType(row.get("type"));
      boolean structure = type.startsWith("begin_group") || type.startsWith("end_group") || type.startsWith("begin_repeat")
          || type.startsWith("end_repeat");
      boolean converted = !row.get("name").isEmpty() && yaml.contains("- id: " + row.get("name") + "\n");
      boolean reported = result.out().contains(": survey row " + row.number() + ": ");
      if (!row.isBlank() && !structure && !converted && !reported) {
        unaccounted.add("row " + row.number() + " " + row.cells());
      }
    }
    assertEquals(List.of(), unaccounted, "rows neither converted nor reported");
  }

  @Test
  void conditionsRangesAndWholeNumbersReachTheServer() throws Exception {
    Path surveys = surveys();
    assertEquals(0, importForm(surveys, "kobotoolbox/form_with_unicode_in_relevant_column.xlsx").status());
    assertEquals(0, importForm(surveys, "pyxform/text_and_integer.xlsx").status());
    String unicode = Files.readString(surveys.resolve("form-with-unicode-in-relevant-column.yaml"));
    // selected(${respondent_marital}, ‘other’), typographic quotes and all, is a show_if.
    assertTrue(unicode.contains("show_if:\n      question: respondent_marital\n      equals: other"), unicode);
    try (TestServer heard = TestServer.start(dir, Map.of(Config.SURVEYS_DIR, surveys.toString()))) {
      var definition = heard.get("/api/v1/surveys/form-with-unicode-in-relevant-column");
      assertEquals(200, definition.statusCode());
      assertTrue(definition.body().contains("\"show_if\":{\"question\":\"respondent_marital\",\"equals\":\"other\"}"),
          definition.body());
      var stored = heard.postResponse("text-and-integer", "k1", "{\"answers\":{\"your_name\":\"Sam\",\"your_age\":34}}");
      assertEquals(201, stored.statusCode(), stored.body());
      var refused = heard.postResponse("text-and-integer", "k2", "{\"answers\":{\"your_age\":34.5}}");
      assertEquals(422, refused.statusCode());
      assertTrue(refused.body().contains("\"not_whole\""), refused.body());
    }
  }

  @Test
  void formsHeardCannotReadAreRefusedWithTheReason() throws Exception {
    Path surveys = surveys();
    MainRunner.Result xls = importForm(surveys, "kobotoolbox/tutorial.xls");
    assertEquals(1, xls.status());
    assertTrue(xls.err().contains("is an Excel 97-2003 (.xls) workbook, which Heard does not read: open it in a "
        + "spreadsheet and save it as .xlsx"), xls.err());
    MainRunner.Result export = importForm(surveys, "kobotoolbox/transportation_export.xlsx");
    assertEquals(1, export.status());
    assertTrue(export.err().contains("has no survey sheet, so it is not an XLSForm"), export.err());
    Path text = dir.resolve("notes.xlsx");
    Files.writeString(text, "not a workbook");
    MainRunner.Result notXlsx = MainRunner.run(Map.of(), "import-xlsform", text.toString(), "--out", surveys.toString());
    assertTrue(notXlsx.err().contains("notes.xlsx: is not an .xlsx workbook"), notXlsx.err());
    MainRunner.Result missing = MainRunner.run(Map.of(), "import-xlsform", dir.resolve("none.xlsx").toString(), "--out",
        surveys.toString());
    assertTrue(missing.err().contains("none.xlsx: cannot be read"), missing.err());
    MainRunner.Result usage = MainRunner.run(Map.of(), "import-xlsform");
    assertEquals(64, usage.status());
  }

  @Test
  void anExistingSurveyIsReplacedOnlyWhenAsked() throws Exception {
    Path surveys = surveys();
    assertEquals(0, importForm(surveys, "pyxform/group.xlsx").status());
    String first = Files.readString(surveys.resolve("group.yaml"));
    MainRunner.Result again = importForm(surveys, "pyxform/group.xlsx");
    assertEquals(1, again.status());
    assertTrue(again.err().contains("group.yaml: exists; pass --replace to overwrite it"), again.err());
    assertEquals(first, Files.readString(surveys.resolve("group.yaml")));
    assertEquals(0, importForm(surveys, "pyxform/group.xlsx", "--replace").status());
  }

  @Test
  void aConversionThatWouldNotValidateIsKeptAsideNotWritten() throws Exception {
    Path surveys = surveys();
    // A form in Chinese only: its default language has no message file, so the server could not run it.
    Path form = dir.resolve("chinese.xlsx");
    try (var out = Files.newOutputStream(form)) {
      org.dhatim.fastexcel.Workbook book = new org.dhatim.fastexcel.Workbook(out, "test", "1.0");
      var sheet = book.newWorksheet("survey");
      sheet.value(0, 0, "type");
      sheet.value(0, 1, "name");
      sheet.value(0, 2, "label::Chinese (zh)");
      sheet.value(1, 0, "text");
      sheet.value(1, 1, "name");
      sheet.value(1, 2, "你叫什么名字？");
      book.finish();
    }
    MainRunner.Result result = MainRunner.run(Map.of(), "import-xlsform", form.toString(), "--out", surveys.toString());
    assertEquals(1, result.status());
    assertTrue(result.err().contains(surveys.resolve("chinese.yaml") + ": languages: 'zh' has no message file"),
        result.err());
    assertTrue(result.err().contains("not imported: 1 problem(s)"), result.err());
    assertFalse(Files.exists(surveys.resolve("chinese.yaml")));
    assertTrue(Files.readString(surveys.resolve("chinese.yaml.rejected")).contains("你叫什么名字？"));
    assertEquals(0, MainRunner.run(Map.of(), "validate", surveys.toString()).status());
  }
}
