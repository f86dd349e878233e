package org.heard.health;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditLog;
import org.heard.auth.StaffUser;
import org.heard.http.StaffGate;
import org.heard.http.StaffView;

/**
 * {@code /staff/metrics-tokens} (administrators): the metrics tokens by name, a form to issue one
 * (shown once), and revoking. Issuing and revoking are audited.
 */
public final class MetricsTokenPages {
  private final StaffView view;
  private final MetricsTokens tokens;
  private final AuditLog audit;

  public MetricsTokenPages(StaffView view, MetricsTokens tokens, AuditLog audit) {
    this.view = view;
    this.tokens = tokens;
    this.audit = audit;
  }

  public void list(RoutingContext ctx) {
    render(ctx, 200, null, null, null);
  }

  public void issue(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    String name = ctx.request().getFormAttribute("name");
    name = name == null ? "" : name.strip();
    if (name.isEmpty() || name.length() > 60) {
      render(ctx, 422, null, name, "Enter a name for the token of 1 to 60 characters, such as the Prometheus server's");
      return;
    }
    String named = name;
    tokens.issue(named, user.email())
        .compose(issued -> audit.record(user, AuditAction.TOKEN_ISSUED, List.of(issued.id()),
            Map.of("kind", "metrics", "name", named)).map(v -> issued))
        .onSuccess(issued -> render(ctx, 200, issued.token(), null, null))
        .onFailure(ctx::fail);
  }

  public void revoke(RoutingContext ctx) {
    StaffUser user = StaffGate.user(ctx);
    String id = ctx.pathParam("tokenId");
    tokens.revoke(id)
        .compose(name -> audit.record(user, AuditAction.TOKEN_REVOKED, List.of(id), Map.of("kind", "metrics", "name", name)))
        .onSuccess(v -> StaffView.seeOther(ctx, "/staff/metrics-tokens"))
        .onFailure(ctx::fail);
  }

  private void render(RoutingContext ctx, int status, String issued, String name, String nameError) {
    tokens.list().onSuccess(list -> {
      Map<String, Object> model = view.model(ctx, nameError == null ? "Metrics tokens" : "Error: metrics tokens");
      model.put("tokens", list.stream().map(t -> Map.of("id", t.id(), "name", t.name(), "createdBy", t.createdBy(),
          "createdAt", t.createdAt().toString())).toList());
      model.put("hasTokens", !list.isEmpty());
      if (issued != null) {
        model.put("issued", issued);
      }
      if (nameError != null) {
        model.put("nameError", nameError);
        model.put("name", name);
        model.put("hasErrors", true);
        model.put("errors", List.of(Map.of("href", "#name", "text", nameError)));
      }
      view.send(ctx, status, "staff-metrics-tokens", model);
    }).onFailure(ctx::fail);
  }
}
