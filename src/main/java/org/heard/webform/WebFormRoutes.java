package org.heard.webform;

import io.vertx.ext.web.Router;
import java.util.List;
import org.heard.http.FeatureRoutes;
import org.heard.http.KeptFormBody;

/** The residents' web form: the survey list, form pages, check your answers, confirmation. */
public final class WebFormRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("list", "page", "check", "done");
  private final WebFormPages forms;

  public WebFormRoutes(WebFormPages forms) {
    this.forms = forms;
  }

  @Override
  public void mount(Router router) {
    router.get("/").handler(forms::list);
    router.get("/surveys/:surveyId").handler(forms::page);
    router.get("/surveys/:surveyId/page/:page").handler(forms::page);
    router.get("/surveys/:surveyId/check").handler(forms::check);
    router.get("/surveys/:surveyId/done").handler(forms::done);
    router.get("/surveys/:surveyId/again").handler(forms::again);
    KeptFormBody formBody = new KeptFormBody(WebFormPages.MAX_BODY_BYTES, WebFormPages.MAX_DRAINED_BYTES);
    router.post("/surveys/:surveyId").handler(formBody).handler(forms::submitPage);
    router.post("/surveys/:surveyId/page/:page").handler(formBody).handler(forms::submitPage);
    router.post("/surveys/:surveyId/check").handler(formBody).handler(forms::submit);
  }
}
