package org.heard.preview;

import static io.vertx.core.http.HttpMethod.GET;
import static org.heard.auth.Role.ANALYST;
import static org.heard.auth.Role.BOARD;
import static org.heard.auth.Role.OUTREACH;

import java.util.List;
import org.heard.http.FeatureRoutes;
import org.heard.http.StaffRoute;
import org.heard.http.StaffSection;

/** Seeing a survey on every channel before it opens: its web pages, its SMS conversation, its paper form. */
public final class PreviewRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("staff-previews", "staff-preview");
  public static final StaffSection SECTION = new StaffSection("/staff/preview", "Survey previews",
      "each survey's web pages, SMS conversation and paper form, in each language", List.of(ANALYST, OUTREACH, BOARD));

  private final PreviewPages pages;

  public PreviewRoutes(PreviewPages pages) {
    this.pages = pages;
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    return List.of(
        StaffRoute.page("PREVIEWS", GET, "/staff/preview", pages::list, ANALYST, OUTREACH, BOARD),
        StaffRoute.page("PREVIEW", GET, "/staff/surveys/:surveyId/preview", pages::survey, ANALYST, OUTREACH, BOARD));
  }
}
