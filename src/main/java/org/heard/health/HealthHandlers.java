package org.heard.health;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.heard.analysis.AnalysisWorker;
import org.heard.http.Json;
import org.heard.spool.DiskSpace;
import org.heard.spool.Spool;
import org.heard.store.Database;

/**
 * {@code /health}: the process is up. {@code /ready}: this instance can durably take input now, into
 * the database or its local spool (503 only when it can do neither), with the database's state, the
 * spool's, and whether text analysis is up, loading or down as details. Analysis being down does
 * not make Heard unready: residents' answers are still taken and queue.
 */
public final class HealthHandlers {
  private final Database database;
  private final Spool spool;
  private final AnalysisWorker analysis;
  private final DiskSpace disk;

  public HealthHandlers(Database database, Spool spool, DiskSpace disk, AnalysisWorker analysis) {
    this.database = database;
    this.spool = spool;
    this.disk = disk;
    this.analysis = analysis;
  }

  public void health(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "up"));
  }

  /**
   * Ready means this instance can durably take input now: the spool can be written, or the database
   * answers and what it acknowledges is durable by itself (the embedded store's writes reach the disk
   * only at its next commit). The parts are reported one by one.
   */
  public void ready(RoutingContext ctx) {
    JsonObject spoolState = new JsonObject().put("backlog", spool.backlog()).put("writable", spool.writable());
    JsonObject diskState = new JsonObject().put("freeBytes", disk.usableBytes());
    AnalysisWorker.Status text = analysis.status();
    JsonObject analysisState = new JsonObject().put("state", text.state());
    if (text.detail() != null) {
      analysisState.put("detail", text.detail());
    }
    database.ping()
        .onSuccess(v -> {
          boolean accepting = spool.writable() || database.acknowledgedWritesAreDurable();
          JsonObject body = new JsonObject().put("status", accepting ? "ready" : "unavailable")
              .put("accepting", accepting).put("database", "up").put("spool", spoolState).put("disk", diskState)
              .put("analysis", analysisState);
          if (!accepting) {
            body.put("detail", "The local spool cannot be written (is the disk full?), and the embedded store keeps "
                + "a response for sure only with it: responses are refused until it can.");
          }
          json(ctx, accepting ? 200 : 503, body);
        })
        // With the database away, this instance still takes input durably into its spool: a load
        // balancer should keep sending to it (and only take it out when the spool cannot be written).
        .onFailure(error -> json(ctx, spool.writable() ? 200 : 503, new JsonObject()
            .put("status", spool.writable() ? "ready" : "unavailable")
            .put("accepting", spool.writable()).put("database", "down")
            .put("spool", spoolState).put("disk", diskState).put("analysis", analysisState)
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
