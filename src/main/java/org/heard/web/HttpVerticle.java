package org.heard.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.heard.sms.SmsWebhook;
import org.heard.webform.WebFormHandlers;

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

    router.post("/sms/twilio").handler(services.smsWebhook()::precheck);
    router.post("/sms/twilio")
        .handler(BodyHandler.create(false).setBodyLimit(SmsWebhook.MAX_BODY_BYTES))
        .handler(services.smsWebhook()::receive);

    WebFormHandlers forms = services.webForms();
    router.get("/").handler(forms::list);
    router.get("/you-said-we-did").handler(forms::youSaidWeDid);
    router.get("/surveys/:surveyId").handler(forms::page);
    router.get("/surveys/:surveyId/page/:page").handler(forms::page);
    router.get("/surveys/:surveyId/check").handler(forms::check);
    router.get("/surveys/:surveyId/done").handler(forms::done);
    router.post("/surveys/*").handler(services.webPostLimiter()::handle);
    BodyHandler formBody = BodyHandler.create(false).setBodyLimit(WebFormHandlers.MAX_BODY_BYTES);
    router.post("/surveys/:surveyId").handler(formBody).handler(forms::submitPage);
    router.post("/surveys/:surveyId/page/:page").handler(formBody).handler(forms::submitPage);
    router.post("/surveys/:surveyId/check").handler(formBody).handler(forms::submit);
    router.route("/static/*").handler(StaticHandler.create("webroot").setCachingEnabled(true)
        .setMaxAgeSeconds(3600).setIncludeHidden(false).setDirectoryListing(false));

    FailureHandler failures = new FailureHandler(forms::errorPage);
    router.route().failureHandler(failures);
    router.errorHandler(404, ctx -> failures.sendStatus(ctx, 404));
    router.errorHandler(405, ctx -> failures.sendStatus(ctx, 405));

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
