package org.heard.themes;

import static io.vertx.core.http.HttpMethod.GET;
import static org.heard.auth.Role.ANALYST;
import static org.heard.auth.Role.BOARD;

import java.util.List;
import org.heard.http.FeatureRoutes;
import org.heard.http.StaffRoute;

/** The themes API for analysts and boards. */
public final class ThemeRoutes implements FeatureRoutes {
  private final ThemeApi api;

  public ThemeRoutes(ThemeApi api) {
    this.api = api;
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    String survey = "/api/v1/surveys/:surveyId";
    return List.of(
        StaffRoute.api("API_THEMES", GET, survey + "/themes", api::themes, ANALYST, BOARD),
        StaffRoute.api("API_THEME_COMMENTS", GET, survey + "/themes/:themeId/comments", api::comments, ANALYST, BOARD));
  }
}
