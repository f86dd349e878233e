package org.heard.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.heard.store.Database;
import org.heard.store.EmbeddedMongo;

/**
 * The ingest benchmark's baseline: a bare Vert.x server in a process of its own, on the store Heard
 * embeds (same process, same commits), whose {@code POST /responses} parses the JSON, checks it has
 * answers, and inserts it as a response document. What Heard does beyond this (validation against the
 * survey, the spool's fsync, numbering, counting, queueing for analysis) is Heard's cost. Usage:
 * {@code BareIngestServer <data directory>}; prints {@code listening <port>}.
 */
public final class BareIngestServer {
  private BareIngestServer() {
  }

  public static void main(String[] args) throws Exception {
    Path directory = Files.createDirectories(Path.of(args[0]));
    EmbeddedMongo store = EmbeddedMongo.start(directory, 0, false);
    Vertx vertx = Vertx.vertx();
    MongoClient mongo = Database.connect(vertx, store.connectionString(), "heard");
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        Router router = Router.router(vertx);
        router.post("/responses").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(ctx -> {
          JsonObject body;
          try {
            body = ctx.body().asJsonObject();
          } catch (DecodeException e) {
            ctx.response().setStatusCode(400).end("{\"error\": \"not JSON\"}");
            return;
          }
          if (body == null || !(body.getValue("answers") instanceof JsonObject answers)) {
            ctx.response().setStatusCode(422).end("{\"error\": \"no answers\"}");
            return;
          }
          String id = UUID.randomUUID().toString().replace("-", "");
          JsonObject document = new JsonObject().put("_id", id).put("surveyId", "community-safety")
              .put("channel", "api").put("receivedAt", new JsonObject().put("$date", Instant.now().toString()))
              .put("language", body.getString("language", "en")).put("answers", answers)
              .put("provenance", new JsonObject().put("idempotencyKey", ctx.request().getHeader("Idempotency-Key")))
              .put("complete", true);
          mongo.insert("responses", document).onComplete(done -> {
            if (done.succeeded()) {
              ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                  .end(new JsonObject().put("id", id).encode());
            } else {
              ctx.response().setStatusCode(503).end("{\"error\": \"not stored\"}");
            }
          });
        });
        return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())).await();
    System.out.println("listening " + port);
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close().await();
      store.stop();
    }));
    Thread.currentThread().join();
  }
}
