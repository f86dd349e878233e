package org.heard.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.heard.http.FeatureRoutes;
import org.heard.http.MediaTypes;

/** The public JSON API: open surveys, a survey's definition, submitting a response, and the API's description. */
public final class ApiRoutes implements FeatureRoutes {
  private final SurveyApi surveys;
  private final ResponseApi responses;
  private final OpenApiDocument description = new OpenApiDocument();

  public ApiRoutes(SurveyApi surveys, ResponseApi responses) {
    this.surveys = surveys;
    this.responses = responses;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/openapi.json").handler(description::serve);
    router.get("/api/v1/surveys").handler(surveys::listOpen);
    router.get("/api/v1/surveys/:surveyId").handler(surveys::definition);
    // The media type is checked on a route of its own so nothing is read from a body we refuse.
    String path = "/api/v1/surveys/:surveyId/responses";
    router.post(path).handler(MediaTypes::requireJson);
    router.post(path)
        .handler(BodyHandler.create(false).setBodyLimit(ResponseApi.MAX_BODY_BYTES))
        .handler(responses::submit);
  }
}
