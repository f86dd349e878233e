package org.heard.paper;

import io.vertx.core.Future;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.heard.audit.AuditAction;
import org.heard.auth.StaffUser;
import org.heard.error.ClientText;
import org.heard.error.HeardException;
import org.heard.response.Channel;
import org.heard.response.ResponseService;
import org.heard.sms.TextBack;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyDefinition;

/**
 * A batch of paper forms from a CSV file: one row per form, a {@code serial} column and one column
 * per question id, cells written as on the keyboard form (codes, "-", "?"; an empty cell is "not
 * answered"). Every row is checked first; one bad row rejects the whole file with every problem
 * listed by row and column. A good file is then stored row by row, idempotent by serial, so
 * importing the same file again (after an interruption, say) stores nothing twice.
 */
public final class PaperImport {
  public static final int MAX_ROWS = 5000;
  public static final String SERIAL = "serial";

  private final PaperEntryService entry;

  public PaperImport(PaperEntryService entry) {
    this.entry = entry;
  }

  /** The template: the header row, in question order (UTF-8 with a BOM so Excel reads it right). */
  public String template(SurveyDefinition survey) {
    StringWriter out = new StringWriter();
    try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180)) {
      printer.printRecord(columns(survey));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "\uFEFF" + out;
  }

  /**
   * The outcome of a good file: the batch of its new forms, or null when every form in it was
   * imported before (no empty batch is made), and how many forms were new and already there.
   */
  public record Imported(Batch batch, int stored, int alreadyStored, int awaitingSecond) {
    public int fresh() {
      return stored + awaitingSecond;
    }
  }

  /** The columns, in question order: the serial, each question, and after a consent question its number. */
  private static List<String> columns(SurveyDefinition survey) {
    List<String> columns = new ArrayList<>(List.of(SERIAL));
    survey.questions().forEach(q -> {
      columns.add(q.id());
      if (q.type() == QuestionType.CONSENT) {
        columns.add(q.id() + TextBack.PHONE_SUFFIX);
      }
    });
    return columns;
  }

  /** Row-level problem: {@code row} counts the header as row 1, as a spreadsheet shows it. */
  public record RowError(long row, String column, String message) {
  }

  public static final class Rejected extends RuntimeException {
    private final transient List<RowError> errors;

    Rejected(List<RowError> errors) {
      super(errors.size() + " problems in the file; nothing was stored", null, false, false);
      this.errors = List.copyOf(errors);
    }

    public List<RowError> errors() {
      return errors;
    }
  }

  private record Row(long number, String serial, PaperAnswers answers) {
  }

  public Future<Imported> importFile(StaffUser user, String surveyId, PaperEntryService.BatchDetails details,
      String csv) {
    SurveyDefinition survey = entry.paperSurvey(surveyId);
    List<RowError> errors = new ArrayList<>();
    List<Row> rows;
    try {
      rows = parse(survey, csv, errors);
    } catch (Rejected rejected) {
      return Future.failedFuture(rejected);
    }
    // Every problem at once: the file's own, then serials already stored or keyed otherwise.
    return sortOut(survey, user, rows, errors).compose(sorted -> {
      if (!errors.isEmpty()) {
        errors.sort(Comparator.comparingLong(RowError::row));
        return Future.failedFuture(new Rejected(errors));
      }
      Future<Void> consents = reaffirmConsents(survey, sorted.already());
      if (sorted.fresh().isEmpty()) {
        return consents.compose(v -> entry.record(user, AuditAction.IMPORT,
                sorted.already().stream().map(r -> survey.id() + "/" + r.serial()).toList(),
                Map.of("survey", survey.id(), "batch", "none", "rows", rows.size(), "stored", 0,
                    "alreadyStored", sorted.already().size(), "awaitingSecond", 0)))
            .map(new Imported(null, 0, sorted.already().size(), 0));
      }
      return consents.compose(v -> entry.startBatch(user, surveyId, new PaperEntryService.BatchDetails(
              details.venue(), details.collectedOn(), String.valueOf(sorted.fresh().size()), details.note())))
          .compose(batch -> storeAll(user, survey, batch, sorted.fresh(), sorted.already().size()));
    });
  }

  /** A good file's rows: those new here, and those imported before with the very same answers. */
  private record Sorted(List<Row> fresh, List<Row> already) {
  }

  /**
   * The file's rows, adding each row's problems to {@code errors}; throws at once only for a file
   * whose header or format leaves its rows unreadable.
   */
  private List<Row> parse(SurveyDefinition survey, String csv, List<RowError> errors) {
    List<Row> rows = new ArrayList<>();
    String text = csv.startsWith("\uFEFF") ? csv.substring(1) : csv;
    CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
        .setIgnoreEmptyLines(true).setTrim(true).get();
    try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
      List<String> header = parser.getHeaderNames();
      Set<String> known = new HashSet<>(columns(survey));
      if (!header.contains(SERIAL)) {
        errors.add(new RowError(1, SERIAL, "The header row has no 'serial' column"));
      }
      header.stream().filter(h -> !known.contains(h))
          .forEach(h -> errors.add(new RowError(1, h, "'" + h + "' is not a question of " + survey.id())));
      if (!errors.isEmpty()) {
        throw new Rejected(List.copyOf(errors));
      }
      Map<String, Long> serials = new LinkedHashMap<>();
      for (CSVRecord record : parser) {
        long rowNumber = record.getRecordNumber() + 1;
        if (rows.size() + errors.size() >= MAX_ROWS) {
          errors.add(new RowError(rowNumber, "", "More than " + MAX_ROWS + " rows; split the file"));
          break;
        }
        if (!record.isConsistent()) {
          errors.add(new RowError(rowNumber, "", "This row has " + record.size() + " cells; the header has "
              + header.size()));
          continue;
        }
        String serial = record.get(SERIAL);
        if (!serial.matches(PaperForm.SERIAL_PATTERN)) {
          errors.add(new RowError(rowNumber, SERIAL, "The serial must be 1-20 letters, digits or hyphens"));
        } else if (serials.containsKey(serial)) {
          errors.add(new RowError(rowNumber, SERIAL, "Serial " + serial + " is also on row " + serials.get(serial)));
        } else {
          serials.put(serial, rowNumber);
        }
        Map<String, String> typed = new LinkedHashMap<>();
        for (String column : known) {
          if (!column.equals(SERIAL)) {
            typed.put(column, record.isMapped(column) ? record.get(column) : "");
          }
        }
        PaperForm.Result read = entry.form().read(survey, typed, true);
        read.errors().forEach(e -> errors.add(new RowError(rowNumber, e.field().substring(2), e.message())));
        if (serial.matches(PaperForm.SERIAL_PATTERN)) {
          rows.add(new Row(rowNumber, serial, read.answers()));
        }
      }
    } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
      throw new Rejected(List.of(new RowError(0, "", "The file is not readable CSV: " + ClientText.shorten(
          String.valueOf(e.getMessage())))));
    }
    if (rows.isEmpty() && errors.isEmpty()) {
      errors.add(new RowError(2, "", "The file has a header row but no forms"));
    }
    return rows;
  }

  /**
   * Sorts the rows into new ones and ones imported before with the same answers; a serial stored or
   * keyed with other answers is a problem of its row. With double entry, a row the same worker keyed
   * before is "already"; by another worker, it is that form's second keying.
   */
  private Future<Sorted> sortOut(SurveyDefinition survey, StaffUser user, List<Row> rows, List<RowError> errors) {
    List<Row> fresh = new ArrayList<>();
    List<Row> already = new ArrayList<>();
    boolean doubleEntry = survey.channels().paper().doubleEntry();
    Future<Void> chain = Future.succeededFuture();
    for (Row row : rows) {
      chain = chain.compose(v -> doubleEntry
          ? entry.entryStore().find(survey.id(), row.serial()).map(found -> {
            if (found.isEmpty()) {
              fresh.add(row);
            } else if (found.get().state() != EntryStore.State.AWAITING_SECOND
                || !found.get().first().answers().equals(row.answers())) {
              errors.add(new RowError(row.number(), SERIAL, "Form " + row.serial() + " has already been keyed ("
                  + EntryViews.stateWords(found.get().state()) + ")"));
            } else {
              (found.get().first().by().equals(user.accountId()) ? already : fresh).add(row);
            }
            return null;
          })
          : entry.storedResponse(survey, row.serial()).map(found -> {
            if (found.isEmpty()) {
              fresh.add(row);
            } else if (new LinkedHashMap<>(found.get().answers()).equals(new LinkedHashMap<>(row.answers().answers()))) {
              already.add(row);
            } else {
              errors.add(new RowError(row.number(), SERIAL, "Form " + row.serial()
                  + " is already stored with other answers (record " + found.get().id() + ")"));
            }
            return null;
          }));
    }
    return chain.map(v -> new Sorted(fresh, already));
  }

  /** A form imported before keeps its consent recorded (an import cut short by a crash may have missed it). */
  private Future<Void> reaffirmConsents(SurveyDefinition survey, List<Row> already) {
    Future<Void> chain = Future.succeededFuture();
    if (survey.channels().paper().doubleEntry()) {
      return chain;  // a consent is recorded when the form is verified, not at its first keying
    }
    for (Row row : already) {
      TextBack.Contact contact = row.answers().textBack();
      if (contact != null) {
        chain = chain.compose(v -> entry.form().textBack().record(contact, survey.id(), survey.defaultLanguage()));
      }
    }
    return chain;
  }

  private Future<Imported> storeAll(StaffUser user, SurveyDefinition survey, Batch batch, List<Row> rows,
      int importedBefore) {
    int[] counts = new int[3];
    List<String> records = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Row row : rows) {
      chain = chain.compose(v -> entry.keyedForImport(user, survey, batch, row.serial(), row.answers())).map(entered -> {
        switch (entered.outcome()) {
          case STORED -> counts[0]++;
          case ALREADY_STORED, ALREADY_KEYED -> counts[1]++;
          case AWAITING_SECOND -> counts[2]++;
          default -> throw new HeardException.Conflict("duplicate-serial", "Serial " + row.serial()
              + " (row " + row.number() + ") is already stored with other answers: record "
              + ResponseService.responseIdFor(Channel.PAPER, survey.id(), row.serial()) + ". The rows before it were stored.");
        }
        records.add(entered.responseId() != null ? entered.responseId() : survey.id() + "/" + row.serial());
        return null;
      });
    }
    return chain.compose(v -> entry.record(user, AuditAction.IMPORT, records, Map.of("survey", survey.id(),
            "batch", batch.id(), "rows", rows.size(), "stored", counts[0], "alreadyStored", counts[1],
            "awaitingSecond", counts[2])))
        .map(v -> new Imported(batch, counts[0], counts[1] + importedBefore, counts[2]));
  }
}
