package org.heard.definitions;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static org.heard.auth.Role.ADMIN;

import java.util.List;
import org.heard.http.FeatureRoutes;
import org.heard.http.StaffRoute;
import org.heard.http.StaffSection;

/** Administrators change the surveys while the server runs: upload a definition, or reload the surveys folder. */
public final class DefinitionRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("staff-definitions");
  public static final StaffSection SECTION = new StaffSection("/staff/definitions", "Survey definitions",
      "upload a changed survey or reload the survey files, without a restart", List.of(ADMIN));

  private final DefinitionPages pages;

  public DefinitionRoutes(DefinitionPages pages) {
    this.pages = pages;
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    return List.of(
        StaffRoute.page("DEFINITIONS", GET, "/staff/definitions", pages::list, ADMIN),
        StaffRoute.upload("DEFINITION_UPLOAD", "/staff/definitions", DefinitionPages.MAX_UPLOAD_BYTES, pages::upload, ADMIN),
        StaffRoute.page("DEFINITIONS_RELOAD", POST, "/staff/definitions/reload", pages::reload, ADMIN));
  }
}
