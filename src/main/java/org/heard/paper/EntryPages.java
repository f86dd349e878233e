package org.heard.paper;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.StaffGate;
import org.heard.http.StaffView;
import org.heard.response.Channel;
import org.heard.response.ResponseService;
import org.heard.sms.TextBack;
import org.heard.survey.Question;
import org.heard.survey.QuestionType;
import org.heard.survey.SurveyDefinition;

/** The outreach workers' pages: batches, the keyboard entry form, and resolving mismatches. */
public final class EntryPages {
  private final StaffView view;
  private final PaperEntryService entry;
  private final EntryViews views;

  private final PrintPages prints;

  public EntryPages(StaffView view, PaperEntryService entry, PrintPages prints) {
    this.view = view;
    this.entry = entry;
    this.prints = prints;
    this.views = new EntryViews(view, entry);
  }

  public void surveys(RoutingContext ctx) {
    Map<String, Object> model = view.model(ctx, "Paper entry");
    model.put("surveys", entry.paperSurveys().stream().map(s -> Map.<String, Object>of(
        "id", s.id(), "title", EntryViews.title(s), "formCode", s.channels().paperFormCode(),
        "doubleEntry", s.channels().paper().doubleEntry())).toList());
    view.send(ctx, "entry-surveys", model);
  }

  public void start(RoutingContext ctx) {
    renderStart(ctx, 200, Map.of(), List.of());
  }

  public void createBatch(RoutingContext ctx) {
    PaperEntryService.BatchDetails details = EntryViews.batchDetails(ctx);
    entry.startBatch(StaffGate.user(ctx), ctx.pathParam("surveyId"), details)
        .onSuccess(batch -> StaffView.seeOther(ctx, "/staff/entry/" + batch.surveyId() + "/batches/" + batch.id()))
        .onFailure(error -> {
          if (error instanceof HeardException.Invalid invalid) {
            renderStart(ctx, 422, Map.of("venue", EntryViews.nn(details.venue()),
                "collectedOn", EntryViews.nn(details.collectedOn()), "expected", EntryViews.nn(details.expected()),
                "note", EntryViews.nn(details.note())), invalid.fieldErrors());
          } else {
            ctx.fail(error);
          }
        });
  }

  private void renderStart(RoutingContext ctx, int status, Map<String, Object> typed, List<FieldError> errors) {
    SurveyDefinition survey = entry.paperSurvey(ctx.pathParam("surveyId"));
    boolean doubleEntry = survey.channels().paper().doubleEntry();
    Future<List<EntryStore.Entry>> awaiting = doubleEntry ? entry.awaitingSecond(survey.id())
        : Future.succeededFuture(List.of());
    Future<List<EntryStore.Entry>> mismatches = doubleEntry ? entry.mismatches(survey.id())
        : Future.succeededFuture(List.of());
    Future.all(entry.batches(survey.id()), awaiting, mismatches).onFailure(ctx::fail).onSuccess(all -> {
      List<Batch> batches = all.resultAt(0);
      Map<String, Object> model = views.surveyModel(ctx, survey, EntryViews.title(survey));
      model.putAll(typed);
      model.putIfAbsent("collectedOn", LocalDate.now(entry.clock()).toString());
      model.put("doubleEntry", doubleEntry);
      model.put("hasBatches", !batches.isEmpty());
      model.put("batches", batches.stream().map(b -> Map.<String, Object>of("id", b.id(), "surveyId", survey.id(),
          "venue", b.venue(), "collectedOn", b.collectedOn().toString(), "entered", b.entered(),
          "expected", b.expected(), "createdBy", b.createdBy())).toList());
      List<EntryStore.Entry> waiting = all.resultAt(1);
      model.put("hasAwaiting", !waiting.isEmpty());
      model.put("awaiting", waiting.stream().map(e -> Map.of("serial", e.serial(), "by", e.first().by())).toList());
      List<EntryStore.Entry> differing = all.resultAt(2);
      model.put("hasMismatches", !differing.isEmpty());
      model.put("mismatches", differing.stream().map(e -> Map.<String, Object>of("serial", e.serial(),
          "surveyId", survey.id(), "count", e.mismatches().size())).toList());
      model.put("prints", prints.printLinks(survey, null));
      StaffView.errors(model, errors);
      view.send(ctx, status, "entry-start", model);
    });
  }

  public void batch(RoutingContext ctx) {
    String saved = ctx.request().getParam("saved");
    String outcome = ctx.request().getParam("outcome");
    Map<String, Object> flash = new HashMap<>();
    if (saved != null && saved.matches(PaperForm.SERIAL_PATTERN) && outcome != null) {
      SurveyDefinition survey = entry.paperSurvey(ctx.pathParam("surveyId"));
      String record = "/staff/responses/" + ResponseService.responseIdFor(Channel.PAPER, survey.id(), saved);
      switch (outcome) {
        case "stored" -> flash(flash, "Form " + saved + " saved. Key the next form.", record, "See form " + saved);
        case "already-stored" -> flash(flash, "Form " + saved + " was already stored with exactly these answers; "
            + "nothing changed.", record, "See form " + saved);
        case "already-keyed" -> flash(flash, "You had already keyed form " + saved + " with exactly these answers; "
            + "nothing changed. Another outreach worker must key it again to verify it.", null, null);
        case "awaiting-second" -> flash(flash, "Form " + saved + " keyed. Another outreach worker must key it again "
            + "to verify it.", null, null);
        case "verified" -> flash(flash, "Form " + saved + " verified: both keyings match, and it is stored.", record,
            "See form " + saved);
        case "mismatch" -> flash(flash, "Form " + saved + " does not match its first keying. A third person must check "
            + "it against the paper.", "/staff/entry/" + survey.id() + "/serials/" + saved, "Resolve form " + saved);
        default -> {
        }
      }
    }
    String imported = ctx.request().getParam("imported");
    String already = ctx.request().getParam("already");
    if (imported != null && imported.matches("\\d{1,5}")) {
      flash(flash, importedWords(Integer.parseInt(imported), already != null && already.matches("\\d{1,5}")
          ? Integer.parseInt(already) : 0), null, null);
    }
    renderBatch(ctx, 200, flash, Map.of(), List.of());
  }

  private static void flash(Map<String, Object> model, String text, String link, String linkText) {
    model.put("flash", text);
    if (link != null) {
      model.put("flashLink", link);
      model.put("flashLinkText", linkText);
    }
  }

  public void enter(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    SurveyDefinition survey = entry.paperSurvey(ctx.pathParam("surveyId"));
    String serial = ctx.request().getFormAttribute("serial");
    Map<String, String> typed = typed(ctx, survey);
    entry.enter(user, survey.id(), ctx.pathParam("batchId"), serial, typed)
        .onFailure(error -> {
          if (error instanceof HeardException.Invalid invalid) {
            renderBatch(ctx, 422, Map.of(), keptValues(serial, typed), invalid.fieldErrors());
          } else {
            ctx.fail(error);
          }
        })
        .onSuccess(entered -> {
          if (entered.outcome().accepted()) {
            StaffView.seeOther(ctx, "/staff/entry/" + survey.id() + "/batches/" + ctx.pathParam("batchId") + "?saved="
                + entered.serial() + "&outcome=" + entered.outcome().key());
            return;
          }
          renderBatch(ctx, 409, Map.of(), keptValues(serial, typed), List.of(refusal(survey, entered)));
        });
  }

  private static FieldError refusal(SurveyDefinition survey, PaperEntryService.Entered entered) {
    String serial = entered.serial();
    return switch (entered.outcome()) {
      case DUPLICATE -> new FieldError("serial", "duplicate_serial", "Form " + serial
          + " has already been entered for this survey: see record /staff/responses/" + entered.responseId()
          + ". Check the serial number; to change that record, correct it there.");
      case SAME_WORKER -> new FieldError("serial", "same_worker", "You keyed form " + serial
          + " the first time. Another outreach worker must key it again to verify it.");
      default -> new FieldError("serial", "awaiting_resolution", "Form " + serial + "'s two keyings disagree; it"
          + " must be resolved against the paper at /staff/entry/" + survey.id() + "/serials/" + serial + ".");
    };
  }

  private static String importedWords(int fresh, int already) {
    String imported = fresh + (fresh == 1 ? " new form" : " new forms") + " imported from the CSV file into this batch";
    return already == 0 ? imported + "." : imported + "; " + already + " already stored, not added again.";
  }

  private static Map<String, Object> keptValues(String serial, Map<String, String> typed) {
    Map<String, Object> kept = new HashMap<>(typed);
    kept.put("serial", serial == null ? "" : serial);
    return kept;
  }

  private void renderBatch(RoutingContext ctx, int status, Map<String, Object> flash, Map<String, Object> typed,
      List<FieldError> errors) {
    SurveyDefinition survey = entry.paperSurvey(ctx.pathParam("surveyId"));
    entry.batch(survey.id(), ctx.pathParam("batchId")).onFailure(ctx::fail).onSuccess(batch -> {
      Map<String, Object> model = views.surveyModel(ctx, survey, "Key paper forms");
      model.putAll(flash);
      model.put("script", "entry.js");
      model.put("batchId", batch.id());
      model.put("venue", batch.venue());
      model.put("collectedOn", batch.collectedOn().toString());
      model.put("entered", batch.entered());
      model.put("doubleEntry", survey.channels().paper().doubleEntry());
      model.put("keyedTwice", batch.keyedTwice());
      model.put("prints", prints.printLinks(survey, batch.id()));
      model.put("printed", batch.printed() == null ? null : batch.printed().describe());
      model.put("maxCopies", PaperPrints.MAX_COPIES);
      model.put("printable", batch.expected() <= PaperPrints.MAX_COPIES);
      model.put("expected", batch.expected());
      model.put("serial", typed.getOrDefault("serial", ""));
      Map<String, String> errorByField = new HashMap<>();
      errors.forEach(e -> errorByField.merge(e.field(), e.message(), (a, b) -> a + ". " + b));
      model.put("serialError", errorByField.get("serial"));
      model.put("questions", views.questionViews(survey, typed, errorByField));
      List<Map<String, Object>> forms = new ArrayList<>();
      for (Batch.Form f : batch.forms()) {
        Map<String, Object> row = new HashMap<>();
        row.put("serial", f.serial());
        row.put("outcome", KeyingOutcome.fromKey(f.outcome()).words());
        row.put("by", f.by());
        if (f.responseId() != null) {
          row.put("link", "/staff/responses/" + f.responseId());
        }
        forms.add(row);
      }
      model.put("hasForms", !forms.isEmpty());
      model.put("forms", forms);
      StaffView.errors(model, errors);
      view.send(ctx, status, "entry-batch", model);
    });
  }

  // ---- resolving a mismatch ----------------------------------------------------------------------

  public void serial(RoutingContext ctx) {
    renderSerial(ctx, 200, Map.of(), List.of());
  }

  public void resolve(RoutingContext ctx) {
    SurveyDefinition survey = entry.paperSurvey(ctx.pathParam("surveyId"));
    Map<String, String> typed = typed(ctx, survey);
    entry.resolve(StaffGate.user(ctx), survey.id(), ctx.pathParam("serial"), typed)
        .onSuccess(id -> StaffView.seeOther(ctx, "/staff/responses/" + id + "?resolved=1"))
        .onFailure(error -> {
          if (error instanceof HeardException.Invalid invalid) {
            renderSerial(ctx, 422, new HashMap<>(typed), invalid.fieldErrors());
          } else {
            ctx.fail(error);
          }
        });
  }

  private void renderSerial(RoutingContext ctx, int status, Map<String, Object> typed, List<FieldError> errors) {
    SurveyDefinition survey = entry.paperSurvey(ctx.pathParam("surveyId"));
    entry.entry(survey.id(), ctx.pathParam("serial")).onFailure(ctx::fail).onSuccess(found -> {
      if (found.state() != EntryStore.State.MISMATCH) {
        ctx.fail(new HeardException.Conflict("not-a-mismatch", "Form " + found.serial()
            + " has no disagreement to resolve (it is " + EntryViews.stateWords(found.state()) + ")."));
        return;
      }
      Map<String, Object> model = views.surveyModel(ctx, survey, "Resolve form " + found.serial());
      model.put("serial", found.serial());
      model.put("count", found.mismatches().size());
      model.put("firstBy", found.first().by());
      model.put("secondBy", found.second().by());
      Map<String, String> errorByField = new HashMap<>();
      errors.forEach(e -> errorByField.merge(e.field(), e.message(), (a, b) -> a + ". " + b));
      List<Map<String, Object>> questions = new ArrayList<>();
      for (Map<String, Object> q : views.questionViews(survey, typed, errorByField)) {
        String id = (String) q.get("id");
        if (found.mismatches().contains(id) || found.mismatches().contains(id + TextBack.PHONE_SUFFIX)) {
          q.put("first", asTyped(survey, id, found.first().answers()));
          q.put("second", asTyped(survey, id, found.second().answers()));
          if (q.containsKey("phoneId")) {
            q.put("phoneFirst", numberAsTyped(id, found.first().answers()));
            q.put("phoneSecond", numberAsTyped(id, found.second().answers()));
          }
          questions.add(q);
        }
      }
      model.put("questions", questions);
      StaffView.errors(model, errors.stream().filter(e -> errorByField.containsKey(e.field())).toList());
      view.send(ctx, status, "entry-serial", model);
    });
  }

  private String asTyped(SurveyDefinition survey, String questionId, PaperAnswers answers) {
    if (answers.marks().containsKey(questionId)) {
      return answers.marks().get(questionId) == PaperCodes.Mark.UNREADABLE ? PaperCodes.UNREADABLE
          : PaperCodes.NOT_ANSWERED;
    }
    Object value = answers.answers().get(questionId);
    return value == null ? "(blank)" : entry.typedForm(survey, survey.question(questionId).orElseThrow(), value);
  }

  private String numberAsTyped(String questionId, PaperAnswers answers) {
    TextBack.Contact contact = answers.contacts().get(questionId);
    return contact == null ? PaperCodes.NOT_ANSWERED : entry.form().textBack().shown(contact);
  }

  private static Map<String, String> typed(RoutingContext ctx, SurveyDefinition survey) {
    Map<String, String> typed = new LinkedHashMap<>();
    for (Question q : survey.questions()) {
      List<String> boxes = q.type() == QuestionType.CONSENT ? List.of(q.id(), q.id() + TextBack.PHONE_SUFFIX)
          : List.of(q.id());
      for (String box : boxes) {
        String value = ctx.request().getFormAttribute("q-" + box);
        if (value != null || box.equals(q.id())) {
          typed.put(box, value == null ? "" : value);
        }
      }
    }
    return typed;
  }

}
