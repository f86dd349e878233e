package org.heard.export;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static org.heard.auth.Role.ANALYST;

import java.util.List;
import org.heard.http.FeatureRoutes;
import org.heard.http.StaffRoute;

/** Response exports for analysts, from the API (token) and from the digest page (session). */
public final class ExportRoutes implements FeatureRoutes {
  private final ExportApi api;

  public ExportRoutes(ExportApi api) {
    this.api = api;
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    return List.of(
        StaffRoute.page("DIGEST_EXPORT", GET, "/staff/digests/:surveyId/export/:format", api::export, ANALYST),
        StaffRoute.page("DIGEST_EXPORT_PREPARE", POST, "/staff/digests/:surveyId/exports/:format", api::prepare, ANALYST),
        StaffRoute.page("EXPORT_DOWNLOAD", GET, "/staff/exports/:exportId", api::download, ANALYST),
        StaffRoute.api("API_EXPORT", GET, "/api/v1/surveys/:surveyId/export", api::export, ANALYST),
        StaffRoute.api("API_EXPORT_PREPARE", POST, "/api/v1/surveys/:surveyId/exports", api::prepare, ANALYST),
        StaffRoute.api("API_EXPORT_DOWNLOAD", GET, "/api/v1/exports/:exportId", api::download, ANALYST));
  }
}
