package org.heard.staff;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static org.heard.auth.Role.ADMIN;
import static org.heard.auth.Role.ANALYST;
import static org.heard.auth.Role.BOARD;
import static org.heard.auth.Role.OUTREACH;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import org.heard.http.FeatureRoutes;
import org.heard.http.GatedRoutes;
import org.heard.http.MediaTypes;
import org.heard.http.StaffRoute;
import org.heard.http.StaffSection;

/** Signing in and out, the staff home page, accounts, API tokens and the audit log. */
public final class StaffRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("staff-login", "staff-home", "staff-accounts", "staff-account", "staff-audit",
      PasswordPage.TEMPLATE);
  public static final List<StaffSection> SECTIONS = List.of(
      new StaffSection("/staff/accounts", "Accounts", "add staff, change roles, disable accounts, reset passwords",
          List.of()),
      new StaffSection("/staff/audit", "Audit log", "who read, entered, corrected or exported what, and when",
          List.of()),
      new StaffSection("/staff/password", "Your password", "change your own password",
          List.of(OUTREACH, ANALYST, BOARD)));

  private final StaffPages pages;
  private final PasswordPage password;
  private final StaffApi api;

  public StaffRoutes(StaffPages pages, PasswordPage password, StaffApi api) {
    this.pages = pages;
    this.password = password;
    this.api = api;
  }

  @Override
  public void mount(Router router) {
    router.get("/staff/login").handler(pages::loginPage);
    router.post("/staff/login").handler(BodyHandler.create(false).setBodyLimit(GatedRoutes.STAFF_FORM_BYTES))
        .handler(pages::login);
    router.post("/api/v1/auth/token").handler(MediaTypes::requireJson);
    router.post("/api/v1/auth/token").handler(BodyHandler.create(false).setBodyLimit(GatedRoutes.STAFF_FORM_BYTES))
        .handler(api::issueToken);
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    return List.of(
        StaffRoute.page("HOME", GET, "/staff", pages::home, OUTREACH, ANALYST, BOARD),
        StaffRoute.page("LOGOUT", POST, "/staff/logout", pages::logout, OUTREACH, ANALYST, BOARD),
        StaffRoute.page("ACCOUNTS", GET, "/staff/accounts", pages::accounts, ADMIN),
        StaffRoute.page("ACCOUNT_CREATE", POST, "/staff/accounts", pages::createAccount, ADMIN),
        StaffRoute.page("ACCOUNT", GET, "/staff/accounts/:accountId", pages::account, ADMIN),
        StaffRoute.page("ACCOUNT_UPDATE", POST, "/staff/accounts/:accountId", pages::updateAccount, ADMIN),
        StaffRoute.page("AUDIT", GET, "/staff/audit", pages::auditPage, ADMIN),
        StaffRoute.page("PASSWORD", GET, "/staff/password", password::form, OUTREACH, ANALYST, BOARD),
        StaffRoute.page("PASSWORD_CHANGE", POST, "/staff/password", password::change, OUTREACH, ANALYST, BOARD),
        StaffRoute.api("API_TOKENS", GET, "/api/v1/auth/tokens", api::listTokens, ADMIN),
        StaffRoute.api("API_TOKEN_REVOKE", DELETE, "/api/v1/auth/tokens/:tokenId", api::revokeToken, ADMIN),
        StaffRoute.api("API_AUDIT", GET, "/api/v1/audit", api::auditLog, ADMIN));
  }
}
