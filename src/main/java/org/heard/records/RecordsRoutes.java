package org.heard.records;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static org.heard.auth.Role.ANALYST;
import static org.heard.auth.Role.OUTREACH;

import java.util.List;
import org.heard.http.FeatureRoutes;
import org.heard.http.StaffRoute;

/** One stored response for staff (every read audited), and corrections of paper responses. */
public final class RecordsRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("staff-response");
  private final ResponsePages pages;
  private final RecordsApi api;

  public RecordsRoutes(ResponsePages pages, RecordsApi api) {
    this.pages = pages;
    this.api = api;
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    return List.of(
        StaffRoute.page("RESPONSE", GET, "/staff/responses/:responseId", pages::show, OUTREACH, ANALYST),
        StaffRoute.page("CORRECT", POST, "/staff/responses/:responseId", pages::correct, OUTREACH),
        StaffRoute.api("API_RESPONSE", GET, "/api/v1/staff/responses/:responseId", api::response, ANALYST));
  }
}
