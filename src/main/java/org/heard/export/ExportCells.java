package org.heard.export;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.heard.store.Documents;
import org.heard.survey.QuestionType;

/**
 * One response as the cells of an export row, typed (numbers stay numbers, consent a boolean, times
 * a time in the partnership's zone), the same for CSV and xlsx: the response's facts, each answer
 * column, a paper form's marks ("not-answered", "unreadable") in the cells they stand for, theme
 * ids, and where a paper or SMS response came from.
 */
final class ExportCells {
  static final String NOT_YET_REDACTED = "[not yet redacted]";
  /** Provenance exported: where a paper form came from and who keyed it; never respondent keys. */
  static final List<String> PROVENANCE = List.of("formCode", "serial", "batchId", "venue", "collectedOn",
      "enteredBy", "enteredAt", "keyword", "endedBy");
  static final List<String> FACTS = List.of("response_id", "survey_version", "channel", "received_at", "language",
      "complete");

  private final ExportColumns columns;
  private final ZoneId zone;

  ExportCells(ExportColumns columns, ZoneId zone) {
    this.columns = columns;
    this.zone = zone;
  }

  List<String> header() {
    List<String> header = new ArrayList<>(FACTS);
    columns.all().forEach(c -> header.add(c.header()));
    header.add("theme_ids");
    PROVENANCE.forEach(key -> header.add("provenance_" + key));
    return header;
  }

  /** The row's cells: String, Number, Boolean, {@link OffsetDateTime}, or null for an empty cell. */
  List<Object> row(JsonObject response, List<String> themes) {
    JsonObject answers = response.getJsonObject("answers", new JsonObject());
    JsonObject analysis = response.getJsonObject("analysis", new JsonObject());
    JsonObject provenance = response.getJsonObject("provenance", new JsonObject());
    JsonObject marks = provenance.getJsonObject("marks", new JsonObject());
    List<Object> row = new ArrayList<>();
    row.add(response.getString("_id"));
    row.add(response.getValue("surveyVersion"));
    row.add(response.getString("channel"));
    row.add(receivedAt(response));
    row.add(response.getString("language"));
    row.add(response.getBoolean("complete", true));
    for (ExportColumns.Column column : columns.all()) {
      row.add(cell(column, answers, analysis, marks));
    }
    row.add(String.join(";", themes));
    for (String key : PROVENANCE) {
      Object value = provenance.getValue(key);
      row.add(value == null ? null : key.equals("enteredAt") ? inZone(Instant.parse(String.valueOf(value)))
          : String.valueOf(value));
    }
    return row;
  }

  private static Object cell(ExportColumns.Column column, JsonObject answers, JsonObject analysis, JsonObject marks) {
    String mark = marks.getString(column.questionId());
    if (mark != null) {
      return mark;
    }
    Object value = answers.getValue(column.questionId());
    if (value == null) {
      return null;
    }
    if (column.option() != null) {
      return value instanceof JsonArray chosen ? (chosen.contains(column.option()) ? 1 : 0) : null;
    }
    return column.type() == QuestionType.TEXT ? redacted(analysis, column.questionId()) : value;
  }

  static String redacted(JsonObject analysis, String questionId) {
    JsonObject one = analysis.getJsonObject(questionId);
    return one == null ? NOT_YET_REDACTED : one.getString("redacted", NOT_YET_REDACTED);
  }

  OffsetDateTime receivedAt(JsonObject response) {
    return inZone(Documents.instant(response.getJsonObject("receivedAt")));
  }

  private OffsetDateTime inZone(Instant instant) {
    return instant.atZone(zone).toOffsetDateTime();
  }

  /** A cell as CSV text: ISO 8601 for times, as stored otherwise. */
  static String text(Object cell) {
    if (cell == null) {
      return "";
    }
    return cell instanceof OffsetDateTime time ? time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
        : String.valueOf(cell);
  }
}
