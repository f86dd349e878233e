package org.heard.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.heard.store.Database;

/** {@code /health}: the process is up. {@code /ready}: the database answers too. */
public final class HealthHandlers {
  private final Database database;

  public HealthHandlers(Database database) {
    this.database = database;
  }

  public void health(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "up"));
  }

  public void ready(RoutingContext ctx) {
    database.ping()
        .onSuccess(v -> json(ctx, 200, new JsonObject().put("status", "ready").put("database", "up")))
        .onFailure(error -> json(ctx, 503, new JsonObject().put("status", "unavailable").put("database", "down")
            .put("detail", "The database did not answer; responses cannot be stored until it does.")));
  }

  /** Health answers are never cached: each one must be a fresh look. */
  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().putHeader("Cache-Control", "no-store");
    Json.send(ctx, status, body);
  }
}
