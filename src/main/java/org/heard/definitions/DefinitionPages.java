package org.heard.definitions;

import io.vertx.core.Future;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.StaffUser;
import org.heard.http.StaffGate;
import org.heard.http.StaffView;
import org.heard.survey.DefinitionProblem;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyChanges;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveySources;

/**
 * {@code /staff/definitions}: the surveys in force (version, where each came from), an upload of
 * one definition, and a reload of the surveys folder. A change is checked exactly as at start-up
 * and its problems listed as {@code validate} prints them; nothing changes unless it passes.
 * Audited.
 */
public final class DefinitionPages {
  static final long MAX_UPLOAD_BYTES = 1024 * 1024;

  private final StaffView view;
  private final SurveyCatalog catalog;
  private final SurveySources sources;
  private final SurveyChanges changes;
  private final AuditLog audit;

  public DefinitionPages(StaffView view, SurveyCatalog catalog, SurveySources sources, SurveyChanges changes,
                         AuditLog audit) {
    this.view = view;
    this.catalog = catalog;
    this.sources = sources;
    this.changes = changes;
    this.audit = audit;
  }

  public void list(RoutingContext ctx) {
    render(ctx, 200, List.of(), null);
  }

  public void upload(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    List<FileUpload> uploads = ctx.fileUploads();
    if (uploads.isEmpty() || uploads.get(0).size() == 0) {
      render(ctx, 422, List.of(new DefinitionProblem("definition", "", "choose the survey definition file (.yaml or .json) "
          + "to upload")), null);
      return;
    }
    FileUpload file = uploads.get(0);
    String name = file.fileName() == null ? "upload.yaml" : file.fileName();
    ctx.vertx().fileSystem().readFile(file.uploadedFileName())
        .compose(buffer -> {
          try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(buffer.getBytes())).toString();
            return changes.upload(name, text, user.email());
          } catch (CharacterCodingException e) {
            return Future.succeededFuture(new SurveyChanges.Outcome(List.of(new DefinitionProblem(name, "",
                "is not UTF-8 text: save it as UTF-8 and upload it again")), List.of()));
          }
        })
        .compose(outcome -> audited(user, outcome, "upload " + name))
        .onSuccess(outcome -> done(ctx, outcome))
        .onFailure(ctx::fail);
  }

  public void reload(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    changes.reloadFiles(user.email())
        .compose(outcome -> audited(user, outcome, "reload the surveys folder"))
        .onSuccess(outcome -> done(ctx, outcome))
        .onFailure(ctx::fail);
  }

  private Future<SurveyChanges.Outcome> audited(StaffUser user, SurveyChanges.Outcome outcome, String what) {
    if (outcome.applied().isEmpty()) {
      return Future.succeededFuture(outcome);
    }
    return audit.record(user, AuditAction.DEFINITION_CHANGED, outcome.applied(), Map.of("how", what))
        .map(v -> outcome);
  }

  private void done(RoutingContext ctx, SurveyChanges.Outcome outcome) {
    if (!outcome.problems().isEmpty()) {
      render(ctx, 422, outcome.problems(), null);
    } else if (outcome.applied().isEmpty()) {
      render(ctx, 200, List.of(), "Nothing changed: the survey files are as the surveys in force.");
    } else {
      render(ctx, 200, List.of(), "In force now: " + String.join(", ", outcome.applied()) + ". Other instances on "
          + "this database take it within " + SurveyChanges.POLL.toSeconds() + " seconds; forms being filled in "
          + "carry on under it.");
    }
  }

  private void render(RoutingContext ctx, int status, List<DefinitionProblem> problems, String notice) {
    sources.all().onSuccess(stored -> {
      Map<String, Object> model = view.model(ctx, problems.isEmpty() ? "Survey definitions"
          : "Error: survey definitions");
      List<Map<String, Object>> surveys = new ArrayList<>();
      for (SurveyDefinition survey : catalog.all()) {
        SurveySources.Source source = stored.stream().filter(s -> s.surveyId().equals(survey.id())).findFirst()
            .orElse(null);
        surveys.add(Map.of("id", survey.id(), "version", survey.version(),
            "title", survey.title().in("en", survey.defaultLanguage()).text(),
            "from", source == null ? "its file" : "upload".equals(source.origin())
                ? "uploaded by " + source.loadedBy() + " at " + source.loadedAt()
                : "its file " + source.fileName() + ", read at " + source.loadedAt()));
      }
      model.put("surveys", surveys);
      model.put("errors", problems.stream().map(p -> Map.of("text", p.toString())).toList());
      model.put("hasErrors", !problems.isEmpty());
      model.put("hasProblems", !problems.isEmpty());
      model.put("problemCount", problems.size());
      if (notice != null) {
        model.put("flash", notice);
      }
      view.send(ctx, status, "staff-definitions", model);
    }).onFailure(ctx::fail);
  }
}
