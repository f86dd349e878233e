package org.heard.export;

import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.heard.survey.ChoiceOption;
import org.heard.survey.Partnership;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyDefinition;

/**
 * What every column and code of an export means, for an analyst who opens it cold: each column's
 * question (in the survey's first language), its type and the versions that asked it; each code's
 * label (options, areas, yes and no, scale points, themes); and the paper marks.
 */
final class Codebook {
  static final List<String> HEADER = List.of("column", "question_id", "question", "type", "value", "label",
      "asked_in_versions");

  private Codebook() {
  }

  static List<List<String>> rows(SurveyDefinition survey, ExportColumns columns, Partnership partnership,
      Map<String, String> themeLabels) {
    String lang = survey.defaultLanguage();
    ZoneId zone = partnership.timezone();
    List<List<String>> rows = new ArrayList<>();
    fact(rows, "response_id", "The response's id (the same in every export, and in an erasure request)");
    fact(rows, "survey_version", "The version of the survey the response was given to");
    fact(rows, "channel", "How it came: web, sms, paper or api");
    fact(rows, "received_at", "When it was received, ISO 8601 in " + zone + " (local time in the xlsx)");
    fact(rows, "language", "The language it was answered in");
    fact(rows, "complete", "false when required answers are missing (an SMS conversation left, a paper form marked)");
    for (ExportColumns.Column column : columns.all()) {
      rows.add(row(column.header(), column.questionId(), column.text(), column.type().key(), "", "",
          String.join(",", column.versions().stream().map(String::valueOf).toList())));
      if (column.option() != null) {
        String label = optionLabel(survey, columns, column, lang);
        rows.add(code(column, "1", "ticked: " + label));
        rows.add(code(column, "0", "not ticked"));
        continue;
      }
      Question q = column.current() ? survey.question(column.questionId()).orElseThrow() : null;
      if (q != null) {
        currentCodes(rows, column, q, partnership, lang);
      } else if (columns.removed().containsKey(column.questionId())) {
        ExportColumns.optionLabels(columns.removed().get(column.questionId()), lang)
            .forEach((value, label) -> rows.add(code(column, value, label)));
      }
    }
    rows.add(row("(any answer column)", "", "", "", "not-answered", "Paper form: the question was left blank", ""));
    rows.add(row("(any answer column)", "", "", "", "unreadable", "Paper form: the answer could not be read", ""));
    rows.add(row("(a text column)", "", "", "", ExportCells.NOT_YET_REDACTED,
        "Free text not yet checked for personal data; it is exported once redacted", ""));
    fact(rows, "theme_ids", themeLabels.isEmpty()
        ? "Empty in this export: no theme model had been built yet (open the digest, then export again)"
        : "The themes the response's comments belong to, separated by ;");
    themeLabels.forEach((id, label) -> rows.add(row("theme_ids", "", "", "", id, label, "")));
    fact(rows, "provenance_formCode", "Paper: the form code printed on the form");
    fact(rows, "provenance_serial", "Paper: the form's serial number");
    fact(rows, "provenance_batchId", "Paper: the batch it was keyed in");
    fact(rows, "provenance_venue", "Paper: where the forms were collected");
    fact(rows, "provenance_collectedOn", "Paper: the date they were collected");
    fact(rows, "provenance_enteredBy", "Paper: who keyed it");
    fact(rows, "provenance_enteredAt", "Paper: when it was keyed, ISO 8601 in " + zone);
    fact(rows, "provenance_keyword", "SMS: the keyword that started the conversation");
    fact(rows, "provenance_endedBy", "SMS: how the conversation ended (completed, expired, opted-out, ...)");
    return rows;
  }

  private static void currentCodes(List<List<String>> rows, ExportColumns.Column column, Question q,
      Partnership partnership, String lang) {
    switch (q.type()) {
      case SINGLE_CHOICE -> {
        for (ChoiceOption o : q.options()) {
          rows.add(code(column, o.value(), o.label(lang, lang).text()));
        }
        if (q.monitoring()) {
          rows.add(code(column, Question.PREFER_NOT_TO_SAY, "Prefer not to say"));
        }
      }
      case AREA -> partnership.areas().forEach(a -> rows.add(code(column, a.code(), a.name())));
      case CONSENT -> {
        rows.add(code(column, "true", "Yes"));
        rows.add(code(column, "false", "No"));
      }
      case SCALE -> q.labels().forEach((point, label) -> rows.add(code(column, String.valueOf(point),
          label.in(lang, lang).text())));
      default -> {
      }
    }
  }

  private static String optionLabel(SurveyDefinition survey, ExportColumns columns, ExportColumns.Column column,
      String lang) {
    if (column.current()) {
      return survey.question(column.questionId()).flatMap(q -> q.option(column.option()))
          .map(o -> o.label(lang, lang).text()).orElse(column.option());
    }
    JsonObject removed = columns.removed().get(column.questionId());
    return removed == null ? column.option()
        : ExportColumns.optionLabels(removed, lang).getOrDefault(column.option(), column.option());
  }

  private static List<String> code(ExportColumns.Column column, String value, String label) {
    return row(column.header(), column.questionId(), "", "", value, label, "");
  }

  private static void fact(List<List<String>> rows, String column, String meaning) {
    rows.add(row(column, "", meaning, "", "", "", ""));
  }

  /** A codebook row; a missing label (a theme without one) is an empty cell, never a broken export. */
  private static List<String> row(String... cells) {
    List<String> row = new ArrayList<>(cells.length);
    for (String cell : cells) {
      row.add(cell == null ? "" : cell);
    }
    return row;
  }
}
