package org.heard.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP server instance (several are deployed, one per event loop, sharing the port). The
 * route table is the map of Heard's HTTP interface.
 */
public final class HttpVerticle extends VerticleBase {
  private final WebServices services;
  private HttpServer server;

  public HttpVerticle(WebServices services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(new SecurityHeaders(services.https()));

    router.get("/health").handler(services.health()::health);
    router.get("/ready").handler(services.health()::ready);

    router.get("/api/v1/surveys").handler(services.surveyApi()::listOpen);
    router.get("/api/v1/surveys/:surveyId").handler(services.surveyApi()::definition);
    // The media type is checked on a route of its own so nothing is read from a body we refuse.
    String responses = "/api/v1/surveys/:surveyId/responses";
    router.post(responses).handler(ResponseApi::requireJson);
    router.post(responses)
        .handler(BodyHandler.create(false).setBodyLimit(ResponseApi.MAX_BODY_BYTES))
        .handler(services.responseApi()::submit);

    FailureHandler failures = new FailureHandler();
    router.route().failureHandler(failures);
    router.errorHandler(404, ctx -> FailureHandler.send(ctx, FailureHandler.toProblem(null, 404)));
    router.errorHandler(405, ctx -> FailureHandler.send(ctx, FailureHandler.toProblem(null, 405)));

    HttpServerOptions options = new HttpServerOptions()
        .setHost(services.host())
        .setPort(services.port())
        .setCompressionSupported(true)
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8 * 1024);
    return vertx.createHttpServer(options)
        .requestHandler(router)
        .listen()
        .onSuccess(s -> server = s);
  }

  /** Stops accepting connections and lets in-flight requests finish, up to the grace period. */
  @Override
  public Future<?> stop() {
    Duration grace = services.shutdownGrace();
    return server == null ? Future.succeededFuture() : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
