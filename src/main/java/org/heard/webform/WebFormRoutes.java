package org.heard.webform;

import static io.vertx.core.http.HttpMethod.GET;

import io.vertx.ext.web.Router;
import java.util.List;
import org.heard.auth.Role;
import org.heard.http.FeatureRoutes;
import org.heard.http.KeptFormBody;
import org.heard.http.StaffRoute;

/** The residents' web form: the survey list, form pages, check your answers, confirmation. */
public final class WebFormRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("list", "page", "check", "done");
  private final WebFormPages forms;

  public WebFormRoutes(WebFormPages forms) {
    this.forms = forms;
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    return List.of(StaffRoute.page("PREVIEW_WEB_PAGE", GET, "/staff/surveys/:surveyId/preview/page/:page",
        forms::previewPage, Role.ANALYST, Role.OUTREACH, Role.BOARD));
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
