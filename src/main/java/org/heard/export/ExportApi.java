package org.heard.export;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.StaffUser;
import org.heard.error.ClientText;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.StaffGate;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.themes.ThemeService;

/**
 * The response exports (CSV, JSON Lines, xlsx, and the codebook; analysts; audited). The handler serves both the API
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

  /**
   * CSV, JSON Lines or .xlsx of a survey's responses (all, or received {@code from}..{@code to},
   * dates in the partnership's zone, inclusive), streamed; or its codebook. Audited before it starts.
   */
  public void export(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    SurveyDefinition survey = catalog.require(ctx.pathParam("surveyId"));
    String requested = ctx.pathParam("format") != null ? ctx.pathParam("format") : ctx.request().getParam("format", "csv");
    ResponseExport.Format format = switch (requested) {
      case "csv" -> ResponseExport.Format.CSV;
      case "jsonl" -> ResponseExport.Format.JSONL;
      case "xlsx" -> ResponseExport.Format.XLSX;
      case "codebook" -> null;
      default -> throw new HeardException.BadRequest("invalid-query", "Check the query.",
          List.of(new FieldError("format", "not_an_option", "format must be csv, jsonl, xlsx or codebook")));
    };
    ResponseExport.Range range = range(ctx);
    Map<String, Object> details = new LinkedHashMap<>(Map.of("format", requested));
    if (range.from() != null) {
      details.put("from", ctx.request().getParam("from"));
    }
    if (range.to() != null) {
      details.put("to", ctx.request().getParam("to"));
    }
    // The export takes the theme model there is (the digest and theme pages build it) and never
    // waits for a build: a first build of a large survey takes minutes, and the export's connection
    // would sit silent meanwhile (and be dropped as idle).
    Optional<Map<String, List<String>>> themeIds = themes.themeIds(survey.id());
    audit.record(user, AuditAction.EXPORT, List.of(survey.id()), details)
        .onFailure(ctx::fail)
        .onSuccess(recorded -> {
          String day = clock.instant().atZone(catalog.partnership().timezone()).toLocalDate().toString();
          Map<String, String> labels = themes.labels(survey.id());
          if (format == null) {
            export.codebookCsv(survey, labels).onFailure(ctx::fail).onSuccess(csv -> ctx.response()
                .putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"" + survey.id() + "-codebook.csv\"")
                .putHeader("Cache-Control", "no-store")
                .end(csv));
            return;
          }
          String extension = format == ResponseExport.Format.XLSX ? "xlsx" : requested;
          String name = survey.id() + "-responses-" + day + "." + extension;
          ctx.response()
              .putHeader("Content-Type", switch (format) {
                case CSV -> "text/csv; charset=utf-8";
                case JSONL -> "application/x-ndjson; charset=utf-8";
                case XLSX -> "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
              })
              .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
              .putHeader("Cache-Control", "no-store");
          export.stream(survey, format, range, themeIds.orElse(Map.of()), labels, ctx.response());
        });
  }

  /** {@code from} and {@code to} as days (YYYY-MM-DD) in the partnership's zone, both included. */
  private ResponseExport.Range range(RoutingContext ctx) {
    ZoneId zone = catalog.partnership().timezone();
    List<FieldError> errors = new ArrayList<>();
    LocalDate from = day(ctx.request().getParam("from"), "from", errors);
    LocalDate to = day(ctx.request().getParam("to"), "to", errors);
    if (errors.isEmpty() && from != null && to != null && from.isAfter(to)) {
      errors.add(new FieldError("to", "before_from", "to (" + to + ") is before from (" + from + ")"));
    }
    if (!errors.isEmpty()) {
      throw new HeardException.BadRequest("invalid-query", "Check the dates.", errors);
    }
    return new ResponseExport.Range(from == null ? null : from.atStartOfDay(zone).toInstant(),
        to == null ? null : to.plusDays(1).atStartOfDay(zone).toInstant());
  }

  private static LocalDate day(String value, String name, List<FieldError> errors) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(name, "wrong_type", name + " must be a date like 2026-11-30, not '"
          + ClientText.shorten(value) + "'"));
      return null;
    }
  }
}
