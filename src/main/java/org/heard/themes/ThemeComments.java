package org.heard.themes;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.StaffUser;
import org.heard.error.ClientText;
import org.heard.error.HeardException;
import org.heard.privacy.SmallNumbers;
import org.heard.survey.SurveyDefinition;

/**
 * A theme's redacted comments in a period, for staff (the digest page and the API alike): 404 for an
 * unknown theme, none listed under 5 comments, and every read audited before it is shown.
 */
public final class ThemeComments {
  private final ThemeService themes;
  private final AuditLog audit;

  public ThemeComments(ThemeService themes, AuditLog audit) {
    this.themes = themes;
    this.audit = audit;
  }

  public Future<JsonObject> read(StaffUser user, SurveyDefinition survey, String themeId, ThemeQuery query) {
    return themes.comments(survey.id(), themeId, query).compose(found -> {
      if (found == null) {
        return Future.failedFuture(new HeardException.NotFound("unknown-theme",
            "Survey '" + survey.id() + "' has no theme '" + ClientText.shorten(themeId) + "'."));
      }
      int size = found.getInteger("size");
      if (SmallNumbers.suppressed(size)) {
        found.putNull("size").put("comments", new JsonArray()).put("suppressed", true);
      }
      return audit.record(user, AuditAction.THEMES_VIEWED, List.of(survey.id(), themeId),
              Map.of("from", query.from().toString(), "to", query.to().toString(), "comments", true))
          .map(found);
    });
  }
}
