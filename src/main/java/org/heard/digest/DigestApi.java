package org.heard.digest;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.Json;
import org.heard.http.StaffGate;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.themes.ThemeQuery;
import org.heard.themes.ThemeRequests;

/**
 * The digest as JSON, the indicator pack (export for analysts and boards, import for analysts) and
 * the recount of digest counts (administrators). Every read is audited.
 */
public final class DigestApi {
  private final SurveyCatalog catalog;
  private final DigestService digests;
  private final IndicatorPacks packs;
  private final Recount recount;
  private final AuditLog audit;
  private final Clock clock;

  public DigestApi(SurveyCatalog catalog, DigestService digests, IndicatorPacks packs, Recount recount,
                   AuditLog audit, Clock clock) {
    this.recount = recount;
    this.catalog = catalog;
    this.digests = digests;
    this.packs = packs;
    this.audit = audit;
    this.clock = clock;
  }

  public void digest(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    SurveyDefinition survey = catalog.require(ctx.pathParam("surveyId"));
    ThemeQuery query = ThemeRequests.query(ctx, survey, catalog, clock);
    digests.digest(survey, query.from(), query.to(), query.area())
        .compose(digest -> audit.record(user, AuditAction.DIGEST_VIEWED, List.of(survey.id()), Map.of("from", query.from().toString(),
            "to", query.to().toString(), "area", query.area() == null ? "all" : query.area())).map(digest))
        .onSuccess(digest -> Json.send(ctx, 200, digest))
        .onFailure(ctx::fail);
  }

  public void indicatorPack(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    SurveyDefinition survey = catalog.require(ctx.pathParam("surveyId"));
    ThemeQuery query = ThemeRequests.query(ctx, survey, catalog, clock);
    int periods;
    try {
      periods = Integer.parseInt(ctx.request().getParam("periods", "4"));
    } catch (NumberFormatException e) {
      periods = -1;
    }
    if (periods < 1 || periods > 24) {
      throw new HeardException.BadRequest("invalid-query", "Check the query.",
          List.of(new FieldError("periods", "out_of_range", "periods must be a whole number from 1 to 24")));
    }
    packs.export(survey, query.from(), query.to(), periods)
        .compose(pack -> audit.record(user, AuditAction.EXPORT, List.of(survey.id()), Map.of("format", "indicator-pack")).map(pack))
        .onSuccess(pack -> {
          ctx.response().putHeader("Content-Disposition", "attachment; filename=\"" + survey.id() + "-indicator-pack.json\"");
          Json.send(ctx, 200, pack);
        })
        .onFailure(ctx::fail);
  }

  public void importPack(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    Object decoded = Json.decodeStrict(ctx.body().buffer());
    if (!(decoded instanceof JsonObject pack)) {
      throw new HeardException.BadRequest("invalid-pack", "Send the indicator pack as one JSON object.");
    }
    packs.importPack(pack)
        .compose(stored -> audit.record(user, AuditAction.PACK_IMPORTED, List.of(stored.getString("_id")),
                Map.of("partnership", stored.getString("partnership")))
            .map(stored))
        .onSuccess(stored -> Json.send(ctx, 201, new JsonObject().put("id", stored.getString("_id"))
            .put("partnership", stored.getString("partnership")).put("survey", stored.getString("survey"))
            .put("periods", stored.getJsonArray("periods").size())))
        .onFailure(ctx::fail);
  }

  /**
   * Starts rebuilding the digest counts from the stored responses (admin; after a crash or a restore)
   * as a background job: answered at once, 202, with where to follow it.
   */
  public void recount(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    String progress = "/api/v1/jobs/" + Recount.JOB;
    recount.start(user.email())
        .compose(run -> audit.record(user, AuditAction.DIGEST_RECOUNTED, List.of(run), Map.of()).map(run))
        .onSuccess(run -> {
          ctx.response().putHeader("Location", progress);
          Json.send(ctx, 202, new JsonObject().put("job", Recount.JOB).put("run", run).put("state", "running")
              .put("progress", progress));
        })
        .onFailure(ctx::fail);
  }
}
