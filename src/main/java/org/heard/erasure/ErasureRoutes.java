package org.heard.erasure;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static org.heard.auth.Role.ADMIN;

import java.util.List;
import org.heard.http.FeatureRoutes;
import org.heard.http.StaffRoute;
import org.heard.http.StaffSection;

/** Erasure, for administrators: a page and the API. */
public final class ErasureRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("staff-erasure");
  public static final StaffSection SECTION = new StaffSection("/staff/erasure", "Erasure",
      "erase everything held about one respondent or response", List.of());

  private final ErasurePages pages;
  private final ErasureApi api;

  public ErasureRoutes(ErasurePages pages, ErasureApi api) {
    this.pages = pages;
    this.api = api;
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    return List.of(
        StaffRoute.page("ERASURE", GET, "/staff/erasure", pages::erasureForm, ADMIN),
        StaffRoute.page("ERASE", POST, "/staff/erasure", pages::erase, ADMIN),
        StaffRoute.api("API_ERASE", POST, "/api/v1/erasures", api::erase, ADMIN));
  }
}
