package org.heard.export;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.heard.response.ResponseStore;
import org.heard.survey.Partnership;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a survey's responses (optionally those received between two dates) from the database to
 * an HTTP response as CSV (one row per response, one column per question, one 0/1 column per option
 * of a multiple-choice question, UTF-8 with a byte-order mark so Excel reads it right), JSON Lines,
 * or .xlsx with typed cells and a codebook sheet, in constant memory: the database cursor is paused
 * while the client's write queue is full. Columns come from every version of the survey this
 * database has run ({@link SurveyVersions}), so answers to a question since removed stay. Free text
 * is exported only as redacted by the text analysis; a comment not analysed yet is exported as
 * {@code [not yet redacted]}.
 */
public final class ResponseExport {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseExport.class);
  public enum Format { CSV, JSONL, XLSX }

  /** Received from the start of {@code from} to the end of {@code to}, in the partnership's zone; null: open. */
  public record Range(Instant from, Instant to) {
    public static final Range ALL = new Range(null, null);
  }

  private final ResponseStore responses;
  private final SurveyVersions versions;
  private final Partnership partnership;

  public ResponseExport(ResponseStore responses, SurveyVersions versions, Partnership partnership) {
    this.responses = responses;
    this.versions = versions;
    this.partnership = partnership;
  }

  /** Streams the export as the HTTP response; completes with the number of responses written. */
  public Future<Long> stream(SurveyDefinition survey, Format format, Range range, Map<String, List<String>> themeIds,
                             Map<String, String> themeLabels, HttpServerResponse out) {
    return stream(survey, format, range, themeIds, themeLabels, ExportSink.of(out), new AtomicLong());
  }

  /** Streams the export into {@code out}, counting the responses written in {@code rows}; completes with their number. */
  Future<Long> stream(SurveyDefinition survey, Format format, Range range, Map<String, List<String>> themeIds,
                      Map<String, String> themeLabels, ExportSink out, AtomicLong written) {
    return versions.definitions(survey.id()).compose(recorded -> {
      ExportColumns columns = ExportColumns.of(survey, recorded);
      ExportCells cells = new ExportCells(columns, partnership.timezone());
      Promise<Long> done = Promise.promise();
      long[] rows = {0};
      ReadStream<JsonObject> cursor = responses.streamSurvey(survey.id(), range.from(), range.to());
      CsvLines csv = format == Format.CSV ? new CsvLines() : null;
      XlsxSheets xlsx = format == Format.XLSX ? new XlsxSheets() : null;
      if (csv != null) {
        out.write(Buffer.buffer(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}).appendString(csv.line(
            cells.header())));
      }
      if (xlsx != null) {
        xlsx.sheet("Responses", cells.header());
      }
      out.drainHandler(v -> cursor.resume());
      cursor.handler(response -> {
        if (done.future().isComplete()) {
          return;
        }
        rows[0]++;
        written.incrementAndGet();
        List<String> themes = themeIds.getOrDefault(response.getString("_id"), List.of());
        try {
          switch (format) {
            case CSV -> out.write(Buffer.buffer(csv.line(cells.row(response, themes).stream().map(ExportCells::text)
                .toList())));
            case JSONL -> out.write(Buffer.buffer(json(survey, columns, cells, response, themes).encode() + "\n"));
            case XLSX -> {
              xlsx.row(cells.row(response, themes));
              Buffer ready = xlsx.take();
              if (ready.length() > 0) {
                out.write(ready);
              }
            }
          }
        } catch (RuntimeException e) {
          // A row that cannot be written ends the export at once, visibly broken, not silent.
          cursor.pause();
          fail(done, out, e);
          return;
        }
        if (out.writeQueueFull()) {
          cursor.pause();
        }
      });
      cursor.exceptionHandler(error -> {
        LOG.error("an export stopped part way, the database read failed after {} rows: {}", rows[0], error.toString());
        done.tryFail(error);
        out.abandon();
      });
      cursor.endHandler(v -> {
        if (done.future().isComplete()) {
          return;
        }
        try {
          if (xlsx != null) {
            xlsx.sheet("Codebook", Codebook.HEADER);
            Codebook.rows(survey, columns, partnership, themeLabels).forEach(xlsx::row);
            out.write(xlsx.finish());
          }
        } catch (RuntimeException e) {
          fail(done, out, e);
          return;
        }
        out.end().onComplete(end -> {
          if (end.succeeded()) {
            done.tryComplete(rows[0]);
          } else {
            done.tryFail(end.cause());
          }
        });
      });
      out.exceptionHandler(error -> {
        if (done.tryFail(error)) {
          LOG.warn("an export stopped part way, the client connection failed after {} rows: {}", rows[0], error.toString());
        }
      });
      return done.future();
    });
  }

  private static void fail(Promise<Long> done, ExportSink out, RuntimeException error) {
    LOG.error("an export stopped part way: {}", error.toString());
    done.tryFail(error);
    out.abandon();
  }

  /** The codebook alone, as CSV (UTF-8 with a byte-order mark). */
  public Future<String> codebookCsv(SurveyDefinition survey, Map<String, String> themeLabels) {
    return versions.definitions(survey.id()).map(recorded -> {
      ExportColumns columns = ExportColumns.of(survey, recorded);
      CsvLines csv = new CsvLines();
      StringBuilder text = new StringBuilder("\uFEFF").append(csv.line(Codebook.HEADER));
      Codebook.rows(survey, columns, partnership, themeLabels).forEach(row -> text.append(csv.line(row)));
      return text.toString();
    });
  }

  /**
   * A response as one JSON object: every answer stored, under the question that asked it whatever
   * the version (free text redacted; a text of an unrecorded version is withheld until analysed).
   */
  static JsonObject json(SurveyDefinition survey, ExportColumns columns, ExportCells cells, JsonObject response,
      List<String> themes) {
    JsonObject answers = response.getJsonObject("answers", new JsonObject());
    JsonObject analysis = response.getJsonObject("analysis", new JsonObject());
    Map<String, QuestionType> types = columns.types();
    JsonObject exported = new JsonObject();
    answers.forEach(e -> {
      QuestionType type = types.get(e.getKey());
      boolean text = type == QuestionType.TEXT || analysis.containsKey(e.getKey())
          || (type == null && e.getValue() instanceof String);
      exported.put(e.getKey(), text ? ExportCells.redacted(analysis, e.getKey()) : e.getValue());
    });
    JsonObject provenance = new JsonObject();
    JsonObject stored = response.getJsonObject("provenance", new JsonObject());
    ExportCells.PROVENANCE.forEach(key -> {
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
        .put("receivedAt", ExportCells.text(cells.receivedAt(response)))
        .put("language", response.getString("language"))
        .put("complete", response.getBoolean("complete", true))
        .put("answers", exported)
        .put("marks", stored.getJsonObject("marks", new JsonObject()))
        .put("textLanguages", languages)
        .put("themes", new JsonArray(themes))
        .put("provenance", provenance);
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
