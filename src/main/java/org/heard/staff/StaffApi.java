package org.heard.staff;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heard.audit.AuditAction;
import org.heard.audit.AuditEvent;
import org.heard.audit.AuditLog;
import org.heard.auth.ApiTokens;
import org.heard.auth.StaffLogin;
import org.heard.auth.StaffUser;
import org.heard.error.ClientText;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.ClientAddress;
import org.heard.http.Json;
import org.heard.http.StaffGate;

/** The staff JSON API of accounts: bearer tokens (issue, list, revoke) and the audit log. */
public final class StaffApi {
  private final StaffLogin login;
  private final ApiTokens tokens;
  private final AuditLog audit;
  private final Clock clock;

  public StaffApi(StaffLogin login, ApiTokens tokens, AuditLog audit, Clock clock) {
    this.login = login;
    this.tokens = tokens;
    this.audit = audit;
    this.clock = clock;
  }

  /** {@code POST /api/v1/auth/token} with {"email", "password"}: a bearer token for that account's role. */
  public void issueToken(RoutingContext ctx) {
    JsonObject body = credentials(ctx.body().buffer());
    login.authenticate(body.getString("email"), body.getString("password"), "api", ClientAddress.of(ctx))
        .compose(account -> tokens.issue(account.id())
            .compose(issued -> audit.record(new AuditEvent(Instant.now(clock), account.id(), account.role().key(),
                    AuditAction.TOKEN_ISSUED, List.of(issued.id()), Map.of()))
                .map(v -> new JsonObject()
                    .put("token", issued.token())
                    .put("id", issued.id())
                    .put("role", account.role().key())
                    .put("expiresAt", issued.expiresAt().toString())
                    .put("expiresInSeconds", ApiTokens.LIFETIME.toSeconds()))))
        .onSuccess(json -> Json.send(ctx, 201, json))
        .onFailure(ctx::fail);
  }

  private static JsonObject credentials(Buffer buffer) {
    if (buffer == null || buffer.length() == 0) {
      throw new HeardException.BadRequest("empty-body", "Send a JSON object: {\"email\": \"...\", \"password\": \"...\"}.");
    }
    Object parsed = Json.decodeStrict(buffer);
    if (!(parsed instanceof JsonObject object)) {
      throw new HeardException.BadRequest("body-not-an-object",
          "Send a JSON object: {\"email\": \"...\", \"password\": \"...\"}.");
    }
    List<FieldError> errors = new ArrayList<>();
    for (String field : List.of("email", "password")) {
      if (!(object.getValue(field) instanceof String)) {
        errors.add(new FieldError(field, object.containsKey(field) ? "wrong_type" : "required", "is required, as text"));
      }
    }
    object.fieldNames().stream().filter(f -> !f.equals("email") && !f.equals("password")).sorted()
        .forEach(f -> errors.add(new FieldError(ClientText.shorten(f), "unknown_field",
            "is not a field of a token request (email, password)")));
    if (!errors.isEmpty()) {
      throw new HeardException.Invalid("invalid-request", "The request body does not have the expected fields.", errors);
    }
    return object;
  }

  public void listTokens(RoutingContext ctx) {
    tokens.list().onFailure(ctx::fail).onSuccess(list -> Json.send(ctx, 200, new JsonObject().put("tokens",
        new JsonArray(list.stream().map(t -> new JsonObject()
            .put("id", t.id())
            .put("account", t.accountId())
            .put("createdAt", t.createdAt().toString())
            .put("expiresAt", t.expiresAt().toString())).toList()))));
  }

  public void revokeToken(RoutingContext ctx) {
    StaffUser admin = StaffGate.user(ctx);
    String id = ctx.pathParam("tokenId");
    tokens.revoke(id)
        .compose(account -> audit.record(admin, AuditAction.TOKEN_REVOKED, List.of(id, account), Map.of()))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  public void auditLog(RoutingContext ctx) {
    StaffUser admin = StaffGate.user(ctx);
    AuditLog.Query query = StaffPages.auditQuery(ctx);
    audit.find(query)
        .compose(events -> audit.record(admin, AuditAction.AUDIT_VIEWED, List.of(), Map.of("results", events.size())).map(events))
        .onFailure(ctx::fail)
        .onSuccess(events -> Json.send(ctx, 200, new JsonObject().put("events", new JsonArray(events.stream()
            .map(e -> new JsonObject()
                .put("at", e.at().toString())
                .put("actor", e.actor())
                .put("role", e.role())
                .put("action", e.action().key())
                .put("records", new JsonArray(e.records()))
                .put("details", new JsonObject(new LinkedHashMap<>(e.details())))).toList()))));
  }
}
