package org.heard.xlsform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.heard.survey.DefinitionProblem;
import org.heard.xlsform.XlsFormWorkbook.SheetRow;

/**
 * Converts an XLSForm (survey, choices and settings sheets) into a Heard survey definition, in the
 * survey format's own structure, ready to write as YAML. Every row, column, sheet or setting it
 * cannot express is reported with where it is and why ({@link XlsFormReport}). Groups become pages,
 * notes become the hint of the question after them, {@code relevant} becomes {@code show_if} where
 * it is one condition, and ranges and lengths in {@code constraint} become min, max and max_length.
 */
final class XlsFormImport {
  /** The definition, the survey id it got, how many questions, and every line reported. */
  record Result(String surveyId, Map<String, Object> definition, int questions, int pages, List<DefinitionProblem> reported) {
  }

  private static final Set<String> METADATA = Set.of("start", "end", "today", "deviceid", "subscriberid", "simserial",
      "imei", "phonenumber", "username", "email", "audit", "start-geopoint", "background-audio", "uri:deviceid",
      "uri:email", "uri:username", "uri:phonenumber", "uri:subscriberid", "uri:simserial");
  private static final Set<String> SURVEY_SHEETS = Set.of("survey", "choices", "settings");
  private static final Set<String> SETTINGS_READ = Set.of("form_title", "form_id", "id_string", "version",
      "default_language");

  private final XlsFormReport report;
  private final XlsFormTexts texts;
  private final XlsFormChoices choices;
  private final XlsFormQuestions questions;
  private final Deque<Group> groups = new ArrayDeque<>();
  private final List<SheetRow> pendingNotes = new ArrayList<>();
  private Map<String, String> pendingSection;
  private int pages = 0;

  /** An open group or repeat: its name, its page heading, and the condition it puts on its questions. */
  private record Group(String name, boolean repeat, SheetRow row, String relevant) {
  }

  private XlsFormImport(XlsFormWorkbook book, String file, Predicate<String> supportedLanguage, Set<String> areaCodes) {
    report = new XlsFormReport(file);
    texts = new XlsFormTexts(book, supportedLanguage, report);
    choices = new XlsFormChoices(book.sheet("choices").orElse(List.of()), report);
    questions = new XlsFormQuestions(report, texts, choices, areaCodes);
  }

  /** Converts the workbook; {@code file} names it in the report. */
  static Result convert(XlsFormWorkbook book, String file, Predicate<String> supportedLanguage, Set<String> areaCodes) {
    return new XlsFormImport(book, file, supportedLanguage, areaCodes).run(book, file);
  }

  private Result run(XlsFormWorkbook book, String file) {
    book.sheets().keySet().stream().filter(name -> !SURVEY_SHEETS.contains(name)).forEach(name ->
        report.sheet("sheet '" + name + "'", "is not read: Heard uses the survey, choices and settings sheets"));
    List<SheetRow> surveyRows = book.sheet("survey").orElse(List.of());
    for (SheetRow row : surveyRows) {
      if (!row.isBlank()) {
        convertRow(row);
      }
    }
    groups.forEach(g -> report.row("survey", g.row(), "'" + g.name() + "' is never ended (no end group): "
        + "it is taken to end with the survey"));
    if (!pendingNotes.isEmpty()) {
      report.sheet("survey", "the note(s) after the last question have no question to go with: left out");
    }
    choices.reportUnused(report);

    Map<String, Object> definition = new LinkedHashMap<>();
    SheetRow settings = book.sheet("settings").flatMap(rows -> rows.stream().filter(r -> !r.isBlank()).findFirst())
        .orElse(new SheetRow(2, Map.of()));
    String id = surveyId(settings, file);
    definition.put("id", id);
    definition.put("version", version(settings));
    String title = settings.get("form_title");
    definition.put("title", title.isEmpty() ? id : title);
    definition.put("languages", texts.languages());
    XlsFormHeardColumns.readSettings(settings, texts, definition, report);
    definition.put("questions", questions.converted());
    settings.cells().forEach((column, value) -> {
      if (!SETTINGS_READ.contains(column) && !column.startsWith("heard_") && !column.startsWith("form_title::")) {
        report.row("settings", settings, "'" + column + "' (" + XlsFormReport.shorten(value) + ") is not used by Heard");
      }
    });
    return new Result(id, definition, questions.converted().size(), Math.max(1, pages), report.lines());
  }

  private void convertRow(SheetRow row) {
    String type = XlsFormQuestions.normalType(row.get("type"));
    String name = row.get("name");
    if (type.isEmpty()) {
      report.row("survey", row, "has no type: left out");
      return;
    }
    String[] words = type.split(" ");
    switch (words[0]) {
      case "begin_group", "begin_repeat" -> {
        boolean repeat = words[0].equals("begin_repeat");
        Map<String, String> label = texts.of(row, "label");
        String relevant = row.get("relevant");
        if (!relevant.isEmpty() && XlsFormExpressions.condition(relevant).isEmpty()) {
          report.row("survey", row, "relevant '" + relevant + "' of group '" + name + "' is not one Heard can say (one "
              + "earlier answer equal to a value, or a multiple choice including one): its questions are always asked");
          relevant = "";
        }
        groups.push(new Group(name.isEmpty() ? "(unnamed)" : name, repeat, row, relevant));
        if (repeat) {
          report.row("survey", row, "repeat '" + name + "': Heard asks each question in it once");
        }
        if (!label.isEmpty()) {
          pendingSection = label;
        }
        reportUnused(row, Set.of("type", "name", "label", "relevant", "appearance", "repeat_count"),
            "appearance", "Heard lays out its own pages");
        if (!row.get("repeat_count").isEmpty()) {
          report.row("survey", row, "repeat_count '" + row.get("repeat_count") + "' is not used: Heard asks once");
        }
      }
      case "end_group", "end_repeat" -> {
        if (groups.isEmpty()) {
          report.row("survey", row, "ends a group that was never begun: ignored");
        } else {
          groups.pop();
        }
      }
      case "begin_loop", "end_loop" -> report.row("survey", row, "loops over a list are not in Heard: the questions "
          + "inside are asked once");
      case "note" -> note(row);
      default -> {
        if (METADATA.contains(words[0])) {
          report.row("survey", row, "'" + words[0] + "' is device or form metadata, which Heard does not collect: left out");
          return;
        }
        Map<String, Object> question = questions.convert(row, words, groupConditions(), pendingNotes, pendingSection);
        if (question != null) {
          pendingNotes.clear();
          if (pendingSection != null || pages == 0) {
            pages++;
          }
          pendingSection = null;
        }
      }
    }
  }

  /** Notes become part of the next question's hint; a note that depends on answers cannot. */
  private void note(SheetRow row) {
    Map<String, String> label = texts.of(row, "label");
    if (label.isEmpty()) {
      report.row("survey", row, "note '" + row.get("name") + "' has no text in the default language: left out");
    } else if (label.values().stream().anyMatch(t -> t.contains("${"))) {
      report.row("survey", row, "note '" + row.get("name") + "' shows earlier answers (${...}), which Heard does not "
          + "fill in: left out");
    } else if (!row.get("relevant").isEmpty() || !groupConditions().isEmpty()) {
      report.row("survey", row, "note '" + row.get("name") + "' is shown only sometimes, which a hint cannot be: left out");
    } else {
      pendingNotes.add(row);
      reportUnused(row, Set.of("type", "name", "label", "hint", "relevant"), "appearance", "Heard lays out its own pages");
    }
  }

  /** The conditions the open groups put on a question, outermost first. */
  private List<String> groupConditions() {
    List<String> conditions = new ArrayList<>();
    groups.descendingIterator().forEachRemaining(g -> {
      if (!g.relevant().isEmpty()) {
        conditions.add(g.relevant());
      }
    });
    return conditions;
  }

  private void reportUnused(SheetRow row, Set<String> read, String quietColumn, String reason) {
    row.cells().forEach((column, value) -> {
      if (!read.contains(column) && !XlsFormTexts.isRead(column) && !column.startsWith("$")) {
        report.row("survey", row, "'" + column + "' (" + XlsFormReport.shorten(value) + ") is not carried over"
            + (column.equals(quietColumn) ? ": " + reason : ""));
      }
    });
  }

  private static String surveyId(SheetRow settings, String file) {
    String raw = settings.get("form_id").isEmpty() ? settings.get("id_string") : settings.get("form_id");
    if (raw.isEmpty()) {
      String name = file.replaceAll(".*[/\\\\]", "");
      raw = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    }
    String id = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return id.isEmpty() ? "imported-survey" : id.length() > 64 ? id.substring(0, 64).replaceAll("-+$", "") : id;
  }

  private int version(SheetRow settings) {
    String raw = settings.get("version");
    if (raw.isEmpty()) {
      return 1;
    }
    try {
      long version = Long.parseLong(raw);
      if (version >= 1 && version <= Integer.MAX_VALUE) {
        return (int) version;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    report.row("settings", settings, "version '" + raw + "' is not a whole number Heard can count up from: version 1 "
        + "is used (Heard's versions are 1, 2, 3...)");
    return 1;
  }
}
