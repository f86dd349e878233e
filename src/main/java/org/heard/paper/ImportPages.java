package org.heard.paper;

import io.vertx.core.Future;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.StaffGate;
import org.heard.http.StaffView;
import org.heard.survey.SurveyDefinition;

/** Paper forms from a CSV file: the template to fill in, the upload page, and the import. */
public final class ImportPages {
  /** How long the upload's answer waits for the forms to be stored before showing the import's progress instead. */
  static final Duration WAIT_FOR_IMPORT = Duration.ofSeconds(2);

  public static final long MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

  private final StaffView view;
  private final PaperEntryService entry;
  private final PaperImport importer;
  private final EntryViews views;

  public ImportPages(StaffView view, PaperEntryService entry, PaperImport importer) {
    this.view = view;
    this.entry = entry;
    this.importer = importer;
    this.views = new EntryViews(view, entry);
  }

  public void template(RoutingContext ctx) {
    SurveyDefinition survey = entry.paperSurvey(ctx.pathParam("surveyId"));
    ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"" + survey.id() + "-paper-template.csv\"")
        .end(importer.template(survey));
  }

  public void importForm(RoutingContext ctx) {
    renderImport(ctx, 200, Map.of(), List.of(), List.of(), null);
  }

  public void importFile(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    SurveyDefinition survey = entry.paperSurvey(ctx.pathParam("surveyId"));
    PaperEntryService.BatchDetails details = EntryViews.batchDetails(ctx);
    Map<String, Object> typed = Map.of("venue", EntryViews.nn(details.venue()), "collectedOn", EntryViews.nn(details.collectedOn()),
        "note", EntryViews.nn(details.note()));
    List<FileUpload> uploads = ctx.fileUploads();
    if (uploads.isEmpty() || uploads.get(0).size() == 0) {
      renderImport(ctx, 422, typed, List.of(new FieldError("file", "required", "Choose the CSV file to import")),
          List.of(), null);
      return;
    }
    ctx.vertx().fileSystem().readFile(uploads.get(0).uploadedFileName())
        .compose(buffer -> {
          String text;
          try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(buffer.getBytes())).toString();
          } catch (CharacterCodingException e) {
            return Future.failedFuture(new HeardException.Invalid("invalid-file", "The file is not UTF-8 text.",
                List.of(new FieldError("file", "not_utf8", "Save the file as CSV UTF-8 and try again"))));
          }
          return importer.importFile(user, survey.id(), details, text);
        })
        .onSuccess(importing -> importing.imported()
            // A small file is stored in moments: the batch straight away. A large one carries on in
            // the background, and its progress page says how far it got.
            .timeout(WAIT_FOR_IMPORT.toMillis(), TimeUnit.MILLISECONDS)
            .onSuccess(done -> {
              if (done.batch() == null) {
                // Every form was imported before: nothing new, so no batch (an empty one reads as missing forms).
                renderImport(ctx, 200, typed, List.of(), List.of(), "0 new forms, " + done.alreadyStored()
                    + " already stored: this file was imported before. Nothing was added and no batch was made.");
                return;
              }
              StaffView.seeOther(ctx, done.link(survey.id()));
            })
            .onFailure(slow -> {
              if (importing.job() != null && slow instanceof TimeoutException) {
                StaffView.seeOther(ctx, "/staff/jobs/" + importing.job());
              } else {
                ctx.fail(slow);
              }
            }))
        .onFailure(error -> {
          if (error instanceof PaperImport.Rejected rejected) {
            renderImport(ctx, 422, typed, List.of(new FieldError("row-errors", "invalid_rows", rejected.getMessage())),
                rejected.errors(), null);
          } else if (error instanceof HeardException.Invalid invalid) {
            renderImport(ctx, 422, typed, invalid.fieldErrors(), List.of(), null);
          } else {
            ctx.fail(error);
          }
        });
  }

  private void renderImport(RoutingContext ctx, int status, Map<String, Object> typed, List<FieldError> errors,
      List<PaperImport.RowError> rowErrors, String notice) {
    SurveyDefinition survey = entry.paperSurvey(ctx.pathParam("surveyId"));
    Map<String, Object> model = views.surveyModel(ctx, survey, "Import paper forms");
    model.putAll(typed);
    model.putIfAbsent("collectedOn", LocalDate.now(entry.clock()).toString());
    model.put("questions", views.questionViews(survey, Map.of(), Map.of()));
    model.put("hasRowErrors", !rowErrors.isEmpty());
    if (notice != null) {
      model.put("flash", notice);
    }
    model.put("rowErrors", rowErrors.stream().map(e -> Map.<String, Object>of("row", e.row() == 0 ? "" : e.row(),
        "column", e.column(), "message", e.message())).toList());
    StaffView.errors(model, errors);
    view.send(ctx, status, "entry-import", model);
  }
}
