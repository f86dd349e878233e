package org.heard.paper;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.SecretTokens;
import org.heard.auth.StaffUser;
import org.heard.error.ClientText;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.response.Channel;
import org.heard.response.Response;
import org.heard.response.ResponseService;
import org.heard.response.ResponseStore;
import org.heard.response.Submission;
import org.heard.response.SubmissionResult;
import org.heard.sms.TextBack;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;

/**
 * Paper forms into responses: batches, keyed forms (idempotent by serial number), double entry
 * with verification and resolution, and every step audited. A paper response counts exactly like
 * any other; with double entry on, it only becomes a response once verified.
 */
public final class PaperEntryService {
  private final SurveyCatalog catalog;
  private final PaperForm form;
  private final BatchStore batches;
  private final EntryStore entries;
  private final ResponseService responses;
  private final ResponseStore stored;
  private final AuditLog audit;
  private final Clock clock;

  public PaperEntryService(SurveyCatalog catalog, BatchStore batches, EntryStore entries, ResponseService responses,
      ResponseStore stored, TextBack textBack, AuditLog audit, Clock clock) {
    this.stored = stored;
    this.catalog = catalog;
    this.form = new PaperForm(catalog.partnership(), textBack);
    this.batches = batches;
    this.entries = entries;
    this.responses = responses;
    this.audit = audit;
    this.clock = clock;
  }

  public PaperForm form() {
    return form;
  }

  /** A survey taking paper forms, or NotFound. */
  public SurveyDefinition paperSurvey(String surveyId) {
    return catalog.find(surveyId).filter(s -> s.channels().paper() != null)
        .orElseThrow(() -> new HeardException.NotFound("unknown-survey",
            "There is no survey '" + ClientText.shorten(String.valueOf(surveyId)) + "' with paper forms."));
  }

  public List<SurveyDefinition> paperSurveys() {
    return catalog.all().stream().filter(s -> s.channels().paper() != null).toList();
  }

  // ---- batches ---------------------------------------------------------------------------------

  public record BatchDetails(String venue, String collectedOn, String expected, String note) {
  }

  public Future<Batch> startBatch(StaffUser user, String surveyId, BatchDetails details) {
    SurveyDefinition survey = paperSurvey(surveyId);
    List<FieldError> errors = new ArrayList<>();
    String venue = details.venue() == null ? "" : details.venue().strip();
    if (venue.isEmpty() || venue.length() > 200) {
      errors.add(new FieldError("venue", "required", "Enter where the forms were collected (up to 200 characters)"));
    }
    LocalDate collected = collectedOn(details.collectedOn(), errors);
    int expected = 0;
    try {
      expected = Integer.parseInt(details.expected() == null ? "" : details.expected().strip());
      if (expected < 1 || expected > 5000) {
        errors.add(new FieldError("expected", "out_of_range", "Enter how many forms are in the stack, from 1 to 5000"));
      }
    } catch (NumberFormatException e) {
      errors.add(new FieldError("expected", "wrong_type", "Enter how many forms are in the stack, as a number"));
    }
    String note = details.note() == null ? "" : details.note().strip();
    if (note.length() > 1000) {
      errors.add(new FieldError("note", "too_long", "Keep the note under 1000 characters"));
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(new HeardException.Invalid("invalid-batch", "The batch details need correcting.", errors));
    }
    Batch batch = new Batch(newId(), survey.id(), survey.channels().paperFormCode(), venue, collected, expected, note,
        user.accountId(), Instant.now(clock), List.of(), null);
    return batches.insert(batch).compose(b -> record(user, AuditAction.BATCH_STARTED, List.of(b.id()),
        Map.of("survey", survey.id(), "expected", b.expected())).map(b));
  }

  private LocalDate collectedOn(String raw, List<FieldError> errors) {
    try {
      LocalDate date = LocalDate.parse(raw == null ? "" : raw.strip());
      if (date.isAfter(LocalDate.now(clock.withZone(catalog.partnership().timezone())))) {
        errors.add(new FieldError("collectedOn", "in_future", "The collection date cannot be in the future"));
      }
      return date;
    } catch (DateTimeParseException e) {
      errors.add(new FieldError("collectedOn", "wrong_type", "Enter the date the forms were collected, like 2026-11-20"));
      return LocalDate.now(clock);
    }
  }

  public Future<Batch> batch(String surveyId, String batchId) {
    paperSurvey(surveyId);
    return batches.get(surveyId, batchId);
  }

  public Future<List<Batch>> batches(String surveyId) {
    paperSurvey(surveyId);
    return batches.forSurvey(surveyId);
  }

  // ---- keying ----------------------------------------------------------------------------------

  public record Entered(KeyingOutcome outcome, String serial, String responseId, List<String> mismatches) {
  }

  /** Keys one form of a batch: {@code typed} is what was typed per question id. */
  public Future<Entered> enter(StaffUser user, String surveyId, String batchId, String serial, Map<String, String> typed) {
    SurveyDefinition survey = paperSurvey(surveyId);
    return batches.get(surveyId, batchId).compose(batch -> {
      List<FieldError> errors = new ArrayList<>();
      String cleanSerial = serial == null ? "" : serial.strip();
      if (!cleanSerial.matches(PaperForm.SERIAL_PATTERN)) {
        errors.add(new FieldError("serial", "invalid_serial",
            "Enter the form's serial number: 1-20 letters, digits or hyphens, as printed"));
      } else if (batch.printed() != null && !batch.printed().contains(cleanSerial)) {
        errors.add(new FieldError("serial", "not_printed_here", "Form " + cleanSerial + " is not one printed for "
            + "this batch: its forms are " + batch.printed().describe() + ". Check the serial, or key it in its own batch"));
      }
      PaperForm.Result read = form.read(survey, typed, false);
      errors.addAll(read.errors());
      if (!errors.isEmpty()) {
        return Future.failedFuture(new HeardException.Invalid("invalid-paper-form",
            errors.size() == 1 ? "One box needs correcting." : errors.size() + " boxes need correcting.", errors));
      }
      return keyed(user, survey, batch, cleanSerial, read.answers())
          .compose(entered -> (entered.outcome().counts()
                  ? batches.addForm(batch.id(), new Batch.Form(cleanSerial, entered.outcome().key(),
                      entered.responseId(), user.accountId()))
                  : Future.<Void>succeededFuture())
              .compose(v -> record(user, auditAction(entered.outcome()),
                  entered.responseId() == null ? List.of(survey.id() + "/" + cleanSerial) : List.of(entered.responseId()),
                  Map.of("survey", survey.id(), "serial", cleanSerial, "batch", batch.id(), "outcome", entered.outcome().key())))
              .map(entered));
    });
  }

  private static AuditAction auditAction(KeyingOutcome outcome) {
    return switch (outcome) {
      case VERIFIED -> AuditAction.PAPER_VERIFIED;
      case MISMATCH -> AuditAction.PAPER_MISMATCH;
      default -> AuditAction.PAPER_ENTERED;
    };
  }

  /** One row of an imported file, already read: stored like a keyed form, and counted in the batch. */
  Future<Entered> keyedForImport(StaffUser user, SurveyDefinition survey, Batch batch, String serial,
      PaperAnswers answers) {
    return keyed(user, survey, batch, serial, answers).compose(entered -> entered.outcome().counts()
        ? batches.addForm(batch.id(), new Batch.Form(serial, entered.outcome().key(), entered.responseId(),
            user.accountId())).map(entered)
        : Future.succeededFuture(entered));
  }

  private Future<Entered> keyed(StaffUser user, SurveyDefinition survey, Batch batch, String serial,
      PaperAnswers answers) {
    if (!survey.channels().paper().doubleEntry()) {
      return store(survey, batch, serial, answers, Map.of("mode", "single", "enteredBy", user.accountId()), user)
          .map(result -> new Entered(result.created() ? KeyingOutcome.STORED : KeyingOutcome.ALREADY_STORED, serial,
              result.responseId(), List.of()))
          .recover(error -> duplicate(error, survey, serial));
    }
    EntryStore.Keying keying = new EntryStore.Keying(user.accountId(), Instant.now(clock), batch.id(), answers);
    return entries.insertFirst(survey.id(), serial, keying).compose(first -> first
        ? Future.succeededFuture(new Entered(KeyingOutcome.AWAITING_SECOND, serial, null, List.of()))
        : entries.find(survey.id(), serial).compose(found -> second(user, survey, batch, serial, keying, found.orElseThrow())));
  }

  private Future<Entered> second(StaffUser user, SurveyDefinition survey, Batch batch, String serial,
      EntryStore.Keying keying, EntryStore.Entry entry) {
    return switch (entry.state()) {
      case VERIFIED -> finishVerified(survey, batch, entry)
          .map(id -> new Entered(KeyingOutcome.DUPLICATE, serial, id, List.of()));
      case MISMATCH -> Future.succeededFuture(new Entered(KeyingOutcome.AWAITING_RESOLUTION, serial, null, entry.mismatches()));
      case AWAITING_SECOND -> {
        if (entry.first().by().equals(user.accountId())) {
          yield Future.succeededFuture(new Entered(entry.first().answers().equals(keying.answers())
              ? KeyingOutcome.ALREADY_KEYED : KeyingOutcome.SAME_WORKER, serial, null, List.of()));
        }
        List<String> mismatches = entry.first().answers().differences(keying.answers(),
            survey.questions().stream().map(q -> q.id()).toList());
        yield entries.addSecond(survey.id(), serial, keying, mismatches).compose(updated -> {
          if (!updated) {
            // Someone keyed it at the same moment: look again and report what is there now.
            return entries.find(survey.id(), serial).compose(now -> second(user, survey, batch, serial, keying,
                now.orElseThrow()));
          }
          if (!mismatches.isEmpty()) {
            return Future.succeededFuture(new Entered(KeyingOutcome.MISMATCH, serial, null, mismatches));
          }
          return entries.find(survey.id(), serial).compose(now -> finishVerified(survey, batch, now.orElseThrow()))
              .map(id -> new Entered(KeyingOutcome.VERIFIED, serial, id, List.of()));
        });
      }
    };
  }

  /** Stores the verified answers of an entry as its response (idempotent: safe to repeat after a crash). */
  private Future<String> finishVerified(SurveyDefinition survey, Batch batch, EntryStore.Entry entry) {
    PaperAnswers agreed = entry.resolved() != null ? entry.resolved() : entry.first().answers();
    Map<String, Object> verification = new LinkedHashMap<>();
    verification.put("mode", "double");
    verification.put("firstBy", entry.first().by());
    verification.put("secondBy", entry.second().by());
    if (entry.resolvedBy() != null) {
      verification.put("resolvedBy", entry.resolvedBy());
      verification.put("mismatches", entry.mismatches());
    }
    return store(survey, batch, entry.serial(), agreed, verification, null)
        .compose(result -> entries.setResponse(survey.id(), entry.serial(), result.responseId())
            .map(result.responseId()));
  }

  private Future<SubmissionResult> store(SurveyDefinition survey, Batch batch, String serial, PaperAnswers answers,
      Map<String, Object> verification, StaffUser enteredBy) {
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("formCode", survey.channels().paperFormCode());
    provenance.put("serial", serial);
    provenance.put("batchId", batch.id());
    provenance.put("venue", batch.venue());
    provenance.put("collectedOn", batch.collectedOn().toString());
    provenance.put("enteredBy", enteredBy != null ? enteredBy.accountId() : verification.get("secondBy"));
    provenance.put("enteredAt", Instant.now(clock).toString());
    provenance.put("marks", answers.markKeys());
    provenance.put("verification", verification);
    TextBack.Contact contact = answers.textBack();
    if (contact != null) {
      // The number's respondent key (never the number): an erasure by number finds the response.
      provenance.put("respondentKey", contact.respondentKey());
    }
    Instant collected = batch.collectedOn().atStartOfDay(catalog.partnership().timezone()).toInstant();
    return responses.submit(new Submission(survey.id(), Channel.PAPER, serial, survey.defaultLanguage(),
            answers.answers(), provenance, answers.complete(), collected))
        .compose(result -> contact == null ? Future.succeededFuture(result)
            : form.textBack().record(contact, survey.id(), survey.defaultLanguage()).map(result));
  }

  private Future<Entered> duplicate(Throwable error, SurveyDefinition survey, String serial) {
    if (error instanceof HeardException.Conflict conflict && conflict.type().equals("idempotency-key-reused")) {
      return Future.succeededFuture(new Entered(KeyingOutcome.DUPLICATE, serial,
          ResponseService.responseIdFor(Channel.PAPER, survey.id(), serial), List.of()));
    }
    return Future.failedFuture(error);
  }

  // ---- double entry: the serials waiting, and resolving a mismatch ------------------------------

  public Future<List<EntryStore.Entry>> awaitingSecond(String surveyId) {
    return entries.inState(paperSurvey(surveyId).id(), EntryStore.State.AWAITING_SECOND);
  }

  public Future<List<EntryStore.Entry>> mismatches(String surveyId) {
    return entries.inState(paperSurvey(surveyId).id(), EntryStore.State.MISMATCH);
  }

  public Future<EntryStore.Entry> entry(String surveyId, String serial) {
    return entries.find(paperSurvey(surveyId).id(), serial == null ? "" : serial).compose(found -> found.isEmpty()
        ? Future.failedFuture(new HeardException.NotFound("unknown-serial",
            "No form with serial '" + ClientText.shorten(String.valueOf(serial)) + "' has been keyed for this survey."))
        : Future.succeededFuture(found.get()));
  }

  /**
   * A third person settles a mismatch against the paper: {@code typed} holds what the paper says for
   * each question that differed; the others keep the value both keyings agreed on.
   */
  public Future<String> resolve(StaffUser user, String surveyId, String serial, Map<String, String> typed) {
    SurveyDefinition survey = paperSurvey(surveyId);
    return entry(surveyId, serial).compose(entry -> {
      if (entry.state() != EntryStore.State.MISMATCH) {
        return Future.failedFuture(new HeardException.Conflict("not-a-mismatch",
            "Form " + serial + " has no disagreement to resolve (it is " + EntryViews.stateWords(entry.state()) + ")."));
      }
      if (user.accountId().equals(entry.first().by()) || user.accountId().equals(entry.second().by())) {
        return Future.failedFuture(new HeardException.Forbidden("same-worker",
            "You keyed this form; a third person must resolve it against the paper."));
      }
      Map<String, String> merged = new LinkedHashMap<>();
      PaperAnswers first = entry.first().answers();
      for (var q : survey.questions()) {
        String phone = q.id() + TextBack.PHONE_SUFFIX;
        // A consent and the number written with it are settled together: a number goes only with a yes.
        boolean settled = entry.mismatches().contains(q.id()) || entry.mismatches().contains(phone);
        if (settled) {
          merged.put(q.id(), typed.get(q.id()));
        } else if (first.marks().containsKey(q.id())) {
          merged.put(q.id(), first.marks().get(q.id()) == PaperCodes.Mark.UNREADABLE
              ? PaperCodes.UNREADABLE : PaperCodes.NOT_ANSWERED);
        } else if (first.answers().containsKey(q.id())) {
          merged.put(q.id(), typedForm(survey, q, first.answers().get(q.id())));
        }
        if (q.type() == QuestionType.CONSENT) {
          merged.put(phone, settled ? typed.get(phone) : first.contacts().containsKey(q.id())
              ? form.textBack().shown(first.contacts().get(q.id())) : PaperCodes.NOT_ANSWERED);
        }
      }
      PaperForm.Result read = form.read(survey, merged, false);
      if (!read.errors().isEmpty()) {
        return Future.failedFuture(new HeardException.Invalid("invalid-paper-form", "Some boxes need correcting.",
            read.errors()));
      }
      return entries.resolve(survey.id(), serial, read.answers(), user.accountId()).compose(updated -> updated
          ? entry(surveyId, serial)
          : Future.failedFuture(new HeardException.Conflict("changed-meanwhile",
              "Someone else resolved this form meanwhile; reload the page.")))
          .compose(resolved -> batches.get(survey.id(), resolved.second().batchId())
              .compose(batch -> finishVerified(survey, batch, resolved)))
          .compose(id -> record(user, AuditAction.PAPER_RESOLVED, List.of(id),
              Map.of("survey", survey.id(), "serial", serial, "questions", entry.mismatches())).map(id));
    });
  }

  /** An agreed answer written back as it would be typed (so one reader checks every box again). */
  String typedForm(SurveyDefinition survey, Question q, Object value) {
    var codes = form.codes().codes(q, survey.channels().paper().numbering(), survey.defaultLanguage());
    if (value instanceof List<?> list) {
      return String.join(" ", list.stream().map(v -> codeFor(codes, String.valueOf(v))).toList());
    }
    return codes.isEmpty() ? String.valueOf(value) : codeFor(codes, String.valueOf(value));
  }

  private static String codeFor(List<PaperCodes.Code> codes, String value) {
    return codes.stream().filter(c -> c.value().equals(value)).map(PaperCodes.Code::code).findFirst().orElse(value);
  }

  /** The response already stored for a serial (single entry), if any. */
  Future<Optional<Response>> storedResponse(SurveyDefinition survey, String serial) {
    return stored.findById(ResponseService.responseIdFor(Channel.PAPER, survey.id(), serial))
        .map(Optional::ofNullable);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  Future<Void> record(StaffUser user, AuditAction action, List<String> records, Map<String, Object> details) {
    return audit.record(user, action, records, details);
  }

  private static String newId() {
    return SecretTokens.random(9);
  }

  Clock clock() {
    return clock;
  }

  EntryStore entryStore() {
    return entries;
  }
}
