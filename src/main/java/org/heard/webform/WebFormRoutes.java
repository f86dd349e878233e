package org.heard.webform;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import org.heard.http.FeatureRoutes;

/** The residents' web form: the survey list, form pages, check your answers, confirmation. */
public final class WebFormRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("list", "page", "check", "done");
  private final WebFormPages forms;
  private final PostRateLimiter postLimiter;

  public WebFormRoutes(WebFormPages forms, PostRateLimiter postLimiter) {
    this.forms = forms;
    this.postLimiter = postLimiter;
  }

  @Override
  public void mount(Router router) {
    router.get("/").handler(forms::list);
    router.get("/surveys/:surveyId").handler(forms::page);
    router.get("/surveys/:surveyId/page/:page").handler(forms::page);
    router.get("/surveys/:surveyId/check").handler(forms::check);
    router.get("/surveys/:surveyId/done").handler(forms::done);
    router.post("/surveys/*").handler(postLimiter::handle);
    BodyHandler formBody = BodyHandler.create(false).setBodyLimit(WebFormPages.MAX_BODY_BYTES);
    router.post("/surveys/:surveyId").handler(formBody).handler(forms::submitPage);
    router.post("/surveys/:surveyId/page/:page").handler(formBody).handler(forms::submitPage);
    router.post("/surveys/:surveyId/check").handler(formBody).handler(forms::submit);
  }
}
