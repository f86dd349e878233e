package org.heard.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.heard.store.Database;

/** {@code /health}: the process is up. {@code /ready}: the database answers too. */
public final class HealthHandlers {
  private final Database database;
  private final org.heard.spool.Spool spool;

  public HealthHandlers(Database database, org.heard.spool.Spool spool) {
    this.database = database;
    this.spool = spool;
  }

  public void health(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "up"));
  }

  public void ready(RoutingContext ctx) {
    JsonObject spoolState = new JsonObject().put("backlog", spool.backlog()).put("writable", spool.writable());
    database.ping()
        .onSuccess(v -> json(ctx, 200, new JsonObject().put("status", "ready").put("database", "up")
            .put("spool", spoolState)))
        .onFailure(error -> json(ctx, 503, new JsonObject().put("status", "unavailable").put("database", "down")
            .put("spool", spoolState)
            .put("detail", spool.writable()
                ? "The database did not answer; responses are kept in the local spool until it does."
                : "The database did not answer and the local spool cannot be written: responses are refused.")));
  }

  /** Health answers are never cached: each one must be a fresh look. */
  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().putHeader("Cache-Control", "no-store");
    Json.send(ctx, status, body);
  }
}
