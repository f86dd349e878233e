package org.heard.export;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.StaffUser;
import org.heard.error.ClientText;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.Json;
import org.heard.http.StaffGate;
import org.heard.http.StaffView;
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
  private final ExportJobs prepared;

  public ExportApi(SurveyCatalog catalog, ResponseExport export, ThemeService themes, AuditLog audit, Clock clock,
                   ExportJobs prepared) {
    this.catalog = catalog;
    this.export = export;
    this.themes = themes;
    this.audit = audit;
    this.clock = clock;
    this.prepared = prepared;
  }

  /**
   * CSV, JSON Lines or .xlsx of a survey's responses (all, or received {@code from}..{@code to},
   * dates in the partnership's zone, inclusive), streamed; or its codebook. Audited before it starts.
   */
  public void export(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    SurveyDefinition survey = catalog.require(ctx.pathParam("surveyId"));
    String requested = requested(ctx);
    ResponseExport.Format format = format(requested, true);
    ResponseExport.Range range = range(ctx);
    // The export takes the theme model there is (the digest and theme pages build it) and never
    // waits for a build: a first build of a large survey takes minutes, and the export's connection
    // would sit silent meanwhile (and be dropped as idle).
    Optional<Map<String, List<String>>> themeIds = themes.themeIds(survey.id());
    audit.record(user, AuditAction.EXPORT, List.of(survey.id()), details(ctx, requested, range))
        .onFailure(ctx::fail)
        .onSuccess(recorded -> {
          Map<String, String> labels = themes.labels(survey.id());
          if (format == null) {
            export.codebookCsv(survey, labels).onFailure(ctx::fail).onSuccess(csv -> ctx.response()
                .putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"" + survey.id() + "-codebook.csv\"")
                .putHeader("Cache-Control", "no-store")
                .end(csv));
            return;
          }
          ctx.response()
              .putHeader("Content-Type", contentType(format))
              .putHeader("Content-Disposition", "attachment; filename=\"" + fileName(survey, format) + "\"")
              .putHeader("Cache-Control", "no-store");
          export.stream(survey, format, range, themeIds.orElse(Map.of()), labels, ctx.response());
        });
  }

  /**
   * Prepares the export in the background (a large one takes minutes): the API answers 202 with
   * where to follow it and fetch it; the staff page goes to its progress page. Audited when asked.
   */
  public void prepare(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    SurveyDefinition survey = catalog.require(ctx.pathParam("surveyId"));
    String requested = requested(ctx);
    ResponseExport.Format format = format(requested, false);
    ResponseExport.Range range = range(ctx);
    Map<String, Object> details = details(ctx, requested, range);
    details.put("background", true);
    audit.record(user, AuditAction.EXPORT, List.of(survey.id()), details)
        .compose(recorded -> prepared.start(user, survey, format, range,
            themes.themeIds(survey.id()).orElse(Map.of()), themes.labels(survey.id()), fileName(survey, format),
            contentType(format)))
        .onFailure(ctx::fail)
        .onSuccess(started -> {
          if (ctx.request().path().startsWith("/staff/")) {
            StaffView.seeOther(ctx, "/staff/jobs/" + started.job());
          } else {
            Json.send(ctx, 202, new JsonObject().put("export", started.id()).put("job", started.job())
                .put("progress", started.progress()).put("download", started.download()));
          }
        });
  }

  /** A prepared export, for the member of staff who asked for it; each download audited. */
  public void download(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    String id = ctx.pathParam("exportId");
    audit.record(user, AuditAction.EXPORT, List.of(id), Map.of("download", id))
        .compose(recorded -> prepared.send(user, id, ctx.response()))
        .onFailure(error -> {
          if (!ctx.response().headWritten()) {
            ctx.fail(error);
          }
        });
  }

  private static String requested(RoutingContext ctx) {
    return ctx.pathParam("format") != null ? ctx.pathParam("format") : ctx.request().getParam("format", "csv");
  }

  private static ResponseExport.Format format(String requested, boolean codebook) {
    return switch (requested) {
      case "csv" -> ResponseExport.Format.CSV;
      case "jsonl" -> ResponseExport.Format.JSONL;
      case "xlsx" -> ResponseExport.Format.XLSX;
      case "codebook" -> {
        if (codebook) {
          yield null;
        }
        throw new HeardException.BadRequest("invalid-query", "Check the query.",
            List.of(new FieldError("format", "not_an_option", "the codebook is downloaded at once, not prepared")));
      }
      default -> throw new HeardException.BadRequest("invalid-query", "Check the query.",
          List.of(new FieldError("format", "not_an_option", "format must be csv, jsonl, xlsx or codebook")));
    };
  }

  private static Map<String, Object> details(RoutingContext ctx, String requested, ResponseExport.Range range) {
    Map<String, Object> details = new LinkedHashMap<>(Map.of("format", requested));
    if (range.from() != null) {
      details.put("from", ctx.request().getParam("from"));
    }
    if (range.to() != null) {
      details.put("to", ctx.request().getParam("to"));
    }
    return details;
  }

  private String fileName(SurveyDefinition survey, ResponseExport.Format format) {
    String day = clock.instant().atZone(catalog.partnership().timezone()).toLocalDate().toString();
    return survey.id() + "-responses-" + day + "." + format.name().toLowerCase(Locale.ROOT);
  }

  private static String contentType(ResponseExport.Format format) {
    return switch (format) {
      case CSV -> "text/csv; charset=utf-8";
      case JSONL -> "application/x-ndjson; charset=utf-8";
      case XLSX -> "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    };
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
