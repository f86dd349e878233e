package org.heard.actions;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static org.heard.auth.Role.ANALYST;

import io.vertx.ext.web.Router;
import java.util.List;
import org.heard.http.FeatureRoutes;
import org.heard.http.StaffRoute;
import org.heard.http.StaffSection;

/** "You said, we did": analysts' action pages, and the public page of published actions. */
public final class ActionRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("you-said-we-did", "staff-actions", "staff-action");
  public static final StaffSection SECTION = new StaffSection("/staff/actions", "You said, we did",
      "record and publish what was done about a theme", List.of(ANALYST));

  private final ActionPages pages;
  private final YouSaidWeDidPage publicPage;

  public ActionRoutes(ActionPages pages, YouSaidWeDidPage publicPage) {
    this.pages = pages;
    this.publicPage = publicPage;
  }

  @Override
  public void mount(Router router) {
    router.get("/you-said-we-did").handler(publicPage::show);
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    return List.of(
        StaffRoute.page("ACTIONS", GET, "/staff/actions", pages::list, ANALYST),
        StaffRoute.page("ACTION_CREATE", POST, "/staff/actions", pages::create, ANALYST),
        StaffRoute.page("ACTION", GET, "/staff/actions/:actionId", pages::show, ANALYST),
        StaffRoute.page("ACTION_UPDATE", POST, "/staff/actions/:actionId", pages::update, ANALYST));
  }
}
