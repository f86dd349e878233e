package org.heard.themes;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.Role;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.Json;
import org.heard.http.StaffGate;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;

/**
 * {@code GET /api/v1/surveys/{id}/themes?from=&to=&area=&channel=&group=question:value&question=&include=members}
 * for analysts and boards; only analysts (and admins) may ask for the member response ids.
 */
public final class ThemeApi {
  private final SurveyCatalog catalog;
  private final ThemeService themes;
  private final ThemeComments comments;
  private final AuditLog audit;
  private final Clock clock;

  public ThemeApi(SurveyCatalog catalog, ThemeService themes, ThemeComments comments, AuditLog audit, Clock clock) {
    this.catalog = catalog;
    this.themes = themes;
    this.comments = comments;
    this.audit = audit;
    this.clock = clock;
  }

  public void themes(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    SurveyDefinition survey = catalog.require(ctx.pathParam("surveyId"));
    ThemeQuery query = ThemeRequests.query(ctx, survey, catalog, clock);
    String include = ctx.request().getParam("include");
    if (include != null && !include.equals("members")) {
      throw new HeardException.BadRequest("invalid-query", "Check the query.",
          List.of(new FieldError("include", "not_an_option", "include can only be 'members'")));
    }
    boolean members = "members".equals(include);
    if (members && !analyst(user)) {
      throw new HeardException.Forbidden("members-need-analyst",
          "Only analysts may list the responses in each theme; ask without include=members.");
    }
    themes.report(survey.id(), query, members)
        .compose(report -> audit.record(user, AuditAction.THEMES_VIEWED, List.of(survey.id()),
                Map.of("from", query.from().toString(), "to", query.to().toString(), "members", members))
            .map(report))
        // Analysts read the responses themselves; everyone else sees small numbers suppressed.
        .onSuccess(report -> Json.send(ctx, 200, analyst(user) ? report : ThemeDisclosure.forBoards(report)))
        .onFailure(ctx::fail);
  }

  private static boolean analyst(StaffUser user) {
    return user.role() == Role.ANALYST || user.role() == Role.ADMIN;
  }

  /**
   * {@code GET /api/v1/surveys/{id}/themes/{themeId}/comments?from=&to=&area=...}: every redacted
   * comment of a theme in the period (withheld when fewer than 5, like every small number).
   */
  public void comments(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    SurveyDefinition survey = catalog.require(ctx.pathParam("surveyId"));
    ThemeQuery query = ThemeRequests.query(ctx, survey, catalog, clock);
    comments.read(user, survey, ctx.pathParam("themeId"), query)
        .onSuccess(found -> Json.send(ctx, 200, found))
        .onFailure(ctx::fail);
  }

}
