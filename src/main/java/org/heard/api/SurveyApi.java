package org.heard.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.heard.error.ClientText;
import org.heard.error.HeardException;
import org.heard.http.Json;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyJson;

/** {@code GET /api/v1/surveys} and {@code GET /api/v1/surveys/{id}}: the survey definitions. */
public final class SurveyApi {
  private final SurveyCatalog catalog;

  public SurveyApi(SurveyCatalog catalog) {
    this.catalog = catalog;
  }

  public void listOpen(RoutingContext ctx) {
    JsonArray surveys = new JsonArray();
    catalog.openNow().forEach(s -> surveys.add(SurveyJson.summary(s, true)));
    Json.send(ctx, 200, new JsonObject().put("surveys", surveys));
  }

  public void definition(RoutingContext ctx) {
    String id = ctx.pathParam("surveyId");
    SurveyDefinition survey = catalog.find(id).orElseThrow(() ->
        new HeardException.NotFound("unknown-survey", "There is no survey with id '" + ClientText.shorten(id) + "'."));
    Json.send(ctx, 200, SurveyJson.definition(survey, survey.isOpenNow(catalog.partnership().timezone())));
  }
}
