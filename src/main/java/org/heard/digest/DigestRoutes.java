package org.heard.digest;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static org.heard.auth.Role.ADMIN;
import static org.heard.auth.Role.ANALYST;
import static org.heard.auth.Role.BOARD;

import java.util.List;
import org.heard.http.FeatureRoutes;
import org.heard.http.StaffRoute;
import org.heard.http.StaffSection;

/** Digests as pages and JSON, a theme's comments, the indicator pack, and the recount. */
public final class DigestRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("staff-digests", "staff-digest", "staff-theme");
  public static final StaffSection SECTION = new StaffSection("/staff/digests", "Digests",
      "responses, indicators, themes, reach and actions for a period; print it for the board", List.of(ANALYST, BOARD));

  private final DigestPages pages;
  private final DigestApi api;

  public DigestRoutes(DigestPages pages, DigestApi api) {
    this.pages = pages;
    this.api = api;
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    return List.of(
        StaffRoute.page("DIGESTS", GET, "/staff/digests", pages::list, ANALYST, BOARD),
        StaffRoute.page("DIGEST", GET, "/staff/digests/:surveyId", pages::page, ANALYST, BOARD),
        StaffRoute.page("DIGEST_THEME", GET, "/staff/digests/:surveyId/themes/:themeId", pages::theme, ANALYST, BOARD),
        StaffRoute.api("API_DIGEST", GET, "/api/v1/surveys/:surveyId/digest", api::digest, ANALYST, BOARD),
        StaffRoute.api("API_PACK", GET, "/api/v1/surveys/:surveyId/indicator-pack", api::indicatorPack, ANALYST, BOARD),
        StaffRoute.api("API_PACK_IMPORT", POST, "/api/v1/indicator-packs", api::importPack, ANALYST),
        StaffRoute.api("API_RECOUNT", POST, "/api/v1/digest-counts/recount", api::recount, ADMIN));
  }
}
