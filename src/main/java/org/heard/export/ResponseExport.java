package org.heard.export;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.heard.response.ResponseStore;
import org.heard.survey.ChoiceOption;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyDefinition;

/**
 * Streams a survey's responses from the database to an HTTP response as CSV (one row per
 * response, one column per question, one 0/1 column per option of a multiple-choice question,
 * UTF-8 with a byte-order mark so Excel reads it right) or JSON Lines, in constant memory: the
 * database cursor is paused while the client's write queue is full. Free text is exported only as
 * redacted by the text analysis; a comment not analysed yet is exported as {@code [not yet redacted]}.
 */
public final class ResponseExport {
  static final String NOT_YET_REDACTED = "[not yet redacted]";
  /** Provenance exported: where a paper form came from and who keyed it; never respondent keys. */
  static final List<String> PROVENANCE = List.of("formCode", "serial", "batchId", "venue", "collectedOn",
      "enteredBy", "enteredAt", "keyword", "endedBy");
  private static final int BATCH = 1_000;

  public enum Format { CSV, JSONL }

  private final ResponseStore responses;

  public ResponseExport(ResponseStore responses) {
    this.responses = responses;
  }

  /** Streams the export; completes with the number of responses written. */
  public Future<Long> stream(SurveyDefinition survey, Format format, Map<String, List<String>> themeIds,
                             HttpServerResponse out) {
    Promise<Long> done = Promise.promise();
    long[] rows = {0};
    ReadStream<JsonObject> cursor = responses.streamSurvey(survey.id());
    out.setChunked(true);
    CsvLines csv = new CsvLines();
    if (format == Format.CSV) {
      out.write(Buffer.buffer(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}).appendString(csv.line(header(survey))));
    }
    out.drainHandler(v -> cursor.resume());
    cursor.handler(response -> {
      rows[0]++;
      List<String> themes = themeIds.getOrDefault(response.getString("_id"), List.of());
      out.write(format == Format.CSV ? csv.line(row(survey, response, themes))
          : json(survey, response, themes).encode() + "\n");
      if (out.writeQueueFull()) {
        cursor.pause();
      }
    });
    cursor.exceptionHandler(error -> {
      done.tryFail(error);
      out.reset();
    });
    cursor.endHandler(v -> out.end().onComplete(end -> done.tryComplete(rows[0])));
    out.exceptionHandler(error -> done.tryFail(error));
    return done.future();
  }

  static List<String> header(SurveyDefinition survey) {
    List<String> header = new ArrayList<>(List.of("response_id", "survey_version", "channel", "received_at",
        "language", "complete"));
    for (Question question : survey.questions()) {
      if (question.type() == QuestionType.MULTI_CHOICE) {
        for (ChoiceOption option : question.options()) {
          header.add(question.id() + ":" + option.value());
        }
      } else {
        header.add(question.id());
      }
    }
    header.add("theme_ids");
    PROVENANCE.forEach(key -> header.add("provenance_" + key));
    return header;
  }

  static List<String> row(SurveyDefinition survey, JsonObject response, List<String> themes) {
    JsonObject answers = response.getJsonObject("answers", new JsonObject());
    JsonObject analysis = response.getJsonObject("analysis", new JsonObject());
    List<String> row = new ArrayList<>(List.of(response.getString("_id"),
        String.valueOf(response.getValue("surveyVersion")), response.getString("channel"),
        receivedAt(response), String.valueOf(response.getString("language")),
        String.valueOf(response.getBoolean("complete", true))));
    for (Question question : survey.questions()) {
      Object value = answers.getValue(question.id());
      if (question.type() == QuestionType.MULTI_CHOICE) {
        JsonArray chosen = value instanceof JsonArray list ? list : new JsonArray();
        for (ChoiceOption option : question.options()) {
          row.add(value == null ? "" : chosen.contains(option.value()) ? "1" : "0");
        }
      } else if (question.type() == QuestionType.TEXT) {
        row.add(value == null ? "" : redacted(analysis, question.id()));
      } else {
        row.add(value == null ? "" : String.valueOf(value));
      }
    }
    row.add(String.join(";", themes));
    JsonObject provenance = response.getJsonObject("provenance", new JsonObject());
    PROVENANCE.forEach(key -> row.add(provenance.getValue(key) == null ? "" : String.valueOf(provenance.getValue(key))));
    return row;
  }

  static JsonObject json(SurveyDefinition survey, JsonObject response, List<String> themes) {
    JsonObject answers = response.getJsonObject("answers", new JsonObject());
    JsonObject analysis = response.getJsonObject("analysis", new JsonObject());
    JsonObject exported = new JsonObject();
    for (Question question : survey.questions()) {
      Object value = answers.getValue(question.id());
      if (value != null) {
        exported.put(question.id(), question.type() == QuestionType.TEXT ? redacted(analysis, question.id()) : value);
      }
    }
    JsonObject provenance = new JsonObject();
    JsonObject stored = response.getJsonObject("provenance", new JsonObject());
    PROVENANCE.forEach(key -> {
      if (stored.getValue(key) != null) {
        provenance.put(key, stored.getValue(key));
      }
    });
    JsonObject languages = new JsonObject();
    analysis.forEach(e -> languages.put(e.getKey(), ((JsonObject) e.getValue()).getString("language")));
    return new JsonObject()
        .put("id", response.getString("_id"))
        .put("surveyId", survey.id())
        .put("surveyVersion", response.getValue("surveyVersion"))
        .put("channel", response.getString("channel"))
        .put("receivedAt", receivedAt(response))
        .put("language", response.getString("language"))
        .put("complete", response.getBoolean("complete", true))
        .put("answers", exported)
        .put("textLanguages", languages)
        .put("themes", new JsonArray(themes))
        .put("provenance", provenance);
  }

  private static String redacted(JsonObject analysis, String questionId) {
    JsonObject one = analysis.getJsonObject(questionId);
    return one == null ? NOT_YET_REDACTED : one.getString("redacted", NOT_YET_REDACTED);
  }

  private static String receivedAt(JsonObject response) {
    Object at = response.getValue("receivedAt");
    return at instanceof JsonObject date ? date.getString("$date") : String.valueOf(at);
  }

  /** One CSV printer reused for every row of an export (a printer per row costs a third of the time). */
  private static final class CsvLines {
    private final StringBuilder line = new StringBuilder(1024);
    private final CSVPrinter printer;

    CsvLines() {
      try {
        printer = new CSVPrinter(line, CSVFormat.EXCEL);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    String line(List<String> values) {
      line.setLength(0);
      try {
        printer.printRecord(values.stream().map(CsvLines::spreadsheetSafe).toList());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return line.toString();
    }

    /**
     * A cell a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage
     * return) gets a leading apostrophe, so it is shown as the text it is (OWASP's advice on CSV
     * injection). Plain numbers are left alone: "-3" is a number, never a formula.
     */
    static String spreadsheetSafe(String value) {
      if (value == null || value.isEmpty() || PLAIN_NUMBER.matcher(value).matches()) {
        return value;
      }
      char first = value.charAt(0);
      return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
          ? "'" + value : value;
    }

    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  }
}
