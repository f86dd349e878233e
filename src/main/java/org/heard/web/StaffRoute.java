package org.heard.web;

import io.vertx.core.http.HttpMethod;
import java.util.EnumSet;
import java.util.Set;
import org.heard.auth.Role;

/**
 * Every staff page and staff API route, with the roles that may use it (administrators may use
 * all). Being one table, every route is checked the same way, and the role test walks all of them.
 */
public enum StaffRoute {
  HOME(HttpMethod.GET, "/staff", Kind.PAGE, Role.OUTREACH, Role.ANALYST, Role.BOARD),
  LOGOUT(HttpMethod.POST, "/staff/logout", Kind.PAGE, Role.OUTREACH, Role.ANALYST, Role.BOARD),

  ACCOUNTS(HttpMethod.GET, "/staff/accounts", Kind.PAGE, Role.ADMIN),
  ACCOUNT_CREATE(HttpMethod.POST, "/staff/accounts", Kind.PAGE, Role.ADMIN),
  ACCOUNT(HttpMethod.GET, "/staff/accounts/:accountId", Kind.PAGE, Role.ADMIN),
  ACCOUNT_UPDATE(HttpMethod.POST, "/staff/accounts/:accountId", Kind.PAGE, Role.ADMIN),
  AUDIT(HttpMethod.GET, "/staff/audit", Kind.PAGE, Role.ADMIN),
  ERASURE(HttpMethod.GET, "/staff/erasure", Kind.PAGE, Role.ADMIN),
  ERASE(HttpMethod.POST, "/staff/erasure", Kind.PAGE, Role.ADMIN),

  ENTRY_SURVEYS(HttpMethod.GET, "/staff/entry", Kind.PAGE, Role.OUTREACH),
  ENTRY_START(HttpMethod.GET, "/staff/entry/:surveyId", Kind.PAGE, Role.OUTREACH),
  BATCH_CREATE(HttpMethod.POST, "/staff/entry/:surveyId", Kind.PAGE, Role.OUTREACH),
  BATCH(HttpMethod.GET, "/staff/entry/:surveyId/batches/:batchId", Kind.PAGE, Role.OUTREACH),
  BATCH_ENTER(HttpMethod.POST, "/staff/entry/:surveyId/batches/:batchId", Kind.PAGE, Role.OUTREACH),
  CSV_TEMPLATE(HttpMethod.GET, "/staff/entry/:surveyId/template.csv", Kind.PAGE, Role.OUTREACH),
  IMPORT_FORM(HttpMethod.GET, "/staff/entry/:surveyId/import", Kind.PAGE, Role.OUTREACH),
  IMPORT(HttpMethod.POST, "/staff/entry/:surveyId/import", Kind.UPLOAD, Role.OUTREACH),
  MISMATCH(HttpMethod.GET, "/staff/entry/:surveyId/serials/:serial", Kind.PAGE, Role.OUTREACH),
  RESOLVE(HttpMethod.POST, "/staff/entry/:surveyId/serials/:serial", Kind.PAGE, Role.OUTREACH),

  RESPONSE(HttpMethod.GET, "/staff/responses/:responseId", Kind.PAGE, Role.OUTREACH, Role.ANALYST),
  CORRECT(HttpMethod.POST, "/staff/responses/:responseId", Kind.PAGE, Role.OUTREACH),

  DIGESTS(HttpMethod.GET, "/staff/digests", Kind.PAGE, Role.ANALYST, Role.BOARD),
  DIGEST(HttpMethod.GET, "/staff/digests/:surveyId", Kind.PAGE, Role.ANALYST, Role.BOARD),
  DIGEST_THEME(HttpMethod.GET, "/staff/digests/:surveyId/themes/:themeId", Kind.PAGE, Role.ANALYST, Role.BOARD),
  DIGEST_EXPORT(HttpMethod.GET, "/staff/digests/:surveyId/export/:format", Kind.PAGE, Role.ANALYST),
  ACTIONS(HttpMethod.GET, "/staff/actions", Kind.PAGE, Role.ANALYST),
  ACTION_CREATE(HttpMethod.POST, "/staff/actions", Kind.PAGE, Role.ANALYST),
  ACTION(HttpMethod.GET, "/staff/actions/:actionId", Kind.PAGE, Role.ANALYST),
  ACTION_UPDATE(HttpMethod.POST, "/staff/actions/:actionId", Kind.PAGE, Role.ANALYST),

  API_TOKENS(HttpMethod.GET, "/api/v1/auth/tokens", Kind.API, Role.ADMIN),
  API_TOKEN_REVOKE(HttpMethod.DELETE, "/api/v1/auth/tokens/:tokenId", Kind.API, Role.ADMIN),
  API_RESPONSE(HttpMethod.GET, "/api/v1/staff/responses/:responseId", Kind.API, Role.ANALYST),
  API_AUDIT(HttpMethod.GET, "/api/v1/audit", Kind.API, Role.ADMIN),
  API_THEMES(HttpMethod.GET, "/api/v1/surveys/:surveyId/themes", Kind.API, Role.ANALYST, Role.BOARD),
  API_THEME_COMMENTS(HttpMethod.GET, "/api/v1/surveys/:surveyId/themes/:themeId/comments", Kind.API, Role.ANALYST, Role.BOARD),
  API_DIGEST(HttpMethod.GET, "/api/v1/surveys/:surveyId/digest", Kind.API, Role.ANALYST, Role.BOARD),
  API_EXPORT(HttpMethod.GET, "/api/v1/surveys/:surveyId/export", Kind.API, Role.ANALYST),
  API_PACK(HttpMethod.GET, "/api/v1/surveys/:surveyId/indicator-pack", Kind.API, Role.ANALYST, Role.BOARD),
  API_PACK_IMPORT(HttpMethod.POST, "/api/v1/indicator-packs", Kind.API, Role.ANALYST),
  API_RECOUNT(HttpMethod.POST, "/api/v1/digest-counts/recount", Kind.API, Role.ADMIN),
  API_ERASE(HttpMethod.POST, "/api/v1/erasures", Kind.API, Role.ADMIN);

  /** A page for people (session cookie, CSRF on POST), an upload page, or a JSON API call (bearer token). */
  public enum Kind { PAGE, UPLOAD, API }

  private final HttpMethod method;
  private final String path;
  private final Kind kind;
  private final Set<Role> roles;

  StaffRoute(HttpMethod method, String path, Kind kind, Role first, Role... more) {
    this.method = method;
    this.path = path;
    this.kind = kind;
    this.roles = Set.copyOf(EnumSet.of(first, more));
  }

  public HttpMethod method() {
    return method;
  }

  public String path() {
    return path;
  }

  public Kind kind() {
    return kind;
  }

  public Set<Role> roles() {
    return roles;
  }
}
