package org.heard.export;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.StaffGate;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.themes.ThemeService;

/**
 * The response exports (CSV, JSON Lines; analysts; audited). The handler serves both the API
 * (bearer token) and the staff site (session), so one audited code path does both.
 */
public final class ExportApi {
  private final SurveyCatalog catalog;
  private final ResponseExport export;
  private final ThemeService themes;
  private final AuditLog audit;
  private final Clock clock;

  public ExportApi(SurveyCatalog catalog, ResponseExport export, ThemeService themes, AuditLog audit, Clock clock) {
    this.catalog = catalog;
    this.export = export;
    this.themes = themes;
    this.audit = audit;
    this.clock = clock;
  }

  /** CSV or JSON Lines of every response to a survey, streamed; the export is audited before it starts. */
  public void export(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    SurveyDefinition survey = catalog.require(ctx.pathParam("surveyId"));
    String requested = ctx.pathParam("format") != null ? ctx.pathParam("format") : ctx.request().getParam("format", "csv");
    ResponseExport.Format format = switch (requested) {
      case "csv" -> ResponseExport.Format.CSV;
      case "jsonl" -> ResponseExport.Format.JSONL;
      default -> throw new HeardException.BadRequest("invalid-query", "Check the query.",
          List.of(new FieldError("format", "not_an_option", "format must be csv or jsonl")));
    };
    themes.model(survey.id()).otherwiseEmpty()
        .compose(model -> audit.record(user, AuditAction.EXPORT, List.of(survey.id()), Map.of("format", requested)).map(model))
        .onFailure(ctx::fail)
        .onSuccess(model -> {
          String name = survey.id() + "-responses-" + clock.instant().toString().substring(0, 10) + "." + requested;
          ctx.response()
              .putHeader("Content-Type", format == ResponseExport.Format.CSV ? "text/csv; charset=utf-8"
                  : "application/x-ndjson; charset=utf-8")
              .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
              .putHeader("Cache-Control", "no-store");
          export.stream(survey, format, themes.themeIds(survey.id()).orElse(Map.of()), ctx.response());
        });
  }
}
