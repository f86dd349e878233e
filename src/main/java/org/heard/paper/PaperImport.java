package org.heard.paper;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.atomic.AtomicLong;
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
import org.heard.store.BackgroundJobs;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyDefinition;

/**
 * A batch of paper forms from a CSV file: one row per form, a {@code serial} column and one column
 * per question id, cells written as on the keyboard form (codes, "-", "?"; an empty cell is "not
 * answered"). Every row is checked first; one bad row rejects the whole file with every problem
 * listed by row and column. A good file is then stored row by row as a background job ({@code
 * /staff/jobs/paper-import-<batch>}), idempotent by serial, so importing the same file again (after
 * an interruption, say) stores nothing twice.
 */
public final class PaperImport {
  public static final int MAX_ROWS = 5000;
  public static final String SERIAL = "serial";

  /** An import's storing is background job {@code paper-import-<batch>}. */
  public static final String JOB_PREFIX = "paper-import-";

  private final PaperEntryService entry;
  private final Vertx vertx;
  private final BackgroundJobs jobs;

  public PaperImport(PaperEntryService entry, Vertx vertx, BackgroundJobs jobs) {
    this.entry = entry;
    this.vertx = vertx;
    this.jobs = jobs;
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

    /** The batch's page, saying what the import added. */
    public String link(String surveyId) {
      return "/staff/entry/" + surveyId + "/batches/" + batch.id() + "?imported=" + fresh() + "&already=" + alreadyStored;
    }
  }

  /**
   * A good file whose new forms are being stored in the background ({@code job}, null when there
   * were none); {@code imported} completes when they are.
   */
  public record Importing(String job, Future<Imported> imported) {
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

  /**
   * Checks the whole file (every problem at once, nothing stored when there is one), then stores its
   * new forms in a batch as a background job, which goes on whether or not anyone waits for it.
   */
  public Future<Importing> importFile(StaffUser user, String surveyId, PaperEntryService.BatchDetails details,
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
            .map(new Importing(null, Future.succeededFuture(new Imported(null, 0, sorted.already().size(), 0))));
      }
      return consents.compose(v -> entry.startBatch(user, surveyId, new PaperEntryService.BatchDetails(
              details.venue(), details.collectedOn(), String.valueOf(sorted.fresh().size()), details.note())))
          .compose(batch -> {
            String job = JOB_PREFIX + batch.id();
            return jobs.start(job, user.email(), (long) sorted.fresh().size()).map(run -> new Importing(job,
                jobs.follow(vertx, job, run, stored -> storeAll(user, survey, batch, sorted.fresh(),
                        sorted.already().size(), stored),
                    imported -> new JsonObject().put("stored", imported.stored())
                        .put("alreadyStored", imported.alreadyStored()).put("awaitingSecond", imported.awaitingSecond())
                        .put("link", imported.link(survey.id())),
                    "the import stopped; the forms before were stored: import the file again to store the rest")));
          });
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
    boolean doubleEntry = survey.channels().paper().doubleEntry();
    // What each row is (new, imported before, or a clash), looked up LOOKUPS_AT_ONCE rows at a time, kept in file order.
    Sort[] sorts = new Sort[rows.size()];
    String[] problems = new String[rows.size()];
    Future<Void> chain = Future.succeededFuture();
    for (int start = 0; start < rows.size(); start += LOOKUPS_AT_ONCE) {
      int from = start;
      int to = Math.min(rows.size(), start + LOOKUPS_AT_ONCE);
      chain = chain.compose(v -> {
        List<Future<Void>> lookups = new ArrayList<>();
        for (int i = from; i < to; i++) {
          int at = i;
          Row row = rows.get(i);
          lookups.add(doubleEntry
              ? entry.entryStore().find(survey.id(), row.serial()).map(found -> {
                if (found.isEmpty()) {
                  sorts[at] = Sort.FRESH;
                } else if (found.get().state() != EntryStore.State.AWAITING_SECOND
                    || !found.get().first().answers().equals(row.answers())) {
                  problems[at] = "Form " + row.serial() + " has already been keyed ("
                      + EntryViews.stateWords(found.get().state()) + ")";
                } else {
                  sorts[at] = found.get().first().by().equals(user.accountId()) ? Sort.ALREADY : Sort.FRESH;
                }
                return null;
              })
              : entry.storedResponse(survey, row.serial()).map(found -> {
                if (found.isEmpty()) {
                  sorts[at] = Sort.FRESH;
                } else if (new LinkedHashMap<>(found.get().answers()).equals(new LinkedHashMap<>(row.answers().answers()))) {
                  sorts[at] = Sort.ALREADY;
                } else {
                  problems[at] = "Form " + row.serial() + " is already stored with other answers (record "
                      + found.get().id() + ")";
                }
                return null;
              }));
        }
        return Future.all(lookups).mapEmpty();
      });
    }
    return chain.map(v -> {
      List<Row> fresh = new ArrayList<>();
      List<Row> already = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (problems[i] != null) {
          errors.add(new RowError(rows.get(i).number(), SERIAL, problems[i]));
        } else {
          (sorts[i] == Sort.FRESH ? fresh : already).add(rows.get(i));
        }
      }
      return new Sorted(fresh, already);
    });
  }

  private enum Sort { FRESH, ALREADY }

  /** Rows looked up side by side while a file is checked (each lookup is one read by id). */
  private static final int LOOKUPS_AT_ONCE = 64;


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
      int importedBefore, AtomicLong progress) {
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
        progress.incrementAndGet();
        return null;
      });
    }
    return chain.compose(v -> entry.record(user, AuditAction.IMPORT, records, Map.of("survey", survey.id(),
            "batch", batch.id(), "rows", rows.size(), "stored", counts[0], "alreadyStored", counts[1],
            "awaitingSecond", counts[2])))
        .map(v -> new Imported(batch, counts[0], counts[1] + importedBefore, counts[2]));
  }
}
